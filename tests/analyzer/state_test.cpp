// Lattice operations of registers, the stack and the whole state: joins of different kinds,
// spills broken by partial writes, and the order being consistent with join.
#include "analyzer/state.h"

#include <doctest/doctest.h>

using namespace bpfcheck::analyzer;

TEST_CASE("register kinds: different pointers join to invalid, uninit wins") {
  RegValue ctx = RegValue::pointer(RegType::Ctx), stack = RegValue::pointer(RegType::Stack, -8);
  CHECK(ctx.join(stack).type == RegType::Invalid);
  CHECK(ctx.join(RegValue::uninit()).type == RegType::Uninit);
  CHECK(RegValue::constant(1).join(ctx).type == RegType::Invalid);
  // Same kind, different maps: a pointer into either map is neither.
  RegValue m0 = RegValue::pointer(RegType::MapValue, 0, 0);
  RegValue m1 = RegValue::pointer(RegType::MapValue, 0, 1);
  CHECK(m0.join(m1).type == RegType::Invalid);
  for (const RegValue &v : {ctx, stack, m0, RegValue::constant(7)}) {
    CHECK(v.leq(v.join(stack)));
    CHECK(v.leq(v.join(RegValue::uninit())));
  }
  CHECK_FALSE(RegValue::uninit().leq(ctx));
}

TEST_CASE("scalar join and nullness") {
  RegValue a = RegValue::constant(1), b = RegValue::constant(5);
  RegValue j = a.join(b);
  CHECK(j.type == RegType::Scalar);
  CHECK(j.num.umin() == 1);
  CHECK(j.num.umax() == 5);
  RegValue p = RegValue::pointer(RegType::MapValue, 0, 0), q = p;
  q.maybe_null = true;
  CHECK(p.join(q).maybe_null);
  CHECK(p.leq(q));
  CHECK_FALSE(q.leq(p));
}

TEST_CASE("stack: spills, partial overwrites and joins") {
  Stack s;
  s.write(-8, 8, RegValue::pointer(RegType::Ctx));
  REQUIRE(s.spill_at(-8));
  CHECK(s.read(-8, 8).value.type == RegType::Ctx);
  CHECK(s.read(-8, 4).status == Stack::ReadStatus::PartialSpill);
  Stack t = s;
  t.write(-3, 1, RegValue::constant(0));
  CHECK_FALSE(t.spill_at(-8));
  CHECK(t.byte(-8) == Stack::Byte::Scalar);
  CHECK(t.read(-8, 8).value.type == RegType::Scalar);
  // A spill on one side only is plain scalar bytes; unwritten on one side is uninitialized.
  Stack j = s.join(t);
  CHECK_FALSE(j.spill_at(-8));
  CHECK(j.read(-8, 8).status == Stack::ReadStatus::Ok);
  CHECK(s.leq(j));
  CHECK(t.leq(j));
  CHECK(s.join(Stack{}).read(-8, 1).status == Stack::ReadStatus::Uninit);
  CHECK_FALSE(j.leq(s));
}

TEST_CASE("state: entry, join of packet pointers keeps the common range") {
  State a = State::entry(), b = State::entry();
  CHECK(a.reg(1).type == RegType::Ctx);
  CHECK(a.reg(10).type == RegType::Stack);
  CHECK(a.reg(0).type == RegType::Uninit);
  for (State *s : {&a, &b}) {
    s->set_reg(2, RegValue::pointer(RegType::Packet));
    s->zone().assign_interval(zvar::reg(2), 0, 0);
  }
  a.zone().assume_diff(zvar::reg(2), zvar::kPacketSize, -14); // 14 bytes readable
  b.zone().assume_diff(zvar::reg(2), zvar::kPacketSize, -20);
  State j = a.join(b);
  CHECK(j.zone().diff_upper(zvar::reg(2), zvar::kPacketSize) == -14);
  CHECK(a.leq(j));
  CHECK(b.leq(j));
  // Not a packet pointer on one side: the zone forgets the register's variable.
  b.set_reg(2, RegValue::constant(0));
  State k = a.join(b);
  CHECK(k.reg(2).type == RegType::Invalid);
  CHECK_FALSE(k.zone().diff_upper(zvar::reg(2), zvar::kPacketSize).has_value());
  CHECK(State::bottom().leq(a));
  CHECK(State::bottom().join(a).leq(a));
}
