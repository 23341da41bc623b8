// Scalars and loop counters in the zone (analyzer/zone_scalars.h): exact adds only when nothing
// wraps, comparisons recorded only where they order the zone's integers, relations only inside
// loops, and the counter relations a sparse join would drop.
#include "analyzer/zone_scalars.h"

#include <doctest/doctest.h>

using namespace bpfcheck;
using namespace bpfcheck::analyzer;

namespace {

// A state inside one loop (counter 0 live) with the given scalar registers.
State in_loop_with(std::initializer_list<std::pair<unsigned, Scalar64>> regs) {
  State s = State::entry();
  enter_loop(s, 0);
  for (auto [r, v] : regs)
    s.set_reg(r, RegValue::scalar(v));
  return s;
}

std::optional<std::int64_t> diff(const State &s, unsigned x, unsigned y) {
  return s.zone().diff_upper(zvar::reg(x), zvar::reg(y));
}

} // namespace

TEST_CASE("a scalar register is bounded in the zone by its interval") {
  State s = State::entry();
  s.set_reg(1, RegValue::scalar(Scalar64::srange(-3, 40)));
  CHECK(s.zone().lower(zvar::reg(1)) == -3);
  CHECK(s.zone().upper(zvar::reg(1)) == 40);
  s.set_reg(2, RegValue::scalar_top()); // no bound, no vertex
  CHECK_FALSE(s.zone().upper(zvar::reg(2)));
  CHECK_FALSE(in_loop(s));
}

TEST_CASE("add and sub of constants move the variable exactly unless they may wrap") {
  State s = in_loop_with({{1, Scalar64::urange(0, 9)}, {2, Scalar64::constant(5)}});
  s.zone().assign_var(zvar::reg(5), zvar::reg(1)); // r5's variable remembers the old r1
  Scalar64 one = Scalar64::constant(1);
  CHECK(zone_add_sub(s, 1, s.reg(1).num, one, false, true, Scalar64::urange(1, 10)));
  CHECK(diff(s, 1, 5) == 1); // translated: a relation, not only bounds
  CHECK(s.zone().upper(zvar::reg(1)) == 10);
  // 32-bit: w1 -= 1 on [1, 10] stays in [0, 2^32): exact; on [0, 10] it may wrap: refused.
  CHECK(zone_add_sub(s, 1, s.reg(1).num, one, true, false, Scalar64::urange(0, 9)));
  State wrap = in_loop_with({{1, Scalar64::urange(0, 10)}});
  CHECK_FALSE(zone_add_sub(wrap, 1, wrap.reg(1).num, one, true, false, Scalar64::top()));
  // 64-bit near INT64_MAX may overflow: refused.
  State big = in_loop_with({{1, Scalar64::srange(0, INT64_MAX)}});
  CHECK_FALSE(zone_add_sub(big, 1, big.reg(1).num, one, false, true, Scalar64::top()));
  // An unknown step in [1, 4]: new - old in [1, 4], inside loops only.
  State step = in_loop_with({{1, Scalar64::urange(0, 9)}, {3, Scalar64::urange(1, 4)}});
  step.zone().assign_var(zvar::reg(5), zvar::reg(1)); // remember the old value
  CHECK(zone_add_sub(step, 1, step.reg(1).num, step.reg(3).num, false, true,
                     Scalar64::urange(1, 13)));
  CHECK(diff(step, 1, 5) == 4);
  CHECK(diff(step, 5, 1) == -1);
  State outside = State::entry();
  outside.set_reg(1, RegValue::scalar(Scalar64::urange(0, 9)));
  outside.set_reg(3, RegValue::scalar(Scalar64::urange(1, 4)));
  CHECK_FALSE(zone_add_sub(outside, 1, outside.reg(1).num, outside.reg(3).num, false, true,
                           Scalar64::urange(1, 13)));
}

TEST_CASE("comparisons relate registers only where they order the zone's integers") {
  // r1 < r2, both non-negative: r1 - r2 <= -1, and r2 <= 64 bounds r1 by 63.
  State s = in_loop_with({{1, Scalar64::urange(0, 100)}, {2, Scalar64::urange(0, 64)}});
  zone_compare(s, Condition::Lt, true, true, 1, 2);
  CHECK(diff(s, 1, 2) == -1);
  CHECK(s.reg(1).num.umax() == 63);
  // Unsigned order of a possibly negative value says nothing about its signed value.
  State neg = in_loop_with({{1, Scalar64::srange(-5, 100)}, {2, Scalar64::urange(0, 64)}});
  zone_compare(neg, Condition::Lt, true, true, 1, 2);
  CHECK(diff(neg, 1, 2) == 100); // only through the bounds
  // A 32-bit comparison of values that may not fit 32 bits: nothing; a signed one is fine.
  State wide = in_loop_with({{1, Scalar64::urange(0, 1ull << 40)}, {2, Scalar64::urange(0, 64)}});
  zone_compare(wide, Condition::Lt, false, true, 1, 2);
  CHECK(diff(wide, 1, 2) == std::int64_t{1} << 40);
  zone_compare(wide, Condition::SLt, true, true, 1, 2);
  CHECK(diff(wide, 1, 2) == -1);
  // Not taken: r1 >= r2.
  State ge = in_loop_with({{1, Scalar64::urange(0, 100)}, {2, Scalar64::urange(0, 64)}});
  zone_compare(ge, Condition::Lt, true, false, 1, 2);
  CHECK(diff(ge, 2, 1) == 0);
  // Outside loops only the bounds are kept.
  State out = State::entry();
  out.set_reg(1, RegValue::scalar(Scalar64::urange(0, 100)));
  out.set_reg(2, RegValue::scalar(Scalar64::urange(0, 64)));
  zone_compare(out, Condition::Lt, true, true, 1, 2);
  CHECK(out.zone().num_edges() == 0);
}

TEST_CASE("counters: reset, iterate, negation, and the join keeps their relations") {
  // Entry: counter 0, i = 0. Back edge: counter 1, i = 1. Their join: counter - i == 0, which
  // both sides only implied through their constants.
  State entry = in_loop_with({{1, Scalar64::constant(0)}});
  State back = entry;
  iterate_loop(back, 0);
  back.zone().assign_add_constant(zvar::reg(1), zvar::reg(1), 1);
  back.reg_mut(1).num = Scalar64::constant(1);
  State joined = entry.join(back);
  CHECK(joined.zone().diff_upper(zvar::counter(0), zvar::reg(1)) == 0);
  CHECK(joined.zone().diff_upper(zvar::reg(1), zvar::counter(0)) == 0);
  CHECK(counter_bound(joined, 0) == 1);
  // Counting down (i = 10 - counter): i - counter_neg <= 10 with i >= 0 bounds the counter,
  // which has no upper bound of its own (as after widening).
  State d = State::entry();
  d.set_reg(1, RegValue::scalar(Scalar64::urange(0, 10)));
  d.zone().assume_lower(zvar::counter(0), 0);
  d.zone().assume_upper(zvar::counter_neg(0), 0);
  d.zone().assume_diff(zvar::reg(1), zvar::counter_neg(0), 10);
  CHECK(in_loop(d));
  CHECK(counter_bound(d, 0) == 10);
  // Leaving the loop forgets both.
  leave_loops(d, 0, 1);
  CHECK_FALSE(in_loop(d));
  CHECK_FALSE(counter_bound(d, 0));
  CHECK(live_counters(joined) == 1);
}
