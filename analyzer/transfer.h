// Transfer functions: the abstract effect of one instruction on a state, and the refinement a
// conditional jump makes on each of its edges. They assume nothing about the instruction's
// assertions (checked separately, assertions.h): on a failed assertion they still return a sound
// over-approximation so that later diagnostics stay meaningful.
#pragma once

#include "analyzer/context.h"
#include "analyzer/state.h"
#include "instruction.h"

namespace bpfcheck::analyzer {

void transfer(State &state, const Instruction &instruction, const AnalysisContext &context);
// The state on the taken (or not-taken) edge of a conditional jump; bottom when infeasible.
void assume_branch(State &state, const CondJump &jump, bool taken);

// Per instruction kind (transfer_alu.cpp, transfer_memory.cpp).
void transfer_alu(State &state, const Alu &alu);
void transfer_neg(State &state, const Neg &neg);
void transfer_endian(State &state, const Endian &endian);
// `id` names values the load creates (the kernel's pointer id); 0 when unknown.
void transfer_load(State &state, const Load &load, const AnalysisContext &context,
                   std::uint32_t id);
void transfer_store(State &state, const Store &store);
// An atomic read-modify-write: stack bytes become unknown, the fetched old value is unknown.
void transfer_atomic(State &state, const Atomic &atomic);
// A helper call at slot `pc` (nullopt when unknown): clobbers r1-r5, defines r0, writes helper
// output into the stack, releases and acquires references (transfer_call.cpp).
void transfer_call(State &state, const Call &call, std::optional<std::uint32_t> pc,
                   const AnalysisContext &context);
// Before an id is handed out again (a loop revisits its call site), older values carrying it
// lose it: they keep their nullness but are no longer refined together with the new one.
void forget_id(State &state, std::uint32_t id);
// Calls f(RegValue &) on every register and every spilled slot.
template <typename F> void for_each_value(State &state, F f) {
  for (unsigned r = 0; r < State::kRegisters; ++r)
    f(state.reg_mut(r));
  for (int slot = 0; slot < Stack::kSlots; ++slot)
    if (RegValue *v = state.stack().spill_at(slot * 8 - Stack::kSize))
      f(*v);
  state.for_each_caller_value(f); // bpf2bpf calls: the callers' frames too
}
// The refinement of `if (r == 0)` / `!= 0` on pointers: nullness of every copy sharing the
// pointer's id, references dropped on the null edge (transfer_null.cpp). False when the jump is
// no null test of a pointer.
bool assume_null_test(State &state, const CondJump &jump, bool taken);

// The value of a register or immediate operand (immediates are sign-extended to 64 bits).
RegValue operand_value(const State &state, const Operand &operand);
// The constant offset of a pointer, when its offset is a single value.
std::optional<std::int64_t> constant_offset(const RegValue &value);

} // namespace bpfcheck::analyzer
