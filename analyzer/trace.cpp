// Breadth-first search from the entry over feasible edges: an edge counts when the state it
// carries (the fixpoint's post-state of its source, refined by the branch condition) is not
// bottom and its target's invariant is not bottom. The predecessor tree gives a shortest path.
#include "analyzer/trace.h"

#include "analyzer/assertions.h"
#include "analyzer/transfer.h"
#include "disassembler.h"

#include <algorithm>
#include <deque>

namespace bpfcheck::analyzer {
namespace {

// "if r3 > r1" from "if r3 > r1 goto +0x52": the condition is what the user reads.
std::string condition_text(const Instruction &jump) {
  std::string text = format_instruction(jump);
  if (auto at = text.find(" goto "); at != std::string::npos)
    text.resize(at);
  return text;
}

bool same_line(const std::optional<SourceLocation> &a, const std::optional<SourceLocation> &b) {
  return a && b && a->file == b->file && a->line == b->line;
}

} // namespace

TraceBuilder::TraceBuilder(const Program &program, const DecodedProgram &decoded,
                           const FunctionCfg &function, const Fixpoint &fixpoint,
                           const AnalysisContext *context)
    : program_(program), decoded_(decoded), function_(function), fixpoint_(fixpoint),
      context_(context) {}

// The state the fixpoint sends along `edge` (bottom when none flows).
State TraceBuilder::edge_state(const CfgGraph::edge_descriptor &edge) const {
  BlockId from = boost::source(edge, function_.graph);
  State s = fixpoint_.post(from);
  EdgeKind kind = function_.graph[edge].kind;
  const Instruction &last = decoded_.instructions[function_.graph[from].last].instruction;
  if (const auto *jump = std::get_if<CondJump>(&last);
      jump != nullptr && !s.is_bottom() && (kind == EdgeKind::Taken || kind == EdgeKind::NotTaken))
    assume_branch(s, *jump, kind == EdgeKind::Taken);
  return s;
}

bool TraceBuilder::feasible(const CfgGraph::edge_descriptor &edge) const {
  return !fixpoint_.pre(boost::target(edge, function_.graph)).is_bottom() &&
         !edge_state(edge).is_bottom();
}

// Whether the state along `edge` alone still fails with `rule` at instruction `index` of the
// edge's target: where paths join before a failure (a reference held on one of them at exit),
// the trace must come along a path that fails. Unknown (true) without the context or when a
// bpf2bpf call lies before the failure (its effect belongs to the call engine).
bool TraceBuilder::fails_along(const CfgGraph::edge_descriptor &edge, std::uint32_t index,
                               const std::string &rule) const {
  if (context_ == nullptr || rule.empty())
    return true;
  State s = edge_state(edge);
  for (std::uint32_t i = function_.graph[boost::target(edge, function_.graph)].first;
       i < index && !s.is_bottom(); ++i) {
    const Instruction &instruction = decoded_.instructions[i].instruction;
    if (is_local_call(instruction))
      return true;
    if (first_failure(instruction, s, *context_))
      return false;
    transfer(s, instruction, *context_);
  }
  if (s.is_bottom())
    return false;
  auto failure = first_failure(decoded_.instructions[index].instruction, s, *context_);
  return failure && failure->rule == rule;
}

std::vector<BlockId> TraceBuilder::path_to(BlockId target, std::uint32_t index,
                                           const std::string &rule) const {
  constexpr BlockId kNone = static_cast<BlockId>(-1);
  // The edges into the target along which the failure happens, when any can be told apart.
  std::vector<CfgGraph::edge_descriptor> failing;
  for (auto [it, end] = boost::in_edges(target, function_.graph); it != end; ++it)
    if (feasible(*it) && fails_along(*it, index, rule))
      failing.push_back(*it);
  auto enters = [&](const CfgGraph::edge_descriptor &edge) {
    return failing.empty() || std::find(failing.begin(), failing.end(), edge) != failing.end();
  };
  std::vector<BlockId> parent(boost::num_vertices(function_.graph), kNone);
  std::deque<BlockId> queue;
  if (!fixpoint_.pre(FunctionCfg::kEntry).is_bottom()) {
    parent[FunctionCfg::kEntry] = FunctionCfg::kEntry;
    queue.push_back(FunctionCfg::kEntry);
  }
  while (!queue.empty() && parent[target] == kNone) {
    BlockId block = queue.front();
    queue.pop_front();
    for (auto [it, end] = boost::out_edges(block, function_.graph); it != end; ++it) {
      BlockId next = boost::target(*it, function_.graph);
      if (parent[next] == kNone && feasible(*it) && (next != target || enters(*it))) {
        parent[next] = block;
        queue.push_back(next);
      }
    }
  }
  std::vector<BlockId> path;
  if (parent[target] == kNone)
    return path;
  for (BlockId b = target; b != FunctionCfg::kEntry; b = parent[b])
    path.push_back(b);
  path.push_back(FunctionCfg::kEntry);
  return {path.rbegin(), path.rend()};
}

// Appends the step of one instruction, merging it into the previous step when both are on the
// same source line (or it has none); a branch note keeps its own step unless the previous step
// has none yet.
void TraceBuilder::add_step(std::vector<TraceStep> &steps, std::uint32_t index,
                            std::string note) const {
  TraceStep step;
  step.instruction = decoded_.instructions[index].pc;
  if (const SourceLocation *location = program_.lines.at(step.instruction);
      location != nullptr && location->line != 0)
    step.location = *location;
  step.note = std::move(note);
  // Code without a source line (line 0: the compiler's own) belongs to the line before it.
  if (!steps.empty() && (!step.location || same_line(steps.back().location, step.location))) {
    if (step.note.empty())
      return;
    if (steps.back().note.empty()) {
      steps.back().note = std::move(step.note);
      return;
    }
  }
  steps.push_back(std::move(step));
}

// "branch taken: if r3 > r1" when the path leaves `from` along a side of a conditional jump.
std::string TraceBuilder::branch_note(BlockId from, BlockId to) const {
  auto [edge, exists] = boost::edge(from, to, function_.graph);
  const Instruction &last = decoded_.instructions[function_.graph[from].last].instruction;
  if (!exists || !std::holds_alternative<CondJump>(last))
    return "";
  EdgeKind kind = function_.graph[edge].kind;
  if (kind != EdgeKind::Taken && kind != EdgeKind::NotTaken)
    return "";
  return (kind == EdgeKind::Taken ? "branch taken: " : "branch not taken: ") + condition_text(last);
}

std::optional<BlockId> TraceBuilder::block_of(std::uint32_t index) const {
  for (auto [it, end] = boost::vertices(function_.graph); it != end; ++it)
    if (function_.graph[*it].first <= index && index <= function_.graph[*it].last)
      return *it;
  return std::nullopt;
}

std::vector<TraceStep> TraceBuilder::trace_to(std::uint32_t pc, const std::string &rule) {
  std::vector<TraceStep> steps;
  if (pc >= decoded_.slot_count() || decoded_.index_of_slot[pc] == DecodedProgram::kNoInstruction)
    return steps;
  std::uint32_t index = decoded_.index_of_slot[pc];
  std::optional<BlockId> target = block_of(index);
  if (!target)
    return steps;
  std::vector<BlockId> path = path_to(*target, index, rule);
  for (std::size_t k = 0; k < path.size(); ++k) {
    const BasicBlock &b = function_.graph[path[k]];
    bool last_block = k + 1 == path.size();
    for (std::uint32_t i = b.first; i <= (last_block ? index : b.last); ++i)
      add_step(steps, i, i == b.last && !last_block ? branch_note(path[k], path[k + 1]) : "");
  }
  return steps;
}

std::vector<TraceStep> TraceBuilder::trace_through_call(const CallSite &site,
                                                        const std::string &callee,
                                                        std::uint32_t pc) {
  std::vector<TraceStep> steps = trace_to(decoded_.instructions[site.instruction].pc, "");
  if (steps.empty())
    return steps;
  std::string note = "call to " + callee;
  if (steps.back().note.empty())
    steps.back().note = std::move(note);
  else
    add_step(steps, site.instruction, std::move(note));
  add_step(steps, decoded_.index_of_slot[pc], "");
  return steps;
}

namespace {

// The call site in `root` through which the call graph first reaches `target` (breadth-first),
// or nullptr when `root` never calls it.
const CallSite *call_into(const ProgramCfg &cfg, std::uint32_t root, std::uint32_t target) {
  std::vector<const CallSite *> first(cfg.functions.size(), nullptr);
  std::deque<std::uint32_t> queue{root};
  while (!queue.empty()) {
    std::uint32_t function = queue.front();
    queue.pop_front();
    for (const CallSite &site : cfg.functions[function].calls) {
      if (site.kind != CallSite::Kind::Call || site.callee == root || first[site.callee])
        continue;
      first[site.callee] = function == root ? &site : first[function];
      queue.push_back(site.callee);
    }
  }
  return first[target];
}

} // namespace

void attach_traces(std::vector<Diagnostic> &diagnostics, const Program &program,
                   const DecodedProgram &decoded, const ProgramCfg &cfg, std::uint32_t root,
                   const Fixpoint &fixpoint, const AnalysisContext *context) {
  TraceBuilder builder(program, decoded, cfg.functions[root], fixpoint, context);
  for (Diagnostic &diagnostic : diagnostics) {
    std::uint32_t pc = diagnostic.instruction;
    if (!diagnostic.trace.empty() || pc >= decoded.slot_count() ||
        decoded.index_of_slot[pc] == DecodedProgram::kNoInstruction)
      continue;
    std::uint32_t function = cfg.function_of[decoded.index_of_slot[pc]];
    if (function == root) {
      diagnostic.trace = builder.trace_to(pc, diagnostic.rule);
    } else if (const CallSite *site = call_into(cfg, root, function)) {
      diagnostic.trace = builder.trace_through_call(*site, cfg.functions[site->callee].name, pc);
    }
  }
}

} // namespace bpfcheck::analyzer
