// Refinement of Scalars on the two branches of a conditional jump. A comparison is first turned
// into the condition that holds on the branch (its negation on the fall-through), then into one
// of six basic relations over one width, applied to the full values (jmp64) or to the low halves
// (jmp32, after which the reduction carries the news to the full width).
#include "domains/interval_arith.h"
#include "domains/scalar.h"

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

// The interval without the value c, when c is one of its arc's ends.
template <unsigned W> Interval<W> remove(const Interval<W> &a, typename Width<W>::U c) {
  using Arc = WInterval<W>;
  const Arc &r = a.arc();
  if (!a.contains(c))
    return a;
  if (r.is_singleton())
    return Interval<W>::bottom();
  if (r.is_top())
    return Interval<W>(Arc::arc(Width<W>::wrap(std::uint64_t{c} + 1), Width<W>::kMax - 1),
                       a.bits());
  if (r.base() == c)
    return Interval<W>(Arc::arc(Width<W>::wrap(std::uint64_t{c} + 1), r.len() - 1), a.bits());
  if (r.last() == c)
    return Interval<W>(Arc::arc(r.base(), r.len() - 1), a.bits());
  return a;
}

template <unsigned W> void refine_lt(Interval<W> &a, Interval<W> &b, bool strict, bool is_signed) {
  using Wd = Width<W>;
  using Iv = Interval<W>;
  if (is_signed) {
    std::int64_t bmax = b.smax(), amin = a.smin();
    if (strict && (bmax == Wd::kSMin || amin == Wd::kSMax)) {
      a = b = Iv::bottom();
      return;
    }
    a = a.meet(Iv::srange(Wd::kSMin, strict ? bmax - 1 : bmax));
    b = b.meet(Iv::srange(strict ? amin + 1 : amin, Wd::kSMax));
  } else {
    auto bmax = b.umax(), amin = a.umin();
    if (strict && (bmax == 0 || amin == Wd::kMax)) {
      a = b = Iv::bottom();
      return;
    }
    a = a.meet(Iv::urange(0, static_cast<typename Wd::U>(strict ? bmax - 1 : bmax)));
    b = b.meet(Iv::urange(static_cast<typename Wd::U>(strict ? amin + 1 : amin), Wd::kMax));
  }
}

// Bits known one in `other` are zero in the result (a & other == 0).
template <unsigned W> Interval<W> clear_known(const Interval<W> &a, const Interval<W> &other) {
  Tnum<W> t(0, Width<W>::wrap(~std::uint64_t{other.bits().value()}));
  return a.meet(Interval<W>::from_bits(t));
}

template <unsigned W> void refine_set(Interval<W> &a, Interval<W> &b) {
  using Iv = Interval<W>;
  Tnum<W> both = a.bits().bit_and(b.bits());
  if (both.is_const() && both.value() == 0) {
    a = b = Iv::bottom();
    return;
  }
  a = remove<W>(a, 0);
  b = remove<W>(b, 0);
  // A single possible bit in one operand must be set in the other.
  for (int i = 0; i < 2; ++i) {
    Iv &x = i ? b : a, &y = i ? a : b;
    std::uint64_t possible = std::uint64_t{x.bits().value()} | x.bits().mask();
    if (!x.is_bottom() && std::has_single_bit(possible))
      y = y.meet(Iv::from_bits(
          Tnum<W>(static_cast<typename Width<W>::U>(possible), Width<W>::wrap(~possible))));
    if (!x.is_bottom() && std::has_single_bit(possible))
      x = x.meet(Iv::constant(static_cast<typename Width<W>::U>(possible)));
  }
  if (a.is_bottom() || b.is_bottom())
    a = b = Iv::bottom();
}

template <unsigned W> void refine_rel(Rel rel, Interval<W> &a, Interval<W> &b) {
  switch (rel) {
  case Rel::Eq:
    a = b = a.meet(b);
    return;
  case Rel::Ne:
    if (b.is_singleton())
      a = remove<W>(a, b.umin());
    if (a.is_singleton())
      b = remove<W>(b, a.umin());
    break;
  case Rel::Ult:
  case Rel::Ule:
  case Rel::Slt:
  case Rel::Sle:
    refine_lt<W>(a, b, rel == Rel::Ult || rel == Rel::Slt, rel == Rel::Slt || rel == Rel::Sle);
    break;
  case Rel::Set:
    refine_set<W>(a, b);
    break;
  case Rel::Clear: {
    Interval<W> a2 = clear_known<W>(a, b);
    b = clear_known<W>(b, a);
    a = a2;
    break;
  }
  }
  if (a.is_bottom() || b.is_bottom())
    a = b = Interval<W>::bottom();
}

} // namespace

template <unsigned B>
std::pair<Scalar<B>, Scalar<B>> refine(CmpOp op, const Scalar<B> &dst, const Scalar<B> &src,
                                       bool taken, bool jmp64) {
  constexpr unsigned H = Scalar<B>::kHalf;
  Basic k = basic(op, taken);
  if (dst.is_bottom() || src.is_bottom())
    return {Scalar<B>::bottom(), Scalar<B>::bottom()};
  if (jmp64) {
    if (k.rel == Rel::Eq) {
      Scalar<B> m = dst.meet(src);
      return {m, m};
    }
    Interval<B> a = dst.full(), b = src.full();
    refine_rel<B>(k.rel, k.swap ? b : a, k.swap ? a : b);
    return {Scalar<B>(a, dst.low_arc()), Scalar<B>(b, src.low_arc())};
  }
  Interval<H> a = dst.low(), b = src.low();
  refine_rel<H>(k.rel, k.swap ? b : a, k.swap ? a : b);
  auto rebuild = [](const Scalar<B> &s, const Interval<H> &l) {
    Interval<B> f(s.full().arc(), s.bits().with_low(l.bits()));
    return Scalar<B>(f, s.low_arc().meet(l.arc()));
  };
  return {rebuild(dst, a), rebuild(src, b)};
}

#define BPFCHECK_INSTANTIATE_BRANCH(B)                                                             \
  template std::pair<Scalar<B>, Scalar<B>> refine<B>(CmpOp, const Scalar<B> &, const Scalar<B> &,  \
                                                     bool, bool);

BPFCHECK_INSTANTIATE_BRANCH(4)
BPFCHECK_INSTANTIATE_BRANCH(8)
BPFCHECK_INSTANTIATE_BRANCH(16)
BPFCHECK_INSTANTIATE_BRANCH(64)

} // namespace bpfcheck::domains
