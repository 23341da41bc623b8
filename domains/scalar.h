// Scalar: the abstract value of a 64-bit register with its 32-bit subregister, one API for both
// signednesses (DESIGN.md section 4). It is the reduced product of arcs on the full width, arcs on
// the low half and a tnum on the full width; smin/smax/umin/umax and the 32-bit views are read
// off on demand. Generic over the width so that the 8-bit instance (with a 4-bit "low half") can
// be checked exhaustively; the analysis uses Scalar64.
//
// Each width holds up to two arcs. Their intersection is kept exactly when it is two pieces, the
// case a single arc must over-approximate (e.g. "unsigned below 2^64-5 and signed in [-10, 10]"),
// so the product is never coarser than the kernel's separate signed and unsigned ranges. When
// the two arcs' intersection is one arc, they merge into the first and the second is top.
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

// Up to two arcs at one width, meaning their intersection.
template <unsigned Bits> struct ArcPair {
  using Arc = WInterval<Bits>;
  Arc first, second;

  constexpr bool is_bottom() const { return first.is_bottom() || second.is_bottom(); }
  constexpr bool contains(typename Width<Bits>::U x) const {
    return first.contains(x) && second.contains(x);
  }
  constexpr bool operator==(const ArcPair &) const = default;
  // Add the constraint "member of c".
  constexpr void constrain(const Arc &c) {
    if (first.leq(c) || is_bottom())
      return;
    if (!first.meet_splits(c)) {
      first = first.meet(c);
      if (!second.is_top() && !first.meet_splits(second)) {
        first = first.meet(second);
        second = Arc::top();
      }
      return;
    }
    if (second.is_top() || !second.meet_splits(c)) {
      second = second.meet(c);
      if (!first.meet_splits(second)) {
        first = first.meet(second);
        second = Arc::top();
      }
      return;
    }
    if (c.len() < second.len()) // three arcs: keep the two smaller constraints
      second = c;
  }
  constexpr ArcPair join(const ArcPair &o) const {
    if (is_bottom())
      return o;
    if (o.is_bottom())
      return *this;
    return {first.join(o.first),
            second.is_top() || o.second.is_top() ? Arc::top() : second.join(o.second)};
  }
  constexpr bool leq(const ArcPair &o) const {
    return is_bottom() || (first.leq(o.first) &&
                           (o.second.is_top() || second.leq(o.second) || first.leq(o.second)));
  }
};

template <unsigned Bits> class Scalar {
public:
  static constexpr unsigned kHalf = Bits / 2;
  using W = Width<Bits>;
  using U = typename W::U;
  using HW = Width<kHalf>;
  using HU = typename HW::U;
  using Full = Interval<Bits>;
  using Low = Interval<kHalf>;
  using Arc = WInterval<Bits>;
  using LowArc = WInterval<kHalf>;

  constexpr Scalar() = default; // top
  // The product of a full-width interval and an arc on the low half, reduced.
  constexpr Scalar(const Full &full, const LowArc &low) : bits_(full.bits()) {
    arcs_.first = full.arc();
    lows_.first = low;
    reduce();
  }
  // A value whose low half is `low` and whose upper half is zero (a 32-bit ALU result).
  static constexpr Scalar zext(const Low &low) {
    return Scalar(Full(Arc::zext(low.arc()), Tnum<Bits>::zext(low.bits())), low.arc());
  }

  static constexpr Scalar top() { return Scalar(); }
  static constexpr Scalar bottom() { return Scalar(Full::bottom(), LowArc::bottom()); }
  static constexpr Scalar constant(U c) { return Scalar(Full::constant(c), {}); }
  static constexpr Scalar urange(U lo, U hi) { return Scalar(Full::urange(lo, hi), {}); }
  static constexpr Scalar srange(std::int64_t lo, std::int64_t hi) {
    return Scalar(Full::srange(lo, hi), {});
  }
  static constexpr Scalar from_bits(const Tnum<Bits> &t) { return Scalar(Full::from_bits(t), {}); }

  // The full width as one interval (first arc and tnum), and the low half likewise.
  constexpr Full full() const { return Full::unreduced(arcs_.first, bits_); }
  constexpr Low low() const { return Low::unreduced(lows_.first, bits_.template low<kHalf>()); }
  constexpr const ArcPair<Bits> &arcs() const { return arcs_; }
  constexpr const ArcPair<kHalf> &low_arcs() const { return lows_; }
  constexpr const LowArc &low_arc() const { return lows_.first; }
  constexpr const Tnum<Bits> &bits() const { return bits_; }

  constexpr bool is_bottom() const { return arcs_.is_bottom(); }
  constexpr bool is_top() const {
    return arcs_.first.is_top() && arcs_.second.is_top() && lows_.first.is_top() &&
           lows_.second.is_top() && bits_.is_top();
  }
  constexpr bool is_singleton() const { return arcs_.first.is_singleton(); }
  constexpr bool contains(U x) const {
    return arcs_.contains(x) && lows_.contains(HW::wrap(x)) && bits_.contains(x);
  }
  constexpr bool operator==(const Scalar &) const = default;

  // Bounds of each view: the first member met when walking from the start of that order (each
  // component alone may be looser, e.g. an arc across INT_MAX whose low half is small).
  constexpr U umin() const { return view(0, true, arcs_.first.umin()); }
  constexpr U umax() const { return view(W::kMax, false, arcs_.first.umax()); }
  constexpr std::int64_t smin() const {
    return W::to_signed(view(W::kSign, true, W::from_signed(arcs_.first.smin())));
  }
  constexpr std::int64_t smax() const {
    return W::to_signed(
        view(static_cast<U>(W::kSign - 1), false, W::from_signed(arcs_.first.smax())));
  }
  // Views of the low half ("32" is the subregister of the 64-bit instance).
  constexpr HU umin32() const { return low_view(0, true, lows_.first.umin()); }
  constexpr HU umax32() const { return low_view(HW::kMax, false, lows_.first.umax()); }
  constexpr std::int64_t smin32() const {
    return HW::to_signed(low_view(HW::kSign, true, HW::from_signed(lows_.first.smin())));
  }
  constexpr std::int64_t smax32() const {
    return HW::to_signed(
        low_view(static_cast<HU>(HW::kSign - 1), false, HW::from_signed(lows_.first.smax())));
  }
  // The unsigned and signed hulls as intervals (with the known bits), at each width.
  constexpr Full uhull() const { return Full(Arc::urange(umin(), umax()), bits_); }
  constexpr Full shull() const { return Full(Arc::srange(smin(), smax()), bits_); }
  constexpr Low uhull32() const {
    return Low(LowArc::urange(umin32(), umax32()), bits_.template low<kHalf>());
  }
  constexpr Low shull32() const {
    return Low(LowArc::srange(smin32(), smax32()), bits_.template low<kHalf>());
  }

  // Add constraints (then reduce): membership of an arc at the full width or on the low half,
  // and known bits.
  constexpr Scalar constrain(const Arc &c) const { return Scalar(*this).add_arc(c).reduced(); }
  constexpr Scalar constrain_low(const LowArc &c) const {
    return Scalar(*this).add_low_arc(c).reduced();
  }
  constexpr Scalar constrain_bits(const Tnum<Bits> &t) const {
    return Scalar(*this).add_bits(t).reduced();
  }
  // The same without reduction, to batch several constraints before one reduced().
  constexpr Scalar &add_arc(const Arc &c) {
    arcs_.constrain(c);
    return *this;
  }
  constexpr Scalar &add_low_arc(const LowArc &c) {
    lows_.constrain(c);
    return *this;
  }
  constexpr Scalar &add_bits(const Tnum<Bits> &t) {
    bits_ = bits_.meet(t);
    return *this;
  }
  constexpr Scalar reduced() const {
    Scalar r = *this;
    r.reduce();
    return r;
  }
  // Both arcs at one width transformed by f (used to drop one value at an arc's end).
  template <typename F> constexpr Scalar map_arcs(F f) const {
    Scalar r = *this;
    r.arcs_ = {f(arcs_.first), arcs_.second.is_top() ? arcs_.second : f(arcs_.second)};
    r.reduce();
    return r;
  }
  template <typename F> constexpr Scalar map_low_arcs(F f) const {
    Scalar r = *this;
    r.lows_ = {f(lows_.first), lows_.second.is_top() ? lows_.second : f(lows_.second)};
    r.reduce();
    return r;
  }

  constexpr bool leq(const Scalar &o) const {
    return is_bottom() || (arcs_.leq(o.arcs_) && lows_.leq(o.lows_) && bits_.leq(o.bits_));
  }
  constexpr Scalar join(const Scalar &o) const {
    if (is_bottom())
      return o;
    if (o.is_bottom())
      return *this;
    Scalar r;
    r.arcs_ = arcs_.join(o.arcs_);
    r.lows_ = lows_.join(o.lows_);
    r.bits_ = bits_.join(o.bits_);
    r.reduce();
    return r;
  }
  constexpr Scalar meet(const Scalar &o) const {
    Scalar r = *this;
    r.bits_ = bits_.meet(o.bits_);
    r.arcs_.constrain(o.arcs_.first);
    r.arcs_.constrain(o.arcs_.second);
    r.lows_.constrain(o.lows_.first);
    r.lows_.constrain(o.lows_.second);
    r.reduce();
    return r;
  }
  // Widening is not reduced afterwards (see Interval::unreduced); thresholds are full-width
  // constants, and their low halves serve as thresholds for the subregister. Second arcs are
  // kept when stable and dropped otherwise.
  constexpr Scalar widen(const Scalar &o, std::span<const U> thresholds = {}) const {
    if (is_bottom())
      return o;
    if (o.is_bottom())
      return *this;
    HU low_thresholds[64];
    std::size_t n = 0;
    for (U t : thresholds)
      if (n < 64)
        low_thresholds[n++] = HW::wrap(t);
    Scalar r;
    r.arcs_.first = arcs_.first.widen(o.arcs_.first, thresholds);
    r.arcs_.second = o.arcs_.second.leq(arcs_.second) ? arcs_.second : Arc::top();
    r.lows_.first = lows_.first.widen(o.lows_.first, std::span<const HU>(low_thresholds, n));
    r.lows_.second = o.lows_.second.leq(lows_.second) ? lows_.second : LowArc::top();
    r.bits_ = bits_.widen(o.bits_);
    if (r.arcs_.is_bottom() || r.lows_.is_bottom() || r.bits_.is_bottom())
      return bottom();
    return r;
  }
  constexpr Scalar narrow(const Scalar &o) const { return meet(o); }

private:
  // The first member at or after (forward) or at or before (backward) `start`, moving at most
  // one turn of the circle; each step skips only values that one component excludes, so the
  // first value all components accept is exact. Falls back to `loose` after a few steps.
  template <unsigned K>
  static constexpr typename Width<K>::U seek(const ArcPair<K> &arcs, const Tnum<K> &t,
                                             const ArcPair<K / 2> *low, typename Width<K>::U start,
                                             bool forward, typename Width<K>::U loose) {
    using KW = Width<K>;
    using LW = Width<K / 2>;
    if (arcs.is_bottom())
      return loose;
    typename KW::U x = start;
    std::uint64_t moved = 0;
    auto arc_step = [&](const auto &arc, auto y, auto wrap) -> std::uint64_t {
      if (arc.contains(y))
        return 0;
      return forward ? wrap(std::uint64_t{arc.base()} - y) : wrap(std::uint64_t{y} - arc.last());
    };
    auto kwrap = [](std::uint64_t v) { return KW::wrap(v); };
    auto lwrap = [](std::uint64_t v) { return LW::wrap(v); };
    for (int i = 0; i < 8; ++i) {
      std::uint64_t step = arc_step(arcs.first, x, kwrap);
      if (!step)
        step = arc_step(arcs.second, x, kwrap);
      if (!step && low) {
        step = arc_step(low->first, LW::wrap(x), lwrap);
        if (!step)
          step = arc_step(low->second, LW::wrap(x), lwrap);
      }
      if (!step && !t.contains(x)) {
        auto n = forward ? t.next(x) : t.prev(x);
        if (!n)
          n = forward ? t.next(0) : t.prev(KW::kMax);
        if (!n)
          return loose;
        step = forward ? KW::wrap(std::uint64_t{*n} - x) : KW::wrap(std::uint64_t{x} - *n);
      }
      if (!step)
        return x;
      if (step > KW::kMask - moved)
        return loose;
      moved += step;
      x = KW::wrap(forward ? std::uint64_t{x} + step : std::uint64_t{x} - step);
    }
    return loose;
  }
  constexpr U view(U start, bool forward, U loose) const {
    return seek<Bits>(arcs_, bits_, &lows_, start, forward, loose);
  }
  constexpr HU low_view(HU start, bool forward, HU loose) const {
    return seek<kHalf>(lows_, bits_.template low<kHalf>(), nullptr, start, forward, loose);
  }

  // Moves the ends of an arc to the nearest values whose low half lies in `low`.
  static constexpr Arc walk(const Arc &a, const LowArc &low) {
    if (a.is_bottom() || low.is_bottom())
      return Arc::bottom();
    if (a.is_top() || low.is_top())
      return a;
    std::uint64_t adv = 0, back = 0;
    HU l = HW::wrap(a.base());
    if (!low.contains(l))
      adv = HW::wrap(std::uint64_t{low.base()} - l);
    if (adv > a.len())
      return Arc::bottom();
    HU e = HW::wrap(a.last());
    if (!low.contains(e))
      back = HW::wrap(std::uint64_t{e} - low.last());
    if (back > a.len() - adv)
      return Arc::bottom();
    return Arc::arc(W::wrap(a.base() + adv), static_cast<U>(a.len() - adv - back));
  }
  constexpr void set_bottom() {
    arcs_ = {Arc::bottom(), Arc::bottom()};
    lows_ = {LowArc::bottom(), LowArc::bottom()};
    bits_ = Tnum<Bits>::bottom();
  }
  constexpr void reduce() {
    for (int round = 0; round < 2; ++round) {
      if (arcs_.is_bottom() || lows_.is_bottom() || bits_.is_bottom())
        return set_bottom();
      // Low half from the full arcs and the low known bits.
      lows_.constrain(arcs_.first.template truncate<kHalf>());
      lows_.constrain(arcs_.second.template truncate<kHalf>());
      Low l(lows_.first, bits_.template low<kHalf>());
      if (l.is_bottom())
        return set_bottom();
      lows_.first = l.arc();
      // Full arc from the low half, the second arc and the known bits.
      Arc a = walk(walk(arcs_.first, lows_.first), lows_.second);
      Full f(a, bits_.with_low(l.bits()));
      if (f.is_bottom())
        return set_bottom();
      bool same = f.arc() == arcs_.first && f.bits() == bits_;
      arcs_.first = f.arc();
      bits_ = f.bits();
      if (same)
        break;
    }
    if (arcs_.is_bottom() || lows_.is_bottom() || bits_.is_bottom())
      set_bottom();
  }

  ArcPair<Bits> arcs_;
  ArcPair<kHalf> lows_;
  Tnum<Bits> bits_;
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
