// Scalar: the abstract value of a 64-bit register with its 32-bit subregister, one API for both
// signednesses (DESIGN.md section 4). It is the reduced product of an arc on the full width, an
// arc on the low half and a tnum on the full width; smin/smax/umin/umax and the 32-bit views are
// read off on demand. Generic over the width so that the 8-bit instance (with a 4-bit "low
// half") can be checked exhaustively; the analysis uses Scalar64.
#pragma once

#include "domains/interval.h"

#include <utility>

namespace bpfcheck::domains {

// BPF ALU operations (RFC 9669). Div/Mod are unsigned, SDiv/SMod signed (cpu v4).
enum class AluOp : std::uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  SDiv,
  Mod,
  SMod,
  And,
  Or,
  Xor,
  Lsh,
  Rsh,
  Arsh,
  Mov
};
// BPF conditional jumps; the unsigned ones are Gt/Ge/Lt/Le, Set is jset (dst & src != 0).
enum class CmpOp : std::uint8_t { Eq, Ne, Gt, Ge, Lt, Le, Sgt, Sge, Slt, Sle, Set };

template <unsigned Bits> class Scalar {
public:
  static constexpr unsigned kHalf = Bits / 2;
  using W = Width<Bits>;
  using U = typename W::U;
  using HW = Width<kHalf>;
  using HU = typename HW::U;
  using Full = Interval<Bits>;
  using Low = Interval<kHalf>;

  constexpr Scalar() = default; // top
  // The product of a full-width interval and an arc on the low half, reduced.
  constexpr Scalar(const Full &full, const WInterval<kHalf> &low) : full_(full), low_(low) {
    reduce();
  }
  // A value whose low half is `low` and whose upper half is zero (a 32-bit ALU result).
  static constexpr Scalar zext(const Low &low) {
    return Scalar(Full(WInterval<Bits>::zext(low.arc()), Tnum<Bits>::zext(low.bits())), low.arc());
  }

  static constexpr Scalar top() { return Scalar(); }
  static constexpr Scalar bottom() { return Scalar(Full::bottom(), WInterval<kHalf>::bottom()); }
  static constexpr Scalar constant(U c) { return Scalar(Full::constant(c), {}); }
  static constexpr Scalar urange(U lo, U hi) { return Scalar(Full::urange(lo, hi), {}); }
  static constexpr Scalar srange(std::int64_t lo, std::int64_t hi) {
    return Scalar(Full::srange(lo, hi), {});
  }
  static constexpr Scalar from_bits(const Tnum<Bits> &t) { return Scalar(Full::from_bits(t), {}); }

  constexpr const Full &full() const { return full_; }
  constexpr const WInterval<kHalf> &low_arc() const { return low_; }
  // The low half (the 32-bit subregister at Bits = 64) as an interval of its own.
  constexpr Low low() const { return Low(low_, full_.bits().template low<kHalf>()); }
  constexpr const Tnum<Bits> &bits() const { return full_.bits(); }

  constexpr bool is_bottom() const { return full_.is_bottom(); }
  constexpr bool is_top() const { return full_.is_top() && low_.is_top(); }
  constexpr bool is_singleton() const { return full_.is_singleton(); }
  constexpr bool contains(U x) const { return full_.contains(x) && low_.contains(HW::wrap(x)); }
  constexpr bool operator==(const Scalar &) const = default;

  constexpr U umin() const { return full_.umin(); }
  constexpr U umax() const { return full_.umax(); }
  constexpr std::int64_t smin() const { return full_.smin(); }
  constexpr std::int64_t smax() const { return full_.smax(); }
  // Views of the low half ("32" is the subregister of the 64-bit instance).
  constexpr HU umin32() const { return low_.umin(); }
  constexpr HU umax32() const { return low_.umax(); }
  constexpr std::int64_t smin32() const { return low_.smin(); }
  constexpr std::int64_t smax32() const { return low_.smax(); }

  constexpr bool leq(const Scalar &o) const {
    return is_bottom() || (full_.leq(o.full_) && low_.leq(o.low_));
  }
  constexpr Scalar join(const Scalar &o) const {
    if (is_bottom())
      return o;
    if (o.is_bottom())
      return *this;
    return Scalar(full_.join(o.full_), low_.join(o.low_));
  }
  constexpr Scalar meet(const Scalar &o) const {
    return Scalar(full_.meet(o.full_), low_.meet(o.low_));
  }
  // Widening is not reduced afterwards (see Interval::unreduced); thresholds are full-width
  // constants, and their low halves serve as thresholds for the subregister.
  constexpr Scalar widen(const Scalar &o, std::span<const U> thresholds = {}) const {
    if (is_bottom())
      return o;
    if (o.is_bottom())
      return *this;
    Scalar r;
    r.full_ = full_.widen(o.full_, thresholds);
    HU low_thresholds[64];
    std::size_t n = 0;
    for (U t : thresholds)
      if (n < 64)
        low_thresholds[n++] = HW::wrap(t);
    WInterval<kHalf> l = low_.widen(o.low_, std::span<const HU>(low_thresholds, n));
    r.low_ = l;
    if (r.full_.is_bottom() || l.is_bottom())
      return bottom();
    return r;
  }
  constexpr Scalar narrow(const Scalar &o) const { return meet(o); }

private:
  // Moves the ends of the full arc to the nearest values whose low half lies in `low`.
  static constexpr WInterval<Bits> walk(const WInterval<Bits> &a, const WInterval<kHalf> &low) {
    if (a.is_bottom() || low.is_bottom())
      return WInterval<Bits>::bottom();
    if (a.is_top() || low.is_top())
      return a;
    std::uint64_t adv = 0, back = 0;
    HU l = HW::wrap(a.base());
    if (!low.contains(l))
      adv = HW::wrap(std::uint64_t{low.base()} - l);
    if (adv > a.len())
      return WInterval<Bits>::bottom();
    HU e = HW::wrap(a.last());
    if (!low.contains(e))
      back = HW::wrap(std::uint64_t{e} - low.last());
    if (back > a.len() - adv)
      return WInterval<Bits>::bottom();
    return WInterval<Bits>::arc(W::wrap(a.base() + adv), static_cast<U>(a.len() - adv - back));
  }
  constexpr void reduce() {
    for (int round = 0; round < 2; ++round) {
      if (full_.is_bottom() || low_.is_bottom())
        break;
      Low l(low_.meet(full_.arc().template truncate<kHalf>()), full_.bits().template low<kHalf>());
      if (l.is_bottom())
        break;
      low_ = l.arc();
      Full f(walk(full_.arc(), low_), full_.bits().with_low(l.bits()));
      if (f == full_)
        return;
      full_ = f;
    }
    if (full_.is_bottom() || low_.is_bottom()) {
      full_ = Full::bottom();
      low_ = WInterval<kHalf>::bottom();
    }
  }

  Full full_;
  WInterval<kHalf> low_;
};

using Scalar64 = Scalar<64>;

// ALU transfer functions. alu64 selects the 64-bit operation; otherwise the operation works on
// the low halves and the result is zero-extended, as BPF_ALU does.
template <unsigned B>
Scalar<B> alu(AluOp op, const Scalar<B> &dst, const Scalar<B> &src, bool alu64);
template <unsigned B> Scalar<B> neg(const Scalar<B> &dst, bool alu64);
// movsx: sign-extend the low `bits` bits (8/16/32 at B = 64; 8/16 for the 32-bit form).
template <unsigned B> Scalar<B> movsx(const Scalar<B> &src, unsigned bits, bool alu64);
// bswap of the low `bits` bits (16/32/64), upper bits cleared: BPF_ALU64 bswap, and to_be on
// a little-endian machine.
template <unsigned B> Scalar<B> bswap(const Scalar<B> &dst, unsigned bits);
// Truncation to the low `bits` bits, zero-extended: to_le on a little-endian machine.
template <unsigned B> Scalar<B> truncate(const Scalar<B> &dst, unsigned bits);

// Refinement of both operands on one branch of a conditional jump (`taken` is the branch where
// the condition holds). Either result may be bottom: the branch is infeasible.
template <unsigned B>
std::pair<Scalar<B>, Scalar<B>> refine(CmpOp op, const Scalar<B> &dst, const Scalar<B> &src,
                                       bool taken, bool jmp64);

} // namespace bpfcheck::domains
