// The analyzer's entry point: verify one Program (decode, CFG, fixpoint over the entry function,
// then assertion checking on the invariants) and return its diagnostics, and on request the
// invariant before each instruction.
#pragma once

#include "analyzer/state.h"
#include "cfg.h"
#include "program.h"
#include "result.h"
#include "sarif/report.h"

#include <optional>
#include <vector>

namespace bpfcheck::analyzer {

struct AnalyzerOptions {
  bool keep_invariants = false; // fill AnalysisResult::before (memory: one state per slot)
};

struct AnalysisResult {
  std::vector<Diagnostic> diagnostics; // by instruction slot, at most one per slot
  // Indexed by slot: the state before the instruction starting there; nullopt for the second
  // slot of an ld_imm64 and for unreachable code.
  std::vector<std::optional<State>> before;

  bool verified() const { return diagnostics.empty(); }
};

Result<AnalysisResult> analyze(const Program &program, const AnalyzerOptions &options = {});
AnalysisResult analyze(const Program &program, const DecodedProgram &decoded, const ProgramCfg &cfg,
                       const AnalyzerOptions &options = {});

} // namespace bpfcheck::analyzer
