// The fixpoint iterator of one function (DESIGN.md section 5): Bourdoncle's recursive strategy
// over the weak topological order. Component heads join for a short delay, then widen with the
// program's constants as thresholds; one checked narrowing pass recovers bounds after widening.
// Edges into loop heads maintain the loop counters that termination.h bounds.
#pragma once

#include "analyzer/context.h"
#include "analyzer/state.h"
#include "cfg.h"
#include "wto.h"

#include <functional>
#include <vector>

namespace bpfcheck::analyzer {

inline bool is_local_call(const Instruction &i) {
  const auto *call = std::get_if<Call>(&i);
  return call && call->kind == Call::Kind::Local;
}

class Fixpoint {
public:
  // Joins at a head before widening starts: enough for short constant-bounded loops to be
  // computed exactly, small enough to keep long loops cheap.
  static constexpr unsigned kWideningDelay = 2;
  // An outermost loop that ends within this many iterations is analyzed iteration by iteration,
  // as the kernel simulates it (its invariants are the joins over the iterations): offsets that
  // advance by a stride the counter's bound implies (a map value pointer stepping by 4 while
  // i < 8) stay exact, where widening would lose them.
  static constexpr unsigned kExactIterations = 32;

  Fixpoint(const DecodedProgram &decoded, const FunctionCfg &function,
           const AnalysisContext &context, State entry);

  void run();
  const Wto &wto() const { return wto_; }
  // The invariant at the start of a block (bottom when unreachable).
  const State &pre(BlockId block) const { return pre_[block]; }
  const State &post(BlockId block) const { return post_[block]; }
  // Loop nesting: the number of components holding `block` (its own, for a head). The loop
  // headed by a head at depth d counts its iterations in zvar::counter(counter_base() + d - 1).
  unsigned loop_depth(BlockId block) const { return depth_[block]; }
  unsigned counter_base() const { return counter_base_; }
  // Abstract unrolling, the kernel's way of bounding a loop: from the states entering `head`,
  // run its body once per iteration without joining iterations, until no state comes back (the
  // bound is then the number of iterations that did) or `max_steps` iterations. For loops whose
  // counter the zone cannot relate, e.g. `while (v > 1) v >>= 1`. Leaves the invariants as they
  // were; refuses (nullopt) loops holding bpf2bpf calls, whose analyses it would extend.
  std::optional<std::int64_t> unrolled_bound(BlockId head, unsigned max_steps);

  // bpf2bpf calls: the effect of the call at an instruction index, computed by running the
  // callee in the caller's state (subprogram.h). Without one, calls keep their transfer function.
  using LocalCall = std::function<void(State &, std::uint32_t instruction)>;
  void set_local_call(LocalCall f) { local_call_ = std::move(f); }

private:
  void run_range(std::uint32_t begin, std::uint32_t end);
  void run_component(std::uint32_t head_index);
  bool run_iterations(std::uint32_t head_index, unsigned max_iterations); // kExactIterations
  // The states entering `head` from outside its loop (back = false) or through its back edges.
  State arriving(BlockId head, bool back) const;
  void process(BlockId block); // post := transfer of the block from pre
  State block_in(BlockId block) const;
  State edge_state(const CfgGraph::edge_descriptor &edge) const;
  // Loop counters along an edge: reset entering a loop, incremented on a back edge, forgotten
  // for the loops it leaves.
  void count_loops(State &s, BlockId from, BlockId to) const;

  const DecodedProgram &decoded_;
  const FunctionCfg &function_;
  const AnalysisContext &context_;
  State entry_;
  Wto wto_;
  std::vector<State> pre_, post_;
  std::vector<unsigned> depth_; // per block, see loop_depth()
  // The counters below it belong to loops of the callers around this function's call (the
  // entry state's live counters), which the callee's loops must not reset.
  unsigned counter_base_ = 0;
  LocalCall local_call_;
};

} // namespace bpfcheck::analyzer
