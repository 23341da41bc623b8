// Runs the analyzer over one program and fills the report every output format renders. Time is
// wall-clock from decoding to the last check; memory is the heap's high-water mark above its
// level at the start (heap_meter.h), so it counts everything the analysis allocates.
#include "verify.h"

#include "analyzer/analyze.h"
#include "cfg.h"
#include "decoder.h"
#include "disassembler.h"
#include "heap_meter.h"
#include "section_types.h"

#include <chrono>
#include <fmt/format.h>

namespace bpfcheck::cli {
namespace {

std::vector<Invariant> invariants_of(const DecodedProgram &decoded,
                                     const analyzer::AnalysisResult &result) {
  std::vector<Invariant> invariants;
  for (const DecodedInstruction &instruction : decoded.instructions) {
    if (instruction.pc >= result.before.size() || !result.before[instruction.pc])
      continue; // unreachable
    invariants.push_back({instruction.pc, format_instruction(instruction.instruction),
                          result.before[instruction.pc]->to_string()});
  }
  return invariants;
}

// Decoding and the CFG are part of the analysis (and of its cost); their failures are input
// errors, not rejections: the object is malformed rather than unsafe.
void analyze_into(const Program &program, bool print_invariants, Verification &out) {
  auto failed = [&](const std::string &message) {
    out.error =
        fmt::format("{}: program {}/{}: {}", program.file, program.section, program.name, message);
    out.report.verdict = Verdict::Error;
  };
  Result<DecodedProgram> decoded = decode(program);
  if (!decoded)
    return failed(decoded.error());
  Result<ProgramCfg> cfg = build_cfg(program, *decoded);
  if (!cfg)
    return failed(cfg.error());
  analyzer::AnalysisResult result =
      analyzer::analyze(program, *decoded, *cfg, {.keep_invariants = print_invariants});
  out.report.verdict = result.verified() ? Verdict::Verified : Verdict::Rejected;
  out.report.diagnostics = std::move(result.diagnostics);
  if (print_invariants)
    out.report.invariants = invariants_of(*decoded, result);
}

} // namespace

Verification verify_program(const Program &program, bool print_invariants) {
  Verification out;
  ProgramReport &report = out.report;
  report.file = program.file;
  report.section = program.section;
  report.name = program.name;
  report.type = std::string(program_type_name(program.type));
  report.instructions = static_cast<std::uint32_t>(program.instructions.size());
  heap::PeakScope heap;
  auto start = std::chrono::steady_clock::now();
  analyze_into(program, print_invariants, out);
  auto elapsed = std::chrono::steady_clock::now() - start;
  report.analysis_microseconds = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
  report.peak_memory_bytes = heap.peak_bytes();
  return out;
}

} // namespace bpfcheck::cli
