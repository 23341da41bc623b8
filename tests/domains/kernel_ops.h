// Transfer functions and branch refinements of the kernel-scheme reference model (KReg): the
// documented range rules per operation for both widths, then a sync. Shifts by an unknown
// amount, division and modulo give an unknown value, as in the older verifier.
#pragma once

#include "kernel_model.h"

#include <limits>

namespace bpfcheck::domains::test {

template <typename U, typename S> struct Ranges {
  U &umin, &umax;
  S &smin, &smax;
  void unbound() {
    umin = 0;
    umax = static_cast<U>(~U{0});
    smin = std::numeric_limits<S>::min();
    smax = std::numeric_limits<S>::max();
  }
  void unbound_s() {
    smin = std::numeric_limits<S>::min();
    smax = std::numeric_limits<S>::max();
  }
  void unbound_u() {
    umin = 0;
    umax = static_cast<U>(~U{0});
  }
};
using R64 = Ranges<std::uint64_t, std::int64_t>;
using R32 = Ranges<std::uint32_t, std::int32_t>;
inline R64 r64(KReg &k) { return {k.umin, k.umax, k.smin, k.smax}; }
inline R32 r32(KReg &k) { return {k.u32min, k.u32max, k.s32min, k.s32max}; }

// One width's range rule for a low-half-local operation; `t` is the result tnum at that width.
template <typename U, typename S, typename T>
void range_rule(AluOp op, Ranges<U, S> d, Ranges<U, S> s, const T &t) {
  U ulo, uhi;
  S slo, shi;
  switch (op) {
  case AluOp::Add:
    if (__builtin_add_overflow(d.smin, s.smin, &slo) ||
        __builtin_add_overflow(d.smax, s.smax, &shi))
      d.unbound_s();
    else
      d.smin = slo, d.smax = shi;
    if (__builtin_add_overflow(d.umin, s.umin, &ulo) ||
        __builtin_add_overflow(d.umax, s.umax, &uhi))
      d.unbound_u();
    else
      d.umin = ulo, d.umax = uhi;
    return;
  case AluOp::Sub:
    if (__builtin_sub_overflow(d.smin, s.smax, &slo) ||
        __builtin_sub_overflow(d.smax, s.smin, &shi))
      d.unbound_s();
    else
      d.smin = slo, d.smax = shi;
    if (d.umin < s.umax)
      d.unbound_u();
    else
      d.umin = static_cast<U>(d.umin - s.umax), d.umax = static_cast<U>(d.umax - s.umin);
    return;
  case AluOp::Mul: {
    if (__builtin_mul_overflow(d.umax, s.umax, &uhi))
      d.unbound_u();
    else
      d.umin = static_cast<U>(d.umin * s.umin), d.umax = uhi;
    S c[4];
    if (__builtin_mul_overflow(d.smin, s.smin, &c[0]) ||
        __builtin_mul_overflow(d.smin, s.smax, &c[1]) ||
        __builtin_mul_overflow(d.smax, s.smin, &c[2]) ||
        __builtin_mul_overflow(d.smax, s.smax, &c[3]))
      d.unbound_s();
    else
      d.smin = std::min({c[0], c[1], c[2], c[3]}), d.smax = std::max({c[0], c[1], c[2], c[3]});
    return;
  }
  case AluOp::And:
  case AluOp::Or:
  case AluOp::Xor: {
    bool nonneg = d.smin >= 0 && s.smin >= 0;
    if (op == AluOp::And)
      d.umin = t.value(), d.umax = std::min(d.umax, s.umax);
    else if (op == AluOp::Or)
      d.umin = std::max(d.umin, s.umin), d.umax = static_cast<U>(t.value() | t.mask());
    else
      d.umin = t.value(), d.umax = static_cast<U>(t.value() | t.mask());
    if (nonneg && static_cast<S>(d.umin) <= static_cast<S>(d.umax) && static_cast<S>(d.umin) >= 0)
      d.smin = static_cast<S>(d.umin), d.smax = static_cast<S>(d.umax);
    else
      d.unbound_s();
    return;
  }
  default:
    d.unbound();
  }
}

template <typename U, typename S> void shift_rule(AluOp op, Ranges<U, S> d, unsigned k) {
  constexpr unsigned bits = sizeof(U) * 8;
  if (op == AluOp::Lsh) {
    d.unbound_s();
    if (d.umax > (U{1} << (bits - 1 - k)))
      d.unbound_u();
    else
      d.umin = static_cast<U>(d.umin << k), d.umax = static_cast<U>(d.umax << k);
  } else if (op == AluOp::Rsh) {
    d.unbound_s();
    d.umin >>= k;
    d.umax >>= k;
  } else {
    d.unbound_u();
    d.smin = static_cast<S>(d.smin >> k);
    d.smax = static_cast<S>(d.smax >> k);
  }
}

inline Tnum64 tnum_op(AluOp op, const Tnum64 &a, const Tnum64 &b) {
  switch (op) {
  case AluOp::Add:
    return a.add(b);
  case AluOp::Sub:
    return a.sub(b);
  case AluOp::Mul:
    return a.mul(b);
  case AluOp::And:
    return a.bit_and(b);
  case AluOp::Or:
    return a.bit_or(b);
  case AluOp::Xor:
    return a.bit_xor(b);
  default:
    return Tnum64::top();
  }
}

inline KReg kernel_alu(AluOp op, KReg d, KReg s, bool alu64) {
  if (op == AluOp::Mov) {
    if (!alu64)
      s.zext32();
    s.sync();
    return s;
  }
  bool shift = op == AluOp::Lsh || op == AluOp::Rsh || op == AluOp::Arsh;
  unsigned bits = alu64 ? 64 : 32;
  if (shift) {
    if (!s.is_const() || s.umin >= bits) { // unknown or out-of-range amount: unknown value
      KReg u;
      if (!alu64)
        u.zext32();
      u.sync();
      return u;
    }
    unsigned k = static_cast<unsigned>(s.umin);
    if (alu64) {
      shift_rule(op, r64(d), k);
      d.unbound32();
      d.var = op == AluOp::Lsh ? d.var.shl(k) : op == AluOp::Rsh ? d.var.lshr(k) : d.var.ashr(k);
    } else {
      shift_rule(op, r32(d), k);
      Tnum32 v = d.var.low<32>();
      v = op == AluOp::Lsh ? v.shl(k) : op == AluOp::Rsh ? v.lshr(k) : v.ashr(k);
      d.var = Tnum64::zext(v);
      d.zext32();
    }
    d.sync();
    return d;
  }
  Tnum64 t = tnum_op(op, d.var, s.var);
  range_rule(op, r32(d), r32(s), t.low<32>());
  if (alu64) {
    range_rule(op, r64(d), r64(s), t);
    d.var = t;
  } else {
    d.var = Tnum64::zext(t.low<32>());
    d.zext32();
  }
  d.sync();
  return d;
}

inline KReg kernel_neg(const KReg &d, bool alu64) {
  return kernel_alu(AluOp::Sub, KReg::constant(0), d, alu64);
}

// Unary casts: unchanged when the value already fits, else the full range of the target type.
inline KReg kernel_movsx(KReg d, unsigned k, bool alu64) {
  std::int64_t lo = -(std::int64_t{1} << (k - 1)), hi = (std::int64_t{1} << (k - 1)) - 1;
  if (d.is_const()) {
    std::uint64_t v = d.var.value() & ((1ull << k) - 1);
    std::int64_t x = static_cast<std::int64_t>((v ^ (1ull << (k - 1))) - (1ull << (k - 1)));
    return KReg::constant(alu64 ? static_cast<std::uint64_t>(x) : static_cast<std::uint32_t>(x));
  }
  bool fits = alu64 ? (d.smin >= lo && d.smax <= hi) : (d.s32min >= lo && d.s32max <= hi);
  if (!fits) {
    KReg u;
    u.smin = lo;
    u.smax = hi;
    u.s32min = static_cast<std::int32_t>(std::max<std::int64_t>(lo, INT32_MIN));
    u.s32max = static_cast<std::int32_t>(std::min<std::int64_t>(hi, INT32_MAX));
    d = u;
  }
  if (!alu64)
    d.zext32();
  d.sync();
  return d;
}

inline KReg kernel_truncate(KReg d, unsigned k) {
  if (k == 64)
    return d;
  std::uint64_t m = (1ull << k) - 1;
  if (d.umax > m) {
    d.var = d.var.trunc_bits(k);
    d.unbound64();
    d.unbound32();
    d.umax = m;
  }
  d.sync();
  return d;
}

inline KReg kernel_bswap(KReg d, unsigned k) {
  if (d.is_const())
    return KReg::constant(Tnum64::swap_units(d.var.value(), k));
  KReg u;
  if (k < 64)
    u.umax = (1ull << k) - 1;
  u.sync();
  return u;
}

} // namespace bpfcheck::domains::test
