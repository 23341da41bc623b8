// Termination (DESIGN.md section 5): after the fixpoint, every reachable loop must have a finite
// bound on its counter at its head (`unbounded-loop` otherwise), and the kernel's simulation of
// the bounded loops must fit its budget of processed instructions (`program-too-complex`).
#pragma once

#include "analyzer/fixpoint.h"
#include "sarif/report.h"

#include <vector>

namespace bpfcheck::analyzer {

// The kernel's BPF_COMPLEXITY_LIMIT_INSNS: it stops ("BPF program is too large") after
// simulating this many instructions, and it simulates every iteration of a bounded loop.
inline constexpr std::uint64_t kKernelInstructionBudget = 1'000'000;

struct LoopFinding {
  std::uint32_t instruction = 0; // index into DecodedProgram::instructions: the head's first
  Diagnostic diagnostic;         // rule, message, hint and registers; no location yet
};

// Bounds of the loops of one function analyzed by `fixpoint`, and the diagnostics of those that
// cannot be bounded or cost the kernel too much.
// The fixpoint's invariants are left as they were (abstract unrolling runs loop bodies again).
std::vector<LoopFinding> check_termination(Fixpoint &fixpoint, const FunctionCfg &function,
                                           const DecodedProgram &decoded);

// The iteration bound (back edges per entry) of the loop headed by `head`: from its counter in
// the zone, else by unrolling at most `max_unroll` iterations; nullopt when neither bounds it.
std::optional<std::int64_t> loop_bound(Fixpoint &fixpoint, BlockId head, unsigned max_unroll);

} // namespace bpfcheck::analyzer
