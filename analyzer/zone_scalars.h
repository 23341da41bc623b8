// Scalars and loop counters in the zone: a scalar register's (or spilled slot's) zone variable
// is its signed 64-bit value, bounded like its interval, and related to other variables only
// inside loops, where those relations bound loop counters (termination.h).
#pragma once

#include "analyzer/state.h"
#include "instruction.h"

namespace bpfcheck::analyzer {

// Bounds `var` in the zone by the signed range of `value` (tightening only).
void bound_in_zone(domains::Zone &zone, domains::Zone::Var var, const Scalar64 &value);
// Brings the zone's bounds of every scalar register and spilled scalar up to their intervals, so
// that closure can combine them with the relations (before reading a counter's bound).
void bound_all_scalars(State &state);
// Inside a loop (some loop counter is live): only there are scalar relations recorded, which
// keeps the zone sparse in loop-free code.
bool in_loop(const State &state);

// dst (a scalar) := old op src for an ALU add or sub whose result the zone can describe exactly
// (no wrap at the operation's width): records new - old in the zone and sets the register to
// `result`. False when the operation is not such an add/sub; the caller then overwrites.
bool zone_add_sub(State &state, unsigned dst, const Scalar64 &old, const Scalar64 &src,
                  bool subtract, bool is64, const Scalar64 &result);
// dst := src for scalars of equal value (a 64-bit move, or a 32-bit one of a value that fits):
// the variables become equal in the zone. `dst` already holds its new RegValue.
void zone_copy_scalar(State &state, unsigned dst, unsigned src, bool is64);
// A scalar spilled whole into the stack slot whose zone variable is `slot_var` (from register
// `src`, or an immediate), and filled whole back into register `dst`: in loops the variables
// become equal; elsewhere the destination keeps only its bounds.
void zone_spill_scalar(State &state, domains::Zone::Var slot_var, const Reg *src,
                       const Scalar64 &value);
void zone_fill_scalar(State &state, unsigned dst, domains::Zone::Var slot_var);
// After a conditional jump on two scalar registers refined to `left` and `right`: the
// difference constraint it implies, when the comparison means the same on the zone's integers,
// and the bounds it gives back to both intervals. May make the state bottom.
void zone_compare(State &state, Condition cond, bool is64, bool taken, unsigned left,
                  unsigned right);
// Inside loops, after a scalar test: the zone's bounds of every register (scalar value or packet
// offset) given back to its interval. A test of the counter bounds the offsets of the packet
// pointers advancing with it, which their widened intervals have lost.
void reduce_registers(State &state);

// Loop counters (zvar::counter): reset on a loop's entry edges, incremented on its back edges,
// forgotten when the loop is left. `index` is the loop's nesting depth minus one.
void enter_loop(State &state, unsigned index);
void iterate_loop(State &state, unsigned index);
void leave_loops(State &state, unsigned from_index, unsigned to_index); // [from, to)
// The number of live counters: a function analyzed inside its caller's loops numbers its own
// loops after them. (Underestimating it is only imprecise: a callee leaves every counter it
// used forgotten, so a caller loop whose counter it reset is then unbounded, never unsound.)
unsigned live_counters(const State &state);
// The best upper bound on the counter of loop `index` in `state` (nullopt: unbounded).
std::optional<std::int64_t> counter_bound(const State &state, unsigned index);
// After joining two zones: the relations between a counter and the other variables that both
// sides imply only through their constant bounds, which the sparse join drops.
void recover_counter_relations(const domains::Zone &a, const domains::Zone &b, State &joined);

} // namespace bpfcheck::analyzer
