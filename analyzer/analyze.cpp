// Verification of one program: the fixpoint of the entry function (static callees run inside it,
// in their callers' contexts; global functions run alone), then one checking pass that replays
// each reachable block of every run from its invariant and checks every instruction's assertions.
#include "analyzer/analyze.h"

#include "analyzer/assertions.h"
#include "analyzer/fixpoint.h"
#include "analyzer/rule_ids.h"
#include "analyzer/subprogram.h"
#include "analyzer/termination.h"
#include "analyzer/trace.h"
#include "analyzer/transfer.h"
#include "decoder.h"

#include <algorithm>
#include <set>

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

// The checking pass. An instruction analyzed in several contexts (a callee's call strings) is
// checked in each; the first failure is its diagnostic (at most one per instruction), and the
// invariant kept for it is the join over its contexts.
class Checker {
public:
  Checker(const Program &program, const DecodedProgram &decoded, const ProgramCfg &cfg,
          CallEngine &calls, AnalysisResult &out, bool keep)
      : program_(program), decoded_(decoded), cfg_(cfg), calls_(calls), out_(out), keep_(keep),
        reported_(decoded.instructions.size(), false) {}

  void report(Diagnostic d, std::uint32_t index) {
    if (reported_[index])
      return;
    reported_[index] = true;
    d.instruction = decoded_.instructions[index].pc;
    if (const SourceLocation *loc = program_.lines.at(d.instruction))
      d.location = *loc;
    out_.diagnostics.push_back(std::move(d));
  }

  // Every run reached from the roots through the calls of checked runs.
  void check_all(std::vector<FunctionRun *> work) {
    std::set<const FunctionRun *> seen(work.begin(), work.end());
    while (!work.empty()) {
      FunctionRun *run = work.back();
      work.pop_back();
      check_run(*run, [&](FunctionRun *callee) {
        if (callee && seen.insert(callee).second)
          work.push_back(callee);
      });
    }
  }

private:
  template <typename F> void check_run(const FunctionRun &run, F &&reached) {
    const FunctionCfg &function = cfg_.functions[run.function];
    for (const Wto::Entry &e : run.fixpoint->wto().entries()) {
      const BasicBlock &b = function.graph[e.block];
      check_block(run, b, run.fixpoint->pre(e.block), reached);
    }
    for (LoopFinding &f : check_termination(*run.fixpoint, function, decoded_))
      report(std::move(f.diagnostic), f.instruction);
  }

  // Replays one block from its invariant; as in the fixpoint, a failing instruction ends the
  // path.
  template <typename F>
  void check_block(const FunctionRun &run, const BasicBlock &b, State s, F &&reached) {
    for (std::uint32_t i = b.first; i <= b.last && !s.is_bottom(); ++i) {
      const DecodedInstruction &d = decoded_.instructions[i];
      if (keep_)
        keep(d.pc, s);
      std::optional<Diagnostic> diag = first_failure(d.instruction, s, *run.context);
      if (!diag && is_local_call(d.instruction))
        diag = calls_.check_call(s, i);
      if (diag)
        return report(std::move(*diag), i);
      if (is_local_call(d.instruction))
        reached(calls_.call(s, i, run));
      else
        transfer(s, d.instruction, *run.context);
    }
  }

  void keep(std::uint32_t pc, const State &s) {
    std::optional<State> &slot = out_.before[pc];
    if (!slot)
      slot = s;
    else if (slot->frames().same_calls(s.frames()))
      slot = slot->join(s);
    else // different call strings: only the callee's own frame is comparable
      slot = slot->without_frames().join(s.without_frames());
  }

  const Program &program_;
  const DecodedProgram &decoded_;
  const ProgramCfg &cfg_;
  CallEngine &calls_;
  AnalysisResult &out_;
  bool keep_;
  std::vector<bool> reported_; // per instruction index
};

// The kernel would verify another instruction than the object means (Program::
// loader_mismatches): the analysis of the object says nothing about what gets loaded there.
void report_loader_mismatches(const Program &program, const DecodedProgram &decoded,
                              Checker &checker) {
  for (const LoaderMismatch &m : program.loader_mismatches) {
    if (m.slot >= decoded.slot_count())
      continue;
    Diagnostic d;
    d.rule = std::string(rule::kLoaderMismatch);
    d.message = m.message;
    d.hint = "build this object with clang or a newer bpf-gcc, or make the variable the first of "
             "its section";
    checker.report(d, decoded.index_of_slot[m.slot]);
  }
}

} // namespace

AnalysisResult analyze(const Program &program, const DecodedProgram &decoded, const ProgramCfg &cfg,
                       const AnalyzerOptions &options) {
  AnalysisContext context = make_context(program, decoded, collect_thresholds(decoded));
  AnalysisResult out;
  if (options.keep_invariants)
    out.before.resize(decoded.slot_count());
  CallEngine calls(program, decoded, cfg, context);
  Checker checker(program, decoded, cfg, calls, out, options.keep_invariants);
  for (const CallFinding &f : calls.findings())
    checker.report(f.diagnostic, f.instruction);
  report_loader_mismatches(program, decoded, checker);
  calls.run();
  for (const CallFinding &f : calls.stack_findings())
    checker.report(f.diagnostic, f.instruction);
  for (std::uint32_t f = 0; f < cfg.functions.size(); ++f) {
    std::vector<BlockId> dead = unreachable_blocks(cfg.functions[f]);
    if (!calls.reached()[f]) // never called: the kernel finds every instruction unreachable
      dead = {FunctionCfg::kEntry};
    for (BlockId b : dead) {
      Diagnostic d;
      d.rule = std::string(rule::kUnreachableCode);
      d.message = "this instruction can never execute (the kernel rejects unreachable code)";
      checker.report(d, cfg.functions[f].graph[b].first);
    }
  }
  checker.check_all(calls.roots());
  for (const FunctionRun *root : calls.roots()) // one path of source lines to each diagnostic
    attach_traces(out.diagnostics, program, decoded, cfg, root->function, *root->fixpoint,
                  root->context);
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
