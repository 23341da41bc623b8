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
void transfer_load(State &state, const Load &load, const AnalysisContext &context);
void transfer_store(State &state, const Store &store);

// The value of a register or immediate operand (immediates are sign-extended to 64 bits).
RegValue operand_value(const State &state, const Operand &operand);
// The result of a helper handled by the call stub (argument-less helpers of every program type),
// or nullopt for a helper the stub does not know; assertions use it to flag the others.
std::optional<Scalar64> stub_helper_result(std::int32_t id);
// The constant offset of a pointer, when its offset is a single value.
std::optional<std::int64_t> constant_offset(const RegValue &value);

} // namespace bpfcheck::analyzer
