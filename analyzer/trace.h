// The trace of a diagnostic (DESIGN.md section 6): one path of source lines from a function's
// entry to the failing instruction, through blocks and edges the fixpoint proved reachable, with
// a note where the path takes a side of a conditional jump.
#pragma once

#include "analyzer/fixpoint.h"
#include "cfg.h"
#include "sarif/report.h"

#include <optional>
#include <string>
#include <vector>

namespace bpfcheck::analyzer {

class TraceBuilder {
public:
  // `fixpoint` is the finished fixpoint of `function`: its pre- and post-states; `context` its
  // analysis context (nullptr: paths are not chosen by where the failure happens).
  TraceBuilder(const Program &program, const DecodedProgram &decoded, const FunctionCfg &function,
               const Fixpoint &fixpoint, const AnalysisContext *context = nullptr);

  // A shortest feasible path from the entry to the instruction at slot `pc`, one step per source
  // line (consecutive instructions on one line merge); empty when no feasible path reaches it.
  // When only some edges into the failing block carry the failure of `rule`, it enters by one.
  std::vector<TraceStep> trace_to(std::uint32_t pc, const std::string &rule);
  // For an instruction inside a function called (directly or not) from this one: the path to
  // the call `site`, a step noting the call, then the instruction itself. The path inside the
  // callees is left out: their invariants belong to their own fixpoints.
  std::vector<TraceStep> trace_through_call(const CallSite &site, const std::string &callee,
                                            std::uint32_t pc);

private:
  State edge_state(const CfgGraph::edge_descriptor &edge) const;
  bool feasible(const CfgGraph::edge_descriptor &edge) const;
  bool fails_along(const CfgGraph::edge_descriptor &edge, std::uint32_t index,
                   const std::string &rule) const;
  std::vector<BlockId> path_to(BlockId target, std::uint32_t index, const std::string &rule) const;
  std::optional<BlockId> block_of(std::uint32_t index) const;
  std::string branch_note(BlockId from, BlockId to) const;
  void add_step(std::vector<TraceStep> &steps, std::uint32_t index, std::string note) const;

  const Program &program_;
  const DecodedProgram &decoded_;
  const FunctionCfg &function_;
  const Fixpoint &fixpoint_;
  const AnalysisContext *context_;
};

// Fills the trace of every diagnostic that has none yet and lies in function `root` (whose
// finished fixpoint is `fixpoint`) or in a function it calls.
void attach_traces(std::vector<Diagnostic> &diagnostics, const Program &program,
                   const DecodedProgram &decoded, const ProgramCfg &cfg, std::uint32_t root,
                   const Fixpoint &fixpoint, const AnalysisContext *context = nullptr);

} // namespace bpfcheck::analyzer
