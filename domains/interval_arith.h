// Transfer functions of the ALU on Interval<Bits> (one width, results wrap at Bits). Each one
// computes the arc and the tnum separately and lets the product's reduction combine them. The
// semantics are the BPF ones (RFC 9669): shifts mask their amount, division by zero gives zero,
// modulo by zero keeps the dividend, INT_MIN / -1 = INT_MIN and INT_MIN % -1 = 0.
#pragma once

#include "domains/interval.h"

#include <bit>

namespace bpfcheck::domains::arith {

template <unsigned B> using Arc = WInterval<B>;

// ---- arcs ----

template <unsigned B> constexpr Arc<B> arc_add(const Arc<B> &a, const Arc<B> &b) {
  using W = Width<B>;
  if (a.is_bottom() || b.is_bottom())
    return Arc<B>::bottom();
  if (a.len() >= W::kMax - b.len())
    return Arc<B>::top();
  return Arc<B>::arc(W::wrap(std::uint64_t{a.base()} + b.base()),
                     static_cast<typename W::U>(a.len() + b.len()));
}

template <unsigned B> constexpr Arc<B> arc_neg(const Arc<B> &a) {
  using W = Width<B>;
  if (a.is_bottom() || a.is_top())
    return a;
  return Arc<B>::arc(W::wrap(0 - std::uint64_t{a.last()}), a.len());
}

template <unsigned B> constexpr Arc<B> arc_sub(const Arc<B> &a, const Arc<B> &b) {
  return arc_add<B>(a, arc_neg<B>(b));
}

// Multiplication: the meet of the unsigned product, the signed product and, for a constant
// factor, the scaled arc (which is exact across both wrap points).
template <unsigned B> constexpr Arc<B> arc_mul(const Arc<B> &a, const Arc<B> &b) {
  using W = Width<B>;
  using U = typename W::U;
  if (a.is_bottom() || b.is_bottom())
    return Arc<B>::bottom();
  Arc<B> r = Arc<B>::top();
  if (!a.crosses_upole() && !b.crosses_upole()) {
    U hi;
    if (!__builtin_mul_overflow(a.umax(), b.umax(), &hi) && hi <= W::kMax)
      r = r.meet(Arc<B>::urange(W::wrap(std::uint64_t{a.umin()} * b.umin()), hi));
  }
  if (!a.crosses_spole() && !b.crosses_spole()) {
    std::int64_t c[4], lo = 0, hi = 0;
    bool ok = !__builtin_mul_overflow(a.smin(), b.smin(), &c[0]) &&
              !__builtin_mul_overflow(a.smin(), b.smax(), &c[1]) &&
              !__builtin_mul_overflow(a.smax(), b.smin(), &c[2]) &&
              !__builtin_mul_overflow(a.smax(), b.smax(), &c[3]);
    if (ok) {
      lo = std::min(std::min(c[0], c[1]), std::min(c[2], c[3]));
      hi = std::max(std::max(c[0], c[1]), std::max(c[2], c[3]));
      if (lo >= W::kSMin && hi <= W::kSMax)
        r = r.meet(Arc<B>::srange(lo, hi));
    }
  }
  for (int i = 0; i < 2; ++i) {
    const Arc<B> &k = i ? a : b, &x = i ? b : a;
    if (!k.is_singleton() || x.is_top())
      continue;
    std::int64_t c = W::to_signed(k.base());
    std::uint64_t mag = c < 0 ? 0 - static_cast<std::uint64_t>(c) : static_cast<std::uint64_t>(c);
    std::uint64_t span;
    if (mag != 0 && !__builtin_mul_overflow(std::uint64_t{x.len()}, mag, &span) && span < W::kMax) {
      U start = W::wrap(std::uint64_t{c < 0 ? x.last() : x.base()} * k.base());
      r = r.meet(Arc<B>::arc(start, static_cast<U>(span)));
    }
  }
  return r;
}

template <unsigned B> constexpr Arc<B> arc_shl(const Arc<B> &a, unsigned k) {
  using W = Width<B>;
  if (a.is_bottom() || k == 0)
    return a;
  if ((std::uint64_t{a.len()} >> (B - k)) != 0)
    return Arc<B>::top();
  return Arc<B>::arc(W::wrap(std::uint64_t{a.base()} << k), W::wrap(std::uint64_t{a.len()} << k));
}

template <unsigned B> constexpr Arc<B> arc_lshr(const Arc<B> &a, unsigned k) {
  using W = Width<B>;
  if (a.is_bottom() || k == 0)
    return a;
  if (a.crosses_upole() || a.is_top())
    return Arc<B>::urange(static_cast<typename W::U>(a.base() >> k), W::kMax >> k)
        .join(Arc<B>::urange(0, static_cast<typename W::U>(a.last() >> k)));
  return Arc<B>::urange(static_cast<typename W::U>(a.base() >> k),
                        static_cast<typename W::U>(a.last() >> k));
}

template <unsigned B> constexpr Arc<B> arc_ashr(const Arc<B> &a, unsigned k) {
  using W = Width<B>;
  if (a.is_bottom() || k == 0)
    return a;
  std::int64_t lo = W::to_signed(a.base()), hi = W::to_signed(a.last());
  if (a.crosses_spole() || a.is_top())
    return Arc<B>::srange(lo >> k, W::kSMax >> k).join(Arc<B>::srange(W::kSMin >> k, hi >> k));
  return Arc<B>::srange(lo >> k, hi >> k);
}

// Smallest and largest nonzero members (unsigned) of an arc that is not {0}.
template <unsigned B> constexpr typename Width<B>::U nonzero_umin(const Arc<B> &b) {
  if (!b.contains(0))
    return b.umin();
  return b.contains(1) ? 1 : b.base();
}
template <unsigned B> constexpr typename Width<B>::U nonzero_umax(const Arc<B> &b) {
  if (!b.contains(0) || b.base() != 0)
    return b.umax();
  return b.last();
}

template <unsigned B> constexpr Arc<B> arc_udiv(const Arc<B> &a, const Arc<B> &b) {
  if (a.is_bottom() || b.is_bottom())
    return Arc<B>::bottom();
  Arc<B> zero = Arc<B>::constant(0);
  if (b == zero)
    return zero;
  Arc<B> r = Arc<B>::urange(a.umin() / nonzero_umax<B>(b), a.umax() / nonzero_umin<B>(b));
  return b.contains(0) ? r.join(zero) : r;
}

template <unsigned B> constexpr Arc<B> arc_umod(const Arc<B> &a, const Arc<B> &b) {
  if (a.is_bottom() || b.is_bottom())
    return Arc<B>::bottom();
  if (b == Arc<B>::constant(0))
    return a;
  auto lo = nonzero_umin<B>(b), hi = nonzero_umax<B>(b);
  Arc<B> r = (a.umax() < lo && !a.crosses_upole())
                 ? a
                 : Arc<B>::urange(0, std::min<typename Width<B>::U>(a.umax(), hi - 1));
  return b.contains(0) ? r.join(a) : r;
}

// Signed hulls of the negative and of the positive members of b (empty when lo > hi).
struct SignedParts {
  std::int64_t nlo, nhi, plo, phi;
};
template <unsigned B> constexpr SignedParts signed_parts(const Arc<B> &b) {
  std::int64_t lo = b.smin(), hi = b.smax();
  return {lo, std::min<std::int64_t>(hi, -1), std::max<std::int64_t>(lo, 1), hi};
}

// Hull of trunc(x / d) for x in [alo, ahi], d in [dlo, dhi] of one sign, |d| >= 2 or no INT_MIN
// in x: the quotient is monotone in each argument, so the corners bound it.
template <unsigned B>
constexpr Arc<B> sdiv_corners(std::int64_t alo, std::int64_t ahi, std::int64_t dlo,
                              std::int64_t dhi) {
  std::int64_t c[4] = {alo / dlo, alo / dhi, ahi / dlo, ahi / dhi};
  return Arc<B>::srange(std::min(std::min(c[0], c[1]), std::min(c[2], c[3])),
                        std::max(std::max(c[0], c[1]), std::max(c[2], c[3])));
}

template <unsigned B> constexpr Arc<B> arc_sdiv(const Arc<B> &a, const Arc<B> &b) {
  if (a.is_bottom() || b.is_bottom())
    return Arc<B>::bottom();
  Arc<B> r = b.contains(0) ? Arc<B>::constant(0) : Arc<B>::bottom();
  SignedParts p = signed_parts<B>(b);
  std::int64_t alo = a.smin(), ahi = a.smax();
  if (p.nlo <= p.nhi) {
    if (p.nhi == -1 && b.contains(Width<B>::kMax)) // x / -1 = -x, INT_MIN / -1 = INT_MIN
      r = r.join(arc_neg<B>(a));
    std::int64_t top = std::min<std::int64_t>(p.nhi, -2);
    if (p.nlo <= top)
      r = r.join(sdiv_corners<B>(alo, ahi, p.nlo, top));
  }
  if (p.plo <= p.phi)
    r = r.join(sdiv_corners<B>(alo, ahi, p.plo, p.phi));
  return r;
}

template <unsigned B> constexpr Arc<B> arc_smod(const Arc<B> &a, const Arc<B> &b) {
  if (a.is_bottom() || b.is_bottom())
    return Arc<B>::bottom();
  if (b == Arc<B>::constant(0))
    return a;
  SignedParts p = signed_parts<B>(b);
  // Largest |divisor| minus one: the remainder's magnitude is below it and below |dividend|.
  std::uint64_t mag = 0;
  if (p.nlo <= p.nhi)
    mag = 0 - static_cast<std::uint64_t>(p.nlo);
  if (p.plo <= p.phi)
    mag = std::max(mag, static_cast<std::uint64_t>(p.phi));
  std::int64_t bound = static_cast<std::int64_t>(mag - 1);
  std::int64_t alo = a.smin(), ahi = a.smax();
  std::int64_t lo = alo >= 0 ? 0 : std::max(alo, -bound);
  std::int64_t hi = ahi <= 0 ? 0 : std::min(ahi, bound);
  Arc<B> r = Arc<B>::srange(lo, hi);
  return b.contains(0) ? r.join(a) : r;
}

// Signed-half facts for the bitwise operations; the tnum does the rest.
template <unsigned B> constexpr Arc<B> arc_and(const Arc<B> &a, const Arc<B> &b) {
  Arc<B> r = Arc<B>::urange(0, std::min(a.umax(), b.umax()));
  if (a.smax() < 0 && b.smax() < 0)
    r = r.meet(Arc<B>::srange(Width<B>::kSMin, std::min(a.smax(), b.smax())));
  return r;
}
template <unsigned B> constexpr Arc<B> arc_or(const Arc<B> &a, const Arc<B> &b) {
  Arc<B> r = Arc<B>::urange(std::max(a.umin(), b.umin()), Width<B>::kMax);
  if (a.smax() < 0)
    r = r.meet(Arc<B>::srange(a.smin(), -1));
  if (b.smax() < 0)
    r = r.meet(Arc<B>::srange(b.smin(), -1));
  if (a.smin() >= 0 && b.smin() >= 0)
    r = r.meet(Arc<B>::srange(std::max(a.smin(), b.smin()), Width<B>::kSMax));
  return r;
}
template <unsigned B> constexpr Arc<B> arc_xor(const Arc<B> &a, const Arc<B> &b) {
  bool an = a.smax() < 0, ap = a.smin() >= 0, bn = b.smax() < 0, bp = b.smin() >= 0;
  if ((an && bn) || (ap && bp))
    return Arc<B>::srange(0, Width<B>::kSMax);
  if ((an && bp) || (ap && bn))
    return Arc<B>::srange(Width<B>::kSMin, -1);
  return Arc<B>::top();
}

// ---- intervals (arc x tnum) ----

template <unsigned B> using Iv = Interval<B>;

template <unsigned B> constexpr Iv<B> add(const Iv<B> &a, const Iv<B> &b) {
  return Iv<B>(arc_add<B>(a.arc(), b.arc()), a.bits().add(b.bits()));
}
template <unsigned B> constexpr Iv<B> sub(const Iv<B> &a, const Iv<B> &b) {
  return Iv<B>(arc_sub<B>(a.arc(), b.arc()), a.bits().sub(b.bits()));
}
template <unsigned B> constexpr Iv<B> neg(const Iv<B> &a) {
  return Iv<B>(arc_neg<B>(a.arc()), a.bits().neg());
}
template <unsigned B> constexpr Iv<B> mul(const Iv<B> &a, const Iv<B> &b) {
  return Iv<B>(arc_mul<B>(a.arc(), b.arc()), a.bits().mul(b.bits()));
}
template <unsigned B> constexpr Iv<B> bit_and(const Iv<B> &a, const Iv<B> &b) {
  if (a.is_bottom() || b.is_bottom())
    return Iv<B>::bottom();
  return Iv<B>(arc_and<B>(a.arc(), b.arc()), a.bits().bit_and(b.bits()));
}
template <unsigned B> constexpr Iv<B> bit_or(const Iv<B> &a, const Iv<B> &b) {
  if (a.is_bottom() || b.is_bottom())
    return Iv<B>::bottom();
  return Iv<B>(arc_or<B>(a.arc(), b.arc()), a.bits().bit_or(b.bits()));
}
template <unsigned B> constexpr Iv<B> bit_xor(const Iv<B> &a, const Iv<B> &b) {
  if (a.is_bottom() || b.is_bottom())
    return Iv<B>::bottom();
  return Iv<B>(arc_xor<B>(a.arc(), b.arc()), a.bits().bit_xor(b.bits()));
}

// Division and modulo: the arc carries the result, the tnum follows by reduction, except that
// a divisor that is a known power of two turns them into shifts and masks on the bits.
template <unsigned B> constexpr Iv<B> udiv(const Iv<B> &a, const Iv<B> &b) {
  Tnum<B> t = Tnum<B>::top();
  if (b.is_singleton() && std::has_single_bit(std::uint64_t{b.umin()}))
    t = a.bits().lshr(static_cast<unsigned>(std::countr_zero(std::uint64_t{b.umin()})));
  return Iv<B>(arc_udiv<B>(a.arc(), b.arc()), t);
}
template <unsigned B> constexpr Iv<B> umod(const Iv<B> &a, const Iv<B> &b) {
  Tnum<B> t = Tnum<B>::top();
  if (b.is_singleton() && std::has_single_bit(std::uint64_t{b.umin()}))
    t = a.bits().bit_and(Tnum<B>::constant(static_cast<typename Width<B>::U>(b.umin() - 1)));
  return Iv<B>(arc_umod<B>(a.arc(), b.arc()), t);
}
template <unsigned B> constexpr Iv<B> sdiv(const Iv<B> &a, const Iv<B> &b) {
  return Iv<B>(arc_sdiv<B>(a.arc(), b.arc()), Tnum<B>::top());
}
template <unsigned B> constexpr Iv<B> smod(const Iv<B> &a, const Iv<B> &b) {
  return Iv<B>(arc_smod<B>(a.arc(), b.arc()), Tnum<B>::top());
}

enum class Shift { Left, Logical, Arithmetic };

template <unsigned B> constexpr Iv<B> shift_const(const Iv<B> &a, Shift kind, unsigned k) {
  switch (kind) {
  case Shift::Left:
    return Iv<B>(arc_shl<B>(a.arc(), k), a.bits().shl(k));
  case Shift::Logical:
    return Iv<B>(arc_lshr<B>(a.arc(), k), a.bits().lshr(k));
  case Shift::Arithmetic:
    break;
  }
  return Iv<B>(arc_ashr<B>(a.arc(), k), a.bits().ashr(k));
}

// Shift by an abstract amount, masked to B - 1 (B a power of two): the join over every amount
// the operand allows.
template <unsigned B> constexpr Iv<B> shift(const Iv<B> &a, Shift kind, const Iv<B> &amount) {
  static_assert(std::has_single_bit(B), "shift masking needs a power-of-two width");
  if (a.is_bottom() || amount.is_bottom())
    return Iv<B>::bottom();
  if (amount.is_singleton())
    return shift_const<B>(a, kind, amount.umin() & (B - 1));
  Iv<B> masked = bit_and<B>(amount, Iv<B>::constant(B - 1));
  Iv<B> r = Iv<B>::bottom();
  for (unsigned k = 0; k < B; ++k)
    if (masked.contains(static_cast<typename Width<B>::U>(k)))
      r = r.join(shift_const<B>(a, kind, k));
  return r;
}

// Casts at a runtime width k (1 <= k <= B): zero-extension of the low k bits (a "to le"
// conversion on a little-endian machine), sign-extension (movsx), and unit swap (bswap).
template <unsigned B> constexpr Iv<B> trunc_zext(const Iv<B> &a, unsigned k) {
  return Iv<B>(a.arc().trunc_zext(k), a.bits().trunc_bits(k));
}
template <unsigned B> constexpr Iv<B> trunc_sext(const Iv<B> &a, unsigned k) {
  return Iv<B>(a.arc().trunc_sext(k), a.bits().sext_bits(k));
}
template <unsigned B> constexpr Iv<B> bswap(const Iv<B> &a, unsigned k) {
  if (a.is_singleton())
    return Iv<B>::constant(Tnum<B>::swap_units(a.umin(), k));
  return Iv<B>(WInterval<B>::top(), a.bits().bswap_bits(k));
}

} // namespace bpfcheck::domains::arith
