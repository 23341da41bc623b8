// Interval: the reduced product of one wrapped arc and one tnum at a single width. This is the
// "unified interval" of DESIGN.md section 4 at one width: signed and unsigned bounds come from
// the arc, known bits from the tnum, and each refines the other after every operation.
#pragma once

#include "domains/tnum.h"
#include "domains/wrapped_interval.h"

namespace bpfcheck::domains {

template <unsigned Bits> class Interval {
public:
  using W = Width<Bits>;
  using U = typename W::U;
  using Arc = WInterval<Bits>;
  using Bitsn = Tnum<Bits>;

  constexpr Interval() = default; // top
  constexpr Interval(const Arc &arc, const Bitsn &bits) : arc_(arc), bits_(bits) { reduce(); }

  static constexpr Interval top() { return Interval(); }
  static constexpr Interval bottom() { return Interval(Arc::bottom(), Bitsn::bottom()); }
  static constexpr Interval constant(U c) { return Interval(Arc::constant(c), Bitsn::constant(c)); }
  static constexpr Interval urange(U lo, U hi) {
    return Interval(Arc::urange(lo, hi), Bitsn::top());
  }
  static constexpr Interval srange(std::int64_t lo, std::int64_t hi) {
    return Interval(Arc::srange(lo, hi), Bitsn::top());
  }
  static constexpr Interval from_arc(const Arc &a) { return Interval(a, Bitsn::top()); }
  static constexpr Interval from_bits(const Bitsn &t) { return Interval(Arc::top(), t); }
  // A product taken as is, without reduction (the result of widening must not be reduced, or a
  // widened bound could shrink back and the ascending iteration would never stabilise).
  static constexpr Interval unreduced(const Arc &arc, const Bitsn &bits) {
    Interval r;
    r.arc_ = arc;
    r.bits_ = bits;
    if (arc.is_bottom() || bits.is_bottom())
      r.set_bottom();
    return r;
  }

  constexpr const Arc &arc() const { return arc_; }
  constexpr const Bitsn &bits() const { return bits_; }
  constexpr bool is_bottom() const { return arc_.is_bottom(); }
  constexpr bool is_top() const { return arc_.is_top() && bits_.is_top(); }
  constexpr bool is_singleton() const { return arc_.is_singleton(); }
  constexpr bool contains(U x) const { return arc_.contains(x) && bits_.contains(x); }
  constexpr bool operator==(const Interval &) const = default;
  constexpr U umin() const { return arc_.umin(); }
  constexpr U umax() const { return arc_.umax(); }
  constexpr std::int64_t smin() const { return arc_.smin(); }
  constexpr std::int64_t smax() const { return arc_.smax(); }

  constexpr bool leq(const Interval &o) const {
    return is_bottom() || (arc_.leq(o.arc_) && bits_.leq(o.bits_));
  }
  constexpr Interval join(const Interval &o) const {
    if (is_bottom())
      return o;
    if (o.is_bottom())
      return *this;
    return Interval(arc_.join(o.arc_), bits_.join(o.bits_));
  }
  constexpr Interval meet(const Interval &o) const {
    return Interval(arc_.meet(o.arc_), bits_.meet(o.bits_));
  }
  constexpr Interval widen(const Interval &o, std::span<const U> thresholds = {}) const {
    if (is_bottom())
      return o;
    if (o.is_bottom())
      return *this;
    return unreduced(arc_.widen(o.arc_, thresholds), bits_.widen(o.bits_));
  }
  constexpr Interval narrow(const Interval &o) const { return meet(o); }

  // Smallest arc around the members of a tnum: the shorter of its unsigned and signed hulls.
  static constexpr Arc arc_of(const Bitsn &t) {
    if (t.is_bottom())
      return Arc::bottom();
    Arc u = Arc::urange(t.umin(), t.umax());
    Arc s = Arc::srange(t.smin(), t.smax());
    return s.len() < u.len() ? s : u;
  }
  // Known bits of the members of an arc.
  static constexpr Bitsn bits_of(const Arc &a) {
    if (a.is_bottom())
      return Bitsn::bottom();
    if (a.is_top())
      return Bitsn::top();
    if (!a.crosses_upole())
      return Bitsn::range(a.base(), a.last());
    return Bitsn::range(a.base(), W::kMax).join(Bitsn::range(0, a.last()));
  }
  // Move both ends of an arc inwards to the nearest members of a tnum.
  static constexpr Arc tighten(Arc a, const Bitsn &t) {
    if (a.is_bottom() || t.is_bottom())
      return Arc::bottom();
    if (a.is_top())
      a = arc_of(t);
    U s = a.base();
    auto y = t.next(s);
    if (!y)
      y = t.next(0);
    U adv = W::wrap(std::uint64_t{*y} - s);
    if (adv > a.len())
      return Arc::bottom();
    a = Arc::arc(*y, static_cast<U>(a.len() - adv));
    U e = a.last();
    auto z = t.prev(e);
    if (!z)
      z = t.prev(W::kMax);
    U back = W::wrap(std::uint64_t{e} - *z);
    return Arc::arc(a.base(), static_cast<U>(a.len() - back));
  }

private:
  constexpr void set_bottom() {
    arc_ = Arc::bottom();
    bits_ = Bitsn::bottom();
  }
  constexpr void reduce() {
    if (arc_.is_bottom() || bits_.is_bottom())
      return set_bottom();
    bits_ = bits_.meet(bits_of(arc_));
    arc_ = tighten(arc_, bits_);
    if (arc_.is_bottom() || bits_.is_bottom())
      return set_bottom();
    bits_ = bits_.meet(bits_of(arc_));
    if (bits_.is_bottom())
      set_bottom();
  }

  Arc arc_;
  Bitsn bits_;
};

} // namespace bpfcheck::domains
