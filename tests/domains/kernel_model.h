// A reference model of the Linux verifier's older range scheme, for the precision test: a
// register is u64/s64/u32/s32 ranges plus a tnum, synced after every operation (the
// reg_bounds_sync steps as documented: bounds from the tnum, 32<->64 and signed<->unsigned
// deductions, then the tnum from the ranges). Written from the kernel's documentation; it
// models the documented behaviour, not every special case of a particular kernel release.
#pragma once

#include "domains/scalar.h"

#include <algorithm>
#include <cstdint>

namespace bpfcheck::domains::test {

struct KReg {
  std::uint64_t umin = 0, umax = UINT64_MAX;
  std::int64_t smin = INT64_MIN, smax = INT64_MAX;
  std::uint32_t u32min = 0, u32max = UINT32_MAX;
  std::int32_t s32min = INT32_MIN, s32max = INT32_MAX;
  Tnum64 var = Tnum64::top();

  bool infeasible() const {
    return umin > umax || smin > smax || u32min > u32max || s32min > s32max || var.is_bottom();
  }

  static KReg from(const Scalar64 &s) {
    KReg k;
    k.umin = s.umin();
    k.umax = s.umax();
    k.smin = s.smin();
    k.smax = s.smax();
    k.u32min = static_cast<std::uint32_t>(s.umin32());
    k.u32max = static_cast<std::uint32_t>(s.umax32());
    k.s32min = static_cast<std::int32_t>(s.smin32());
    k.s32max = static_cast<std::int32_t>(s.smax32());
    k.var = s.bits();
    k.sync();
    return k;
  }
  static KReg constant(std::uint64_t c) {
    KReg k;
    k.umin = k.umax = c;
    k.smin = k.smax = static_cast<std::int64_t>(c);
    k.u32min = k.u32max = static_cast<std::uint32_t>(c);
    k.s32min = k.s32max = static_cast<std::int32_t>(c);
    k.var = Tnum64::constant(c);
    return k;
  }
  void unbound64() {
    umin = 0;
    umax = UINT64_MAX;
    smin = INT64_MIN;
    smax = INT64_MAX;
  }
  void unbound32() {
    u32min = 0;
    u32max = UINT32_MAX;
    s32min = INT32_MIN;
    s32max = INT32_MAX;
  }
  bool is_const() const { return var.is_const(); }

  void update_from_tnum() {
    Tnum32 v32 = var.low<32>();
    s32min = std::max(s32min, static_cast<std::int32_t>(v32.value() | (v32.mask() & 0x80000000u)));
    s32max = std::min(s32max, static_cast<std::int32_t>(v32.value() | (v32.mask() & 0x7fffffffu)));
    u32min = std::max(u32min, v32.value());
    u32max = std::min(u32max, static_cast<std::uint32_t>(v32.value() | v32.mask()));
    smin = std::max(smin, static_cast<std::int64_t>(var.value() | (var.mask() & (1ull << 63))));
    smax = std::min(smax, static_cast<std::int64_t>(var.value() | (var.mask() & ~(1ull << 63))));
    umin = std::max(umin, var.value());
    umax = std::min(umax, static_cast<std::uint64_t>(var.value() | var.mask()));
  }
  void deduce32() {
    if ((umin >> 32) == (umax >> 32)) {
      u32min = std::max(u32min, static_cast<std::uint32_t>(umin));
      u32max = std::min(u32max, static_cast<std::uint32_t>(umax));
      if (static_cast<std::int32_t>(umin) <= static_cast<std::int32_t>(umax)) {
        s32min = std::max(s32min, static_cast<std::int32_t>(umin));
        s32max = std::min(s32max, static_cast<std::int32_t>(umax));
      }
    }
    if ((static_cast<std::uint64_t>(smin) >> 32) == (static_cast<std::uint64_t>(smax) >> 32)) {
      if (static_cast<std::uint32_t>(smin) <= static_cast<std::uint32_t>(smax)) {
        u32min = std::max(u32min, static_cast<std::uint32_t>(smin));
        u32max = std::min(u32max, static_cast<std::uint32_t>(smax));
      }
      if (static_cast<std::int32_t>(smin) <= static_cast<std::int32_t>(smax)) {
        s32min = std::max(s32min, static_cast<std::int32_t>(smin));
        s32max = std::min(s32max, static_cast<std::int32_t>(smax));
      }
    }
    if (static_cast<std::int32_t>(u32min) <= static_cast<std::int32_t>(u32max)) {
      s32min = std::max(s32min, static_cast<std::int32_t>(u32min));
      s32max = std::min(s32max, static_cast<std::int32_t>(u32max));
    }
    if (static_cast<std::uint32_t>(s32min) <= static_cast<std::uint32_t>(s32max)) {
      u32min = std::max(u32min, static_cast<std::uint32_t>(s32min));
      u32max = std::min(u32max, static_cast<std::uint32_t>(s32max));
    }
  }
  void deduce64() {
    if (static_cast<std::int64_t>(umin) <= static_cast<std::int64_t>(umax)) {
      smin = std::max(smin, static_cast<std::int64_t>(umin));
      smax = std::min(smax, static_cast<std::int64_t>(umax));
    }
    if (static_cast<std::uint64_t>(smin) <= static_cast<std::uint64_t>(smax)) {
      umin = std::max(umin, static_cast<std::uint64_t>(smin));
      umax = std::min(umax, static_cast<std::uint64_t>(smax));
    }
  }
  void deduce_mixed() {
    constexpr std::uint64_t hi = ~0xffffffffull;
    umin = std::max(umin, (umin & hi) | u32min);
    umax = std::min(umax, (umax & hi) | u32max);
    smin =
        std::max(smin, static_cast<std::int64_t>((static_cast<std::uint64_t>(smin) & hi) | u32min));
    smax =
        std::min(smax, static_cast<std::int64_t>((static_cast<std::uint64_t>(smax) & hi) | u32max));
  }
  void bound_offset() {
    Tnum64 v64 = var.meet(Tnum64::range(umin, umax));
    Tnum32 v32 = v64.low<32>().meet(Tnum32::range(u32min, u32max));
    var = v64.with_low(v32);
  }
  void sync() {
    if (infeasible())
      return;
    update_from_tnum();
    deduce32();
    deduce64();
    deduce_mixed();
    deduce64();
    if (infeasible())
      return;
    bound_offset();
    if (infeasible())
      return;
    update_from_tnum();
  }
  // A 32-bit ALU result: the upper half becomes zero.
  void zext32() {
    var = Tnum64::zext(var.low<32>());
    umin = u32min;
    umax = u32max;
    if (s32min >= 0) {
      smin = s32min;
      smax = s32max;
    } else {
      smin = 0;
      smax = UINT32_MAX;
    }
  }
};

} // namespace bpfcheck::domains::test
