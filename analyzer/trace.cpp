// Breadth-first search from the entry over feasible edges: an edge counts when the state it
// carries (the fixpoint's post-state of its source, refined by the branch condition) is not
// bottom and its target's invariant is not bottom. The predecessor tree gives a shortest path.
#include "analyzer/trace.h"

#include "analyzer/transfer.h"
#include "disassembler.h"

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
                           const FunctionCfg &function, const Fixpoint &fixpoint)
    : program_(program), decoded_(decoded), function_(function), fixpoint_(fixpoint) {}

bool TraceBuilder::feasible(const CfgGraph::edge_descriptor &edge) const {
  BlockId from = boost::source(edge, function_.graph);
  if (fixpoint_.pre(boost::target(edge, function_.graph)).is_bottom() ||
      fixpoint_.post(from).is_bottom())
    return false;
  EdgeKind kind = function_.graph[edge].kind;
  const Instruction &last = decoded_.instructions[function_.graph[from].last].instruction;
  const auto *jump = std::get_if<CondJump>(&last);
  if (jump == nullptr || (kind != EdgeKind::Taken && kind != EdgeKind::NotTaken))
    return true;
  State s = fixpoint_.post(from);
  assume_branch(s, *jump, kind == EdgeKind::Taken);
  return !s.is_bottom();
}

std::vector<BlockId> TraceBuilder::path_to(BlockId target) const {
  constexpr BlockId kNone = static_cast<BlockId>(-1);
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
      if (parent[next] == kNone && feasible(*it)) {
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

std::vector<TraceStep> TraceBuilder::trace_to(std::uint32_t pc) {
  std::vector<TraceStep> steps;
  if (pc >= decoded_.slot_count() || decoded_.index_of_slot[pc] == DecodedProgram::kNoInstruction)
    return steps;
  std::uint32_t index = decoded_.index_of_slot[pc];
  std::optional<BlockId> target = block_of(index);
  if (!target)
    return steps;
  std::vector<BlockId> path = path_to(*target);
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
  std::vector<TraceStep> steps = trace_to(decoded_.instructions[site.instruction].pc);
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
                   const Fixpoint &fixpoint) {
  TraceBuilder builder(program, decoded, cfg.functions[root], fixpoint);
  for (Diagnostic &diagnostic : diagnostics) {
    std::uint32_t pc = diagnostic.instruction;
    if (!diagnostic.trace.empty() || pc >= decoded.slot_count() ||
        decoded.index_of_slot[pc] == DecodedProgram::kNoInstruction)
      continue;
    std::uint32_t function = cfg.function_of[decoded.index_of_slot[pc]];
    if (function == root) {
      diagnostic.trace = builder.trace_to(pc);
    } else if (const CallSite *site = call_into(cfg, root, function)) {
      diagnostic.trace = builder.trace_through_call(*site, cfg.functions[site->callee].name, pc);
    }
  }
}

} // namespace bpfcheck::analyzer
