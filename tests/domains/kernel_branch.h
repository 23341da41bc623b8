// Branch refinement of the kernel-scheme reference model: the range rules of the documented
// comparison refinement on one width (64 or the 32-bit subregister), then a sync.
#pragma once

#include "kernel_ops.h"

namespace bpfcheck::domains::test {

enum class KRel { Eq, Ne, Gt, Ge, Sgt, Sge, Set, Clear };

inline KRel holding(CmpOp op, bool taken, bool &swap) {
  swap = false;
  switch (op) {
  case CmpOp::Eq:
    return taken ? KRel::Eq : KRel::Ne;
  case CmpOp::Ne:
    return taken ? KRel::Ne : KRel::Eq;
  case CmpOp::Gt:
    swap = !taken;
    return taken ? KRel::Gt : KRel::Ge; // not taken: src >= dst
  case CmpOp::Ge:
    swap = !taken;
    return taken ? KRel::Ge : KRel::Gt;
  case CmpOp::Lt:
    swap = taken;
    return taken ? KRel::Gt : KRel::Ge;
  case CmpOp::Le:
    swap = taken;
    return taken ? KRel::Ge : KRel::Gt;
  case CmpOp::Sgt:
    swap = !taken;
    return taken ? KRel::Sgt : KRel::Sge;
  case CmpOp::Sge:
    swap = !taken;
    return taken ? KRel::Sge : KRel::Sgt;
  case CmpOp::Slt:
    swap = taken;
    return taken ? KRel::Sgt : KRel::Sge;
  case CmpOp::Sle:
    swap = taken;
    return taken ? KRel::Sge : KRel::Sgt;
  case CmpOp::Set:
    break;
  }
  return taken ? KRel::Set : KRel::Clear;
}

template <typename U, typename S> void refine_ranges(KRel rel, Ranges<U, S> a, Ranges<U, S> b) {
  switch (rel) {
  case KRel::Eq:
    a.umin = b.umin = std::max(a.umin, b.umin);
    a.umax = b.umax = std::min(a.umax, b.umax);
    a.smin = b.smin = std::max(a.smin, b.smin);
    a.smax = b.smax = std::min(a.smax, b.smax);
    return;
  case KRel::Ne:
    for (int i = 0; i < 2; ++i) {
      Ranges<U, S> &x = i ? a : b, &y = i ? b : a; // y is the constant side
      if (y.umin != y.umax)
        continue;
      U c = y.umin;
      if (x.umin == c && x.umin < x.umax)
        ++x.umin;
      else if (x.umax == c && x.umin < x.umax)
        --x.umax;
      if (x.smin == static_cast<S>(c) && x.smin < x.smax)
        ++x.smin;
      else if (x.smax == static_cast<S>(c) && x.smin < x.smax)
        --x.smax;
    }
    return;
  case KRel::Gt: // a > b
  case KRel::Ge: {
    U d = rel == KRel::Gt;
    if (b.umin <= static_cast<U>(~U{0}) - d)
      a.umin = std::max(a.umin, static_cast<U>(b.umin + d));
    else
      a.umin = 1, a.umax = 0; // infeasible
    if (a.umax >= d)
      b.umax = std::min(b.umax, static_cast<U>(a.umax - d));
    else
      b.umin = 1, b.umax = 0;
    return;
  }
  case KRel::Sgt:
  case KRel::Sge: {
    S d = rel == KRel::Sgt;
    if (b.smin <= std::numeric_limits<S>::max() - d)
      a.smin = std::max(a.smin, static_cast<S>(b.smin + d));
    else
      a.smin = 1, a.smax = 0;
    if (a.smax >= std::numeric_limits<S>::min() + d)
      b.smax = std::min(b.smax, static_cast<S>(a.smax - d));
    else
      b.smin = 1, b.smax = 0;
    return;
  }
  default:
    return;
  }
}

inline std::pair<KReg, KReg> kernel_refine(CmpOp op, KReg a, KReg b, bool taken, bool jmp64) {
  bool swap;
  KRel rel = holding(op, taken, swap);
  KReg &x = swap ? b : a, &y = swap ? a : b;
  if (rel == KRel::Set || rel == KRel::Clear) {
    for (int i = 0; i < 2; ++i) {
      KReg &p = i ? y : x, &q = i ? x : y; // q constant
      if (!q.is_const())
        continue;
      std::uint64_t c = jmp64 ? q.var.value() : static_cast<std::uint32_t>(q.var.value());
      if (rel == KRel::Set && std::has_single_bit(c))
        p.var = p.var.bit_or(Tnum64::constant(c));
      else if (rel == KRel::Clear)
        p.var = p.var.bit_and(Tnum64::constant(~c));
    }
  } else if (jmp64) {
    refine_ranges(rel, r64(x), r64(y));
    if (rel == KRel::Eq)
      x.var = y.var = x.var.meet(y.var);
  } else {
    refine_ranges(rel, r32(x), r32(y));
    if (rel == KRel::Eq) {
      Tnum32 m = x.var.low<32>().meet(y.var.low<32>());
      x.var = x.var.with_low(m);
      y.var = y.var.with_low(m);
    }
  }
  a.sync();
  b.sync();
  return {a, b};
}

} // namespace bpfcheck::domains::test
