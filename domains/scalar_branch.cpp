// Refinement of Scalars on the two branches of a conditional jump. A comparison is first turned
// into the relation that holds on the branch (its negation on the fall-through), then applied at
// one width: the full values (jmp64) or the low halves (jmp32, after which the reduction carries
// the news to the full width). Bounds come from the operands' views, and every refinement is a
// constraint (an arc or known bits), so the product keeps two-piece intersections exactly.
#include "domains/scalar.h"

#include <bit>

namespace bpfcheck::domains {

namespace {

enum class Rel { Eq, Ne, Ult, Ule, Slt, Sle, Set, Clear };

struct Basic {
  Rel rel;
  bool swap; // the relation holds between (src, dst)
};

Basic basic(CmpOp op, bool taken) {
  switch (op) {
  case CmpOp::Eq:
    return {taken ? Rel::Eq : Rel::Ne, false};
  case CmpOp::Ne:
    return {taken ? Rel::Ne : Rel::Eq, false};
  case CmpOp::Gt: // dst > src, else dst <= src
    return taken ? Basic{Rel::Ult, true} : Basic{Rel::Ule, false};
  case CmpOp::Ge:
    return taken ? Basic{Rel::Ule, true} : Basic{Rel::Ult, false};
  case CmpOp::Lt:
    return taken ? Basic{Rel::Ult, false} : Basic{Rel::Ule, true};
  case CmpOp::Le:
    return taken ? Basic{Rel::Ule, false} : Basic{Rel::Ult, true};
  case CmpOp::Sgt:
    return taken ? Basic{Rel::Slt, true} : Basic{Rel::Sle, false};
  case CmpOp::Sge:
    return taken ? Basic{Rel::Sle, true} : Basic{Rel::Slt, false};
  case CmpOp::Slt:
    return taken ? Basic{Rel::Slt, false} : Basic{Rel::Sle, true};
  case CmpOp::Sle:
    return taken ? Basic{Rel::Sle, false} : Basic{Rel::Slt, true};
  case CmpOp::Set:
    break;
  }
  return {taken ? Rel::Set : Rel::Clear, false};
}

// One width of a Scalar: the full value (wide) or its low half, with bounds and constraints
// expressed as 64-bit integers.
template <unsigned B> struct Level {
  using S = Scalar<B>;
  using HW = Width<S::kHalf>;
  bool wide;

  std::uint64_t max() const { return wide ? Width<B>::kMask : HW::kMask; }
  std::int64_t smin_limit() const { return wide ? Width<B>::kSMin : HW::kSMin; }
  std::int64_t smax_limit() const { return wide ? Width<B>::kSMax : HW::kSMax; }
  std::uint64_t umin(const S &s) const { return wide ? std::uint64_t{s.umin()} : s.umin32(); }
  std::uint64_t umax(const S &s) const { return wide ? std::uint64_t{s.umax()} : s.umax32(); }
  std::int64_t smin(const S &s) const { return wide ? s.smin() : s.smin32(); }
  std::int64_t smax(const S &s) const { return wide ? s.smax() : s.smax32(); }
  // Known bits of this width, as a full-width tnum with the other bits unknown.
  Tnum<B> bits(const S &s) const {
    return wide ? s.bits()
                : Tnum<B>::zext(s.bits().template low<S::kHalf>())
                      .bit_or(Tnum<B>(
                          0, static_cast<typename Width<B>::U>(~Width<B>::wrap(HW::kMask))));
  }
  std::uint64_t level_mask() const { return max(); }

  S urange(const S &s, std::uint64_t lo, std::uint64_t hi) const {
    if (lo > hi)
      return S::bottom();
    if (wide)
      return s.constrain(WInterval<B>::urange(Width<B>::wrap(lo), Width<B>::wrap(hi)));
    return s.constrain_low(WInterval<S::kHalf>::urange(HW::wrap(lo), HW::wrap(hi)));
  }
  S srange(const S &s, std::int64_t lo, std::int64_t hi) const {
    if (lo > hi)
      return S::bottom();
    if (wide)
      return s.constrain(WInterval<B>::srange(lo, hi));
    return s.constrain_low(WInterval<S::kHalf>::srange(lo, hi));
  }
  // Every value but c (a single arc: the rest of the circle).
  S exclude(const S &s, std::uint64_t c) const {
    if (wide)
      return s.constrain(WInterval<B>::arc(Width<B>::wrap(c + 1), Width<B>::kMax - 1));
    return s.constrain_low(WInterval<S::kHalf>::arc(HW::wrap(c + 1), HW::kMax - 1));
  }
  S equal_to(const S &s, const S &o) const {
    if (wide)
      return s.meet(o);
    return s.constrain_low(o.low_arcs().first)
        .constrain_low(o.low_arcs().second)
        .constrain_bits(Tnum<B>::top().with_low(o.bits().template low<S::kHalf>()));
  }
  bool singleton(const S &s) const { return umin(s) == umax(s); }
};

template <unsigned B>
void refine_lt(const Level<B> &l, Scalar<B> &a, Scalar<B> &b, bool strict, bool is_signed) {
  if (is_signed) {
    std::int64_t bmax = l.smax(b), amin = l.smin(a);
    if (strict && (bmax == l.smin_limit() || amin == l.smax_limit())) {
      a = b = Scalar<B>::bottom();
      return;
    }
    a = l.srange(a, l.smin_limit(), strict ? bmax - 1 : bmax);
    b = l.srange(b, strict ? amin + 1 : amin, l.smax_limit());
    return;
  }
  std::uint64_t bmax = l.umax(b), amin = l.umin(a);
  if (strict && (bmax == 0 || amin == l.max())) {
    a = b = Scalar<B>::bottom();
    return;
  }
  a = l.urange(a, 0, strict ? bmax - 1 : bmax);
  b = l.urange(b, strict ? amin + 1 : amin, l.max());
}

template <unsigned B> void refine_set(const Level<B> &l, Scalar<B> &a, Scalar<B> &b) {
  using U = typename Width<B>::U;
  Tnum<B> ta = l.bits(a), tb = l.bits(b);
  Tnum<B> both = ta.bit_and(tb).trunc_bits(l.wide ? B : Scalar<B>::kHalf);
  if (both.is_const() && both.value() == 0) {
    a = b = Scalar<B>::bottom();
    return;
  }
  a = l.exclude(a, 0);
  b = l.exclude(b, 0);
  // A single possible bit in one operand must be set in the other.
  for (int i = 0; i < 2; ++i) {
    Scalar<B> &x = i ? b : a, &y = i ? a : b;
    Tnum<B> tx = (i ? tb : ta).trunc_bits(l.wide ? B : Scalar<B>::kHalf);
    std::uint64_t possible = std::uint64_t{tx.value()} | tx.mask();
    if (std::has_single_bit(possible)) {
      y = y.constrain_bits(Tnum<B>(static_cast<U>(possible), Width<B>::wrap(~possible)));
      x = l.urange(x, possible, possible);
    }
  }
}

template <unsigned B> void refine_clear(const Level<B> &l, Scalar<B> &a, Scalar<B> &b) {
  using U = typename Width<B>::U;
  std::uint64_t ones_a = l.bits(a).value() & l.level_mask(),
                ones_b = l.bits(b).value() & l.level_mask();
  a = a.constrain_bits(Tnum<B>(0, static_cast<U>(Width<B>::wrap(~ones_b))));
  b = b.constrain_bits(Tnum<B>(0, static_cast<U>(Width<B>::wrap(~ones_a))));
}

template <unsigned B> void refine_rel(const Level<B> &l, Rel rel, Scalar<B> &a, Scalar<B> &b) {
  switch (rel) {
  case Rel::Eq: {
    Scalar<B> a2 = l.equal_to(a, b);
    b = l.equal_to(b, a);
    a = a2;
    break;
  }
  case Rel::Ne:
    if (l.singleton(b))
      a = l.exclude(a, l.umin(b));
    if (l.singleton(a))
      b = l.exclude(b, l.umin(a));
    break;
  case Rel::Ult:
  case Rel::Ule:
  case Rel::Slt:
  case Rel::Sle:
    refine_lt<B>(l, a, b, rel == Rel::Ult || rel == Rel::Slt, rel == Rel::Slt || rel == Rel::Sle);
    break;
  case Rel::Set:
    refine_set<B>(l, a, b);
    break;
  case Rel::Clear:
    refine_clear<B>(l, a, b);
    break;
  }
  if (a.is_bottom() || b.is_bottom())
    a = b = Scalar<B>::bottom();
}

} // namespace

template <unsigned B>
std::pair<Scalar<B>, Scalar<B>> refine(CmpOp op, const Scalar<B> &dst, const Scalar<B> &src,
                                       bool taken, bool jmp64) {
  if (dst.is_bottom() || src.is_bottom())
    return {Scalar<B>::bottom(), Scalar<B>::bottom()};
  Basic k = basic(op, taken);
  Scalar<B> a = dst, b = src;
  refine_rel<B>(Level<B>{jmp64}, k.rel, k.swap ? b : a, k.swap ? a : b);
  return {a, b};
}

#define BPFCHECK_INSTANTIATE_BRANCH(B)                                                             \
  template std::pair<Scalar<B>, Scalar<B>> refine<B>(CmpOp, const Scalar<B> &, const Scalar<B> &,  \
                                                     bool, bool);

BPFCHECK_INSTANTIATE_BRANCH(4)
BPFCHECK_INSTANTIATE_BRANCH(8)
BPFCHECK_INSTANTIATE_BRANCH(16)
BPFCHECK_INSTANTIATE_BRANCH(64)

} // namespace bpfcheck::domains
