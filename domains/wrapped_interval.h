// WInterval: one arc on the circular number line of Bits-wide integers (the wrapped intervals of
// Navas, Gange et al., "Signedness-agnostic program analysis", APLAS 2012). Signed and unsigned
// bounds are read off the arc on demand, so client code never chooses a signedness.
//
//   representation      meaning
//   {base, len}         base, base + 1, ..., base + len (mod 2^Bits), len < 2^Bits - 1
//   top                 every value (canonically base 0, len 2^Bits - 1)
//   bottom              no value
//
// Joins have no unique least upper bound: we take the smallest enclosing arc. A meet that would
// give two arcs keeps the smaller operand.
#pragma once

#include "domains/bits.h"

#include <algorithm>
#include <span>

namespace bpfcheck::domains {

template <unsigned Bits> class WInterval {
public:
  using W = Width<Bits>;
  using U = typename W::U;

  constexpr WInterval() = default; // top

  static constexpr WInterval top() { return WInterval(); }
  static constexpr WInterval bottom() {
    WInterval r;
    r.bottom_ = true;
    return r;
  }
  static constexpr WInterval arc(U base, U len) {
    WInterval r;
    if (len == W::kMax)
      return r;
    r.base_ = base;
    r.len_ = len;
    return r;
  }
  static constexpr WInterval constant(U c) { return arc(c, 0); }
  // The arc from a clockwise to b (a, a + 1, ..., b).
  static constexpr WInterval from_to(U a, U b) { return arc(a, W::wrap(std::uint64_t{b} - a)); }
  static constexpr WInterval urange(U lo, U hi) { return lo <= hi ? from_to(lo, hi) : bottom(); }
  static constexpr WInterval srange(std::int64_t lo, std::int64_t hi) {
    return lo <= hi ? from_to(W::from_signed(lo), W::from_signed(hi)) : bottom();
  }

  constexpr bool is_bottom() const { return bottom_; }
  constexpr bool is_top() const { return !bottom_ && len_ == W::kMax; }
  constexpr bool is_singleton() const { return !bottom_ && len_ == 0; }
  constexpr U base() const { return base_; }
  constexpr U len() const { return len_; }
  constexpr U last() const { return W::wrap(std::uint64_t{base_} + len_); }
  constexpr bool operator==(const WInterval &) const = default;

  constexpr bool contains(U x) const {
    return !bottom_ && W::wrap(std::uint64_t{x} - base_) <= len_;
  }
  // Does the arc pass from 2^Bits - 1 to 0 (the unsigned wrap point)?
  constexpr bool crosses_upole() const { return !bottom_ && len_ > W::kMax - base_; }
  // Does the arc pass from INT_MAX to INT_MIN (the signed wrap point)?
  constexpr bool crosses_spole() const {
    return !bottom_ && len_ > W::kMax - static_cast<U>(base_ ^ W::kSign);
  }
  constexpr U umin() const { return crosses_upole() ? U{0} : base_; }
  constexpr U umax() const { return crosses_upole() ? W::kMax : last(); }
  constexpr std::int64_t smin() const { return crosses_spole() ? W::kSMin : W::to_signed(base_); }
  constexpr std::int64_t smax() const { return crosses_spole() ? W::kSMax : W::to_signed(last()); }

  constexpr bool leq(const WInterval &o) const {
    if (bottom_ || o.is_top())
      return true;
    if (o.bottom_ || is_top())
      return false;
    U off = W::wrap(std::uint64_t{base_} - o.base_);
    return off <= o.len_ && len_ <= o.len_ - off;
  }

  constexpr WInterval join(const WInterval &o) const {
    if (leq(o))
      return o;
    if (o.leq(*this))
      return *this;
    // The smallest enclosing arc starts at one of the two bases.
    U l1 = cover_len(*this, o), l2 = cover_len(o, *this);
    if (l1 < l2 || (l1 == l2 && base_ <= o.base_))
      return arc(base_, l1);
    return arc(o.base_, l2);
  }

  constexpr WInterval meet(const WInterval &o) const {
    if (leq(o))
      return *this;
    if (o.leq(*this))
      return o;
    bool a_lo_in_b = o.contains(base_), a_hi_in_b = o.contains(last());
    if (a_lo_in_b && a_hi_in_b) // two arcs: keep the smaller operand
      return (len_ < o.len_ || (len_ == o.len_ && base_ <= o.base_)) ? *this : o;
    if (a_lo_in_b)
      return from_to(base_, o.last());
    if (contains(o.base_))
      return from_to(o.base_, last());
    return bottom();
  }

  // Would the intersection be two arcs (so that meet must over-approximate it)?
  constexpr bool meet_splits(const WInterval &o) const {
    return !leq(o) && !o.leq(*this) && o.contains(base_) && o.contains(last());
  }

  // Widening: a growing end jumps to the nearest threshold beyond it, or at least doubles the
  // arc; growth at both ends, or past half the circle, gives top. Every increasing chain
  // therefore stabilises within (number of thresholds + Bits + 2) steps.
  constexpr WInterval widen(const WInterval &o, std::span<const U> thresholds = {}) const {
    if (o.leq(*this))
      return *this;
    if (bottom_)
      return o;
    WInterval j = join(o);
    if (j.is_top() || len_ >= W::kSign)
      return top();
    std::uint64_t doubled = std::min<std::uint64_t>(2 * std::uint64_t{len_} + 1, W::kMax);
    std::uint64_t want = std::max<std::uint64_t>(j.len_, doubled);
    if (j.base_ == base_) { // grows at the end
      for (U t : thresholds) {
        std::uint64_t off = W::wrap(std::uint64_t{t} - base_);
        if (off >= j.len_ && off < want)
          want = off;
      }
      return arc(base_, static_cast<U>(want));
    }
    if (j.last() == last()) { // grows at the start
      for (U t : thresholds) {
        std::uint64_t off = W::wrap(std::uint64_t{last()} - t);
        if (off >= j.len_ && off < want)
          want = off;
      }
      return arc(W::wrap(std::uint64_t{last()} - want), static_cast<U>(want));
    }
    return top();
  }
  // Narrowing is the meet; the arcs are finite, and the fixpoint iterator bounds the rounds.
  constexpr WInterval narrow(const WInterval &o) const { return meet(o); }

  // The low K bits of every member: an arc while fewer than 2^K values are spanned.
  template <unsigned K> constexpr WInterval<K> truncate() const {
    if (bottom_)
      return WInterval<K>::bottom();
    if (len_ >= Width<K>::kMax)
      return WInterval<K>::top();
    return WInterval<K>::arc(Width<K>::wrap(base_), static_cast<typename Width<K>::U>(len_));
  }
  // Zero-extension of a narrower arc.
  template <unsigned K> static constexpr WInterval zext(const WInterval<K> &h) {
    if (h.is_bottom())
      return bottom();
    if (h.crosses_upole() || h.is_top())
      return urange(0, Width<K>::kMax);
    return urange(h.base(), h.last());
  }
  // Runtime-width casts: keep the low k bits, zero- or sign-extended (1 <= k <= Bits).
  constexpr WInterval trunc_zext(unsigned k) const {
    if (bottom_)
      return bottom();
    std::uint64_t m = W::low_mask(k);
    if (len_ >= m)
      return urange(0, static_cast<U>(m));
    U lo = static_cast<U>(base_ & m), hi = static_cast<U>(last() & m);
    return lo <= hi ? urange(lo, hi) : urange(0, static_cast<U>(m));
  }
  constexpr WInterval trunc_sext(unsigned k) const {
    if (bottom_ || k >= 64)
      return *this;
    std::uint64_t m = W::low_mask(k);
    std::int64_t half = static_cast<std::int64_t>(std::uint64_t{1} << (k - 1));
    if (len_ >= m)
      return srange(-half, half - 1);
    std::int64_t lo = sext(base_ & m, k), hi = sext(last() & m, k);
    return lo <= hi ? srange(lo, hi) : srange(-half, half - 1);
  }
  static constexpr std::int64_t sext(std::uint64_t x, unsigned k) {
    std::uint64_t sign = std::uint64_t{1} << (k - 1);
    return static_cast<std::int64_t>((x ^ sign) - sign);
  }

private:
  // Length of the shortest arc starting at a.base_ that covers both a and b.
  static constexpr U cover_len(const WInterval &a, const WInterval &b) {
    U off = W::wrap(std::uint64_t{b.base_} - a.base_);
    if (b.len_ > W::kMax - off)
      return W::kMax;
    return std::max<U>(a.len_, static_cast<U>(off + b.len_));
  }

  U base_ = 0;
  U len_ = W::kMax;
  bool bottom_ = false;
};

} // namespace bpfcheck::domains
