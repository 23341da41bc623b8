// The call engine: the call graph's structural checks, the runs of static subprograms per call
// site of each caller run (memoized by entry state), and global functions as separate roots.
#include "analyzer/subprogram.h"

#include "analyzer/rule_ids.h"

#include <algorithm>

namespace bpfcheck::analyzer {
namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

Diagnostic too_complex(std::string message) {
  Diagnostic d;
  d.rule = std::string(rule::kProgramTooComplex);
  d.message = std::move(message);
  return d;
}

} // namespace

CallEngine::CallEngine(const Program &program, const DecodedProgram &decoded, const ProgramCfg &cfg,
                       const AnalysisContext &entry)
    : program_(program), decoded_(decoded), cfg_(cfg), entry_context_(entry),
      static_context_(entry), global_context_(entry),
      callee_of_(decoded.instructions.size(), kNone), blocked_(decoded.instructions.size(), false),
      globals_(cfg.functions.size()), reached_(cfg.functions.size(), false) {
  entry_context_.local_calls = static_context_.local_calls = global_context_.local_calls = true;
  static_context_.role = AnalysisContext::Role::Static;
  global_context_.role = AnalysisContext::Role::Global;
  for (const FunctionCfg &f : cfg.functions)
    for (const CallSite &site : f.calls)
      if (site.kind == CallSite::Kind::Call)
        callee_of_[site.instruction] = site.callee;
  for (std::uint32_t f = 1; f < cfg.functions.size(); ++f)
    for (const Subprogram &sub : program.subprograms)
      if (sub.start == cfg.functions[f].start)
        globals_[f] = global_prototype(program, sub);
  std::vector<std::uint32_t> path;
  walk_call_graph(0, path);
}

// Depth-first over call sites, as the kernel's check_max_stack_depth: a callee already on the
// path is recursion, a ninth frame is too deep. Each site is reported once.
void CallEngine::walk_call_graph(std::uint32_t function, std::vector<std::uint32_t> &path) {
  reached_[function] = true;
  path.push_back(function);
  for (const CallSite &site : cfg_.functions[function].calls) {
    reached_[site.callee] = true; // callbacks and refused calls too: not dead code
    if (site.kind != CallSite::Kind::Call || blocked_[site.instruction])
      continue;
    const std::string &name = cfg_.functions[site.callee].name;
    if (std::find(path.begin(), path.end(), site.callee) != path.end()) {
      blocked_[site.instruction] = true;
      findings_.push_back({site.instruction, too_complex("recursive call of " + name +
                                                         ": the kernel rejects recursion")});
    } else if (path.size() + 1 > kMaxCallFrames) {
      blocked_[site.instruction] = true;
      findings_.push_back(
          {site.instruction, too_complex("calling " + name + " here makes a chain of " +
                                         std::to_string(path.size() + 1) +
                                         " frames; the kernel allows 8 (MAX_CALL_FRAMES)")});
    } else {
      walk_call_graph(site.callee, path);
    }
  }
  path.pop_back();
}

void CallEngine::run() {
  roots_.push_back(&run_from(0, State::entry(), entry_context_));
  for (std::uint32_t f = 1; f < cfg_.functions.size(); ++f)
    if (globals_[f] && globals_[f]->unsupported.empty() && reached_[f]) // else refused at calls
      roots_.push_back(&run_from(f, global_entry(f), global_context_));
}

// A run per distinct entry state: two call sites (or call strings) that enter a function in
// the same state share its fixpoint.
FunctionRun &CallEngine::run_from(std::uint32_t function, const State &entry,
                                  const AnalysisContext &c) {
  for (const auto &r : runs_)
    if (r->function == function && r->context == &c && entry.leq(r->entry) && r->entry.leq(entry))
      return *r;
  runs_.push_back(std::make_unique<FunctionRun>());
  FunctionRun &run = *runs_.back();
  run.function = function;
  run.context = &c;
  run.entry = entry;
  const FunctionCfg &cfg = cfg_.functions[function];
  run.fixpoint = std::make_unique<Fixpoint>(decoded_, cfg, c, entry);
  run.fixpoint->set_local_call(
      [this, &run](State &s, std::uint32_t index) { call(s, index, run); });
  run.fixpoint->run();
  run.exit = State::bottom();
  for (BlockId b : cfg.exits)
    run.exit = run.exit.join(run.fixpoint->post(b));
  return run;
}

FunctionRun *CallEngine::call(State &s, std::uint32_t index, const FunctionRun &caller) {
  std::uint32_t callee = callee_of_[index];
  if (s.is_bottom())
    return nullptr;
  if (callee == kNone || blocked_[index] || s.depth() + 1 >= kMaxCallFrames) {
    s.set_bottom(); // reported by findings()
    return nullptr;
  }
  if (globals_[callee]) {
    if (check_call(s, index)) // the path ends at a failed check, as at any assertion
      s.set_bottom();
    else
      global_call_effect(s, callee);
    return nullptr;
  }
  State entry = s;
  entry.enter_call(caller.function, index);
  Site &site = sites_[{&caller, index}];
  if (site.run == nullptr || !entry.leq(site.entry)) {
    if (site.run == nullptr)
      site.entry = std::move(entry);
    else if (site.rounds < Fixpoint::kExactIterations) // as many as a loop run round by round
      site.entry = site.entry.join(entry);
    else
      site.entry = site.entry.widen(entry, static_context_.thresholds);
    ++site.rounds;
    site.run = &run_from(callee, site.entry, static_context_);
  }
  s = site.run->exit;
  s.leave_call();
  return site.run;
}

} // namespace bpfcheck::analyzer
