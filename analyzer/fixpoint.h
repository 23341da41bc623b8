// The fixpoint iterator of one function (DESIGN.md section 5): Bourdoncle's recursive strategy
// over the weak topological order. Component heads join for a short delay, then widen with the
// program's constants as thresholds; one checked narrowing pass recovers bounds after widening.
#pragma once

#include "analyzer/context.h"
#include "analyzer/state.h"
#include "cfg.h"
#include "wto.h"

#include <vector>

namespace bpfcheck::analyzer {

class Fixpoint {
public:
  // Joins at a head before widening starts: enough for short constant-bounded loops to be
  // computed exactly, small enough to keep long loops cheap.
  static constexpr unsigned kWideningDelay = 2;

  Fixpoint(const DecodedProgram &decoded, const FunctionCfg &function,
           const AnalysisContext &context, State entry);

  void run();
  const Wto &wto() const { return wto_; }
  // The invariant at the start of a block (bottom when unreachable).
  const State &pre(BlockId block) const { return pre_[block]; }

private:
  void run_range(std::uint32_t begin, std::uint32_t end);
  void run_component(std::uint32_t head_index);
  void process(BlockId block); // post := transfer of the block from pre
  State block_in(BlockId block) const;
  State edge_state(const CfgGraph::edge_descriptor &edge) const;

  const DecodedProgram &decoded_;
  const FunctionCfg &function_;
  const AnalysisContext &context_;
  State entry_;
  Wto wto_;
  std::vector<State> pre_, post_;
};

} // namespace bpfcheck::analyzer
