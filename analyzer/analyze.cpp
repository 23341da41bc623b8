// Verification of one program: the fixpoint of the entry function, then one checking pass that
// replays each reachable block from its invariant and checks every instruction's assertions.
#include "analyzer/analyze.h"

#include "analyzer/assertions.h"
#include "analyzer/fixpoint.h"
#include "analyzer/termination.h"
#include "analyzer/transfer.h"
#include "decoder.h"

#include <algorithm>

namespace bpfcheck::analyzer {
namespace {

// Widening thresholds: every constant of the program and its neighbours, so that a loop bound
// `i < 10` stops the widening of i at 9 or 10 instead of at the end of the range.
std::vector<std::uint64_t> collect_thresholds(const DecodedProgram &decoded) {
  std::vector<std::uint64_t> t{0, static_cast<std::uint64_t>(kMaxPacketSize)};
  auto add = [&](std::int64_t v) {
    for (std::int64_t d : {-1, 0, 1})
      t.push_back(static_cast<std::uint64_t>(v) + static_cast<std::uint64_t>(d));
  };
  for (const DecodedInstruction &d : decoded.instructions) {
    if (const auto *a = std::get_if<Alu>(&d.instruction); a && std::holds_alternative<Imm>(a->src))
      add(std::get<Imm>(a->src).value);
    if (const auto *j = std::get_if<CondJump>(&d.instruction);
        j && std::holds_alternative<Imm>(j->right))
      add(std::get<Imm>(j->right).value);
  }
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  return t;
}

Diagnostic at(Diagnostic d, const Program &program, std::uint32_t pc) {
  d.instruction = pc;
  if (const SourceLocation *loc = program.lines.at(pc))
    d.location = *loc;
  return d;
}

// Replays one block from its invariant, reporting failed assertions and keeping invariants
// on request; as in the fixpoint, a failing instruction ends the path.
void check_block(const Program &program, const DecodedProgram &decoded, const BasicBlock &b,
                 State s, const AnalysisContext &c, AnalysisResult &out, bool keep) {
  for (std::uint32_t i = b.first; i <= b.last && !s.is_bottom(); ++i) {
    const DecodedInstruction &d = decoded.instructions[i];
    if (keep)
      out.before[d.pc] = s;
    if (auto diag = first_failure(d.instruction, s, c)) {
      out.diagnostics.push_back(at(std::move(*diag), program, d.pc));
      return;
    }
    transfer(s, d.instruction, c);
  }
}

} // namespace

AnalysisResult analyze(const Program &program, const DecodedProgram &decoded, const ProgramCfg &cfg,
                       const AnalyzerOptions &options) {
  AnalysisContext context = make_context(program, decoded, collect_thresholds(decoded));
  AnalysisResult out;
  if (options.keep_invariants)
    out.before.resize(decoded.slot_count());
  const FunctionCfg &main = cfg.functions.front();
  Fixpoint fixpoint(decoded, main, context, State::entry());
  fixpoint.run();
  for (BlockId b : unreachable_blocks(main)) {
    Diagnostic d;
    d.rule = "unreachable-code";
    d.message = "this instruction can never execute (the kernel rejects unreachable code)";
    out.diagnostics.push_back(at(d, program, decoded.instructions[main.graph[b].first].pc));
  }
  for (const Wto::Entry &e : fixpoint.wto().entries()) {
    const BasicBlock &b = main.graph[e.block];
    check_block(program, decoded, b, fixpoint.pre(e.block), context, out, options.keep_invariants);
  }
  for (LoopFinding &f : check_termination(fixpoint, main, decoded))
    out.diagnostics.push_back(
        at(std::move(f.diagnostic), program, decoded.instructions[f.instruction].pc));
  std::stable_sort(
      out.diagnostics.begin(), out.diagnostics.end(),
      [](const Diagnostic &x, const Diagnostic &y) { return x.instruction < y.instruction; });
  return out;
}

Result<AnalysisResult> analyze(const Program &program, const AnalyzerOptions &options) {
  auto decoded = decode(program);
  if (!decoded)
    return Error{decoded.error()};
  auto cfg = build_cfg(program, *decoded);
  if (!cfg)
    return Error{cfg.error()};
  return analyze(program, *decoded, *cfg, options);
}

} // namespace bpfcheck::analyzer
