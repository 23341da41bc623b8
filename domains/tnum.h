// Tnum: known bits of a Bits-wide integer as a (value, mask) pair, with the Linux kernel's
// published semantics (kernel/bpf/tnum.c): a bit set in mask is unknown, otherwise it equals the
// bit of value. Width-generic so that tests can enumerate every tnum at small widths.
#pragma once

#include "domains/bits.h"

#include <bit>
#include <optional>

namespace bpfcheck::domains {

template <unsigned Bits> class Tnum {
public:
  using W = Width<Bits>;
  using U = typename W::U;

  constexpr Tnum() = default; // top
  constexpr Tnum(U value, U mask) : value_(value), mask_(mask) {}

  static constexpr Tnum top() { return Tnum(0, W::kMax); }
  // Any pair with a bit both known and unknown denotes no value; {1, 1} is the canonical one.
  static constexpr Tnum bottom() { return Tnum(1, 1); }
  static constexpr Tnum constant(U c) { return Tnum(c, 0); }
  // Smallest tnum holding [min, max] (unsigned, min <= max): the common high bits are known.
  static constexpr Tnum range(U min, U max) {
    std::uint64_t chi = std::uint64_t{min} ^ max;
    unsigned bits = 64 - static_cast<unsigned>(std::countl_zero(chi));
    if (bits >= Bits)
      return top();
    std::uint64_t delta = (std::uint64_t{1} << bits) - 1;
    return Tnum(W::wrap(min & ~delta), W::wrap(delta));
  }

  constexpr U value() const { return value_; }
  constexpr U mask() const { return mask_; }
  constexpr bool is_bottom() const { return (value_ & mask_) != 0; }
  constexpr bool is_top() const { return !is_bottom() && mask_ == W::kMax; }
  constexpr bool is_const() const { return !is_bottom() && mask_ == 0; }
  constexpr bool contains(U x) const { return !is_bottom() && W::wrap(x & ~mask_) == value_; }
  constexpr bool operator==(const Tnum &) const = default;

  constexpr U umin() const { return value_; }
  constexpr U umax() const { return static_cast<U>(value_ | mask_); }
  constexpr std::int64_t smin() const {
    return W::to_signed(static_cast<U>(value_ | (mask_ & W::kSign)));
  }
  constexpr std::int64_t smax() const {
    return W::to_signed(static_cast<U>(value_ | (mask_ & static_cast<U>(~W::kSign))));
  }

  // Lattice.
  constexpr bool leq(const Tnum &o) const {
    if (is_bottom())
      return true;
    if (o.is_bottom())
      return false;
    return (mask_ & ~o.mask_) == 0 && ((value_ ^ o.value_) & ~o.mask_) == 0;
  }
  constexpr Tnum join(const Tnum &o) const {
    if (is_bottom())
      return o;
    if (o.is_bottom())
      return *this;
    U mu = static_cast<U>(mask_ | o.mask_ | (value_ ^ o.value_));
    return Tnum(static_cast<U>(value_ & ~mu), mu);
  }
  constexpr Tnum meet(const Tnum &o) const {
    if (is_bottom() || o.is_bottom() || ((value_ ^ o.value_) & ~(mask_ | o.mask_)) != 0)
      return bottom();
    U mu = static_cast<U>(mask_ & o.mask_);
    return Tnum(static_cast<U>((value_ | o.value_) & ~mu), mu);
  }
  // The lattice has height Bits + 1, so join already stabilises every chain.
  constexpr Tnum widen(const Tnum &o) const { return join(o); }
  constexpr Tnum narrow(const Tnum &o) const { return meet(o); }

  // Arithmetic (kernel algorithms; results wrap at Bits).
  constexpr Tnum add(const Tnum &o) const {
    if (is_bottom() || o.is_bottom())
      return bottom();
    std::uint64_t sm = std::uint64_t{mask_} + o.mask_;
    std::uint64_t sv = std::uint64_t{value_} + o.value_;
    std::uint64_t chi = (sm + sv) ^ sv;
    std::uint64_t mu = chi | mask_ | o.mask_;
    return Tnum(W::wrap(sv & ~mu), W::wrap(mu));
  }
  constexpr Tnum sub(const Tnum &o) const {
    if (is_bottom() || o.is_bottom())
      return bottom();
    std::uint64_t dv = std::uint64_t{value_} - o.value_;
    std::uint64_t alpha = dv + mask_;
    std::uint64_t beta = dv - o.mask_;
    std::uint64_t mu = ((alpha ^ beta) | mask_ | o.mask_) & W::kMask;
    return Tnum(W::wrap(dv & ~mu), W::wrap(mu));
  }
  constexpr Tnum neg() const { return constant(0).sub(*this); }
  constexpr Tnum bit_and(const Tnum &o) const {
    if (is_bottom() || o.is_bottom())
      return bottom();
    U alpha = static_cast<U>(value_ | mask_), beta = static_cast<U>(o.value_ | o.mask_);
    U v = static_cast<U>(value_ & o.value_);
    return Tnum(v, static_cast<U>(alpha & beta & ~v));
  }
  constexpr Tnum bit_or(const Tnum &o) const {
    if (is_bottom() || o.is_bottom())
      return bottom();
    U v = static_cast<U>(value_ | o.value_);
    return Tnum(v, static_cast<U>((mask_ | o.mask_) & ~v));
  }
  constexpr Tnum bit_xor(const Tnum &o) const {
    if (is_bottom() || o.is_bottom())
      return bottom();
    U mu = static_cast<U>(mask_ | o.mask_);
    return Tnum(static_cast<U>((value_ ^ o.value_) & ~mu), mu);
  }
  // Shift-and-add multiplication, the kernel's tnum_mul.
  constexpr Tnum mul(const Tnum &o) const {
    if (is_bottom() || o.is_bottom())
      return bottom();
    Tnum a = *this, b = o;
    Tnum acc_m = constant(0);
    U acc_v = W::wrap(std::uint64_t{value_} * o.value_);
    while (a.value_ || a.mask_) {
      if (a.value_ & 1)
        acc_m = acc_m.add(Tnum(0, b.mask_));
      else if (a.mask_ & 1)
        acc_m = acc_m.add(Tnum(0, static_cast<U>(b.value_ | b.mask_)));
      a = a.lshr(1);
      b = b.shl(1);
    }
    return constant(acc_v).add(acc_m);
  }
  // Shifts by a known amount k < Bits.
  constexpr Tnum shl(unsigned k) const {
    if (is_bottom())
      return bottom();
    return Tnum(W::wrap(std::uint64_t{value_} << k), W::wrap(std::uint64_t{mask_} << k));
  }
  constexpr Tnum lshr(unsigned k) const {
    if (is_bottom())
      return bottom();
    return Tnum(static_cast<U>(value_ >> k), static_cast<U>(mask_ >> k));
  }
  // Arithmetic shift: an unknown sign bit shifts in unknown bits, as the kernel's tnum_arshift.
  constexpr Tnum ashr(unsigned k) const {
    if (is_bottom())
      return bottom();
    return Tnum(W::from_signed(W::to_signed(value_) >> k),
                W::from_signed(W::to_signed(mask_) >> k));
  }

  // Views and casts between widths. The low K bits as a K-wide tnum (the kernel's tnum_subreg).
  template <unsigned K> constexpr Tnum<K> low() const {
    if (is_bottom())
      return Tnum<K>::bottom();
    return Tnum<K>(Width<K>::wrap(value_), Width<K>::wrap(mask_));
  }
  // Zero-extension of a narrower tnum (the kernel's tnum_cast result).
  template <unsigned K> static constexpr Tnum zext(const Tnum<K> &t) {
    if (t.is_bottom())
      return bottom();
    return Tnum(t.value(), t.mask());
  }
  // This tnum with its low K bits replaced by t (the kernel's tnum_with_subreg).
  template <unsigned K> constexpr Tnum with_low(const Tnum<K> &t) const {
    if (is_bottom() || t.is_bottom())
      return bottom();
    std::uint64_t hi = ~Width<K>::kMask;
    return Tnum(W::wrap((value_ & hi) | t.value()), W::wrap((mask_ & hi) | t.mask()));
  }
  // Keep the low k bits, the rest known zero (runtime k, 1 <= k <= Bits).
  constexpr Tnum trunc_bits(unsigned k) const {
    if (is_bottom())
      return bottom();
    std::uint64_t m = W::low_mask(k);
    return Tnum(W::wrap(value_ & m), W::wrap(mask_ & m));
  }
  // Sign-extend from bit k - 1 (runtime k, 1 <= k <= Bits).
  constexpr Tnum sext_bits(unsigned k) const {
    if (is_bottom())
      return bottom();
    Tnum t = trunc_bits(k);
    std::uint64_t sign = std::uint64_t{1} << (k - 1), ext = W::kMask & ~W::low_mask(k);
    if (t.mask_ & sign)
      return Tnum(t.value_, W::wrap(t.mask_ | ext));
    if (t.value_ & sign)
      return Tnum(W::wrap(t.value_ | ext), t.mask_);
    return t;
  }
  // Swap the k/unit units of the low k bits, upper bits become zero; a unit (byte) is Bits/8 bits
  // wide, so that at 64 bits this is bswap16/32/64 and the 8-bit instance reverses bits.
  static constexpr U swap_units(U x, unsigned k) {
    constexpr unsigned unit = Bits >= 8 ? Bits / 8 : 1;
    std::uint64_t r = 0, um = W::low_mask(unit);
    for (unsigned i = 0; i < k / unit; ++i)
      r |= ((std::uint64_t{x} >> (i * unit)) & um) << (k - unit - i * unit);
    return W::wrap(r);
  }
  constexpr Tnum bswap_bits(unsigned k) const {
    if (is_bottom())
      return bottom();
    return Tnum(swap_units(value_, k), swap_units(mask_, k));
  }

  // Smallest member >= x, largest member <= x (unsigned order), if any.
  constexpr std::optional<U> next(U x) const {
    if (is_bottom())
      return std::nullopt;
    if (contains(x))
      return x;
    std::uint64_t bad = (std::uint64_t{x} ^ value_) & ~std::uint64_t{mask_} & W::kMask;
    unsigned hb = 63 - static_cast<unsigned>(std::countl_zero(bad));
    std::uint64_t cand =
        ~std::uint64_t{x} & (std::uint64_t{mask_} | value_) & W::kMask & (~std::uint64_t{0} << hb);
    if (cand == 0)
      return std::nullopt;
    unsigned i = static_cast<unsigned>(std::countr_zero(cand));
    std::uint64_t below = (std::uint64_t{1} << i) - 1;
    std::uint64_t above = i + 1 >= 64 ? 0 : (~std::uint64_t{0} << (i + 1));
    return W::wrap((x & above) | (std::uint64_t{1} << i) | (value_ & below));
  }
  constexpr std::optional<U> prev(U x) const {
    Tnum inv(W::wrap(~std::uint64_t{value_} & ~std::uint64_t{mask_}), mask_);
    if (is_bottom())
      return std::nullopt;
    auto r = inv.next(W::wrap(~std::uint64_t{x}));
    if (!r)
      return std::nullopt;
    return W::wrap(~std::uint64_t{*r});
  }

private:
  U value_ = 0;
  U mask_ = W::kMax;
};

using Tnum64 = Tnum<64>;
using Tnum32 = Tnum<32>;

} // namespace bpfcheck::domains
