// Bourdoncle's recursive iteration over the WTO, with join-then-widen at heads and one
// narrowing pass per component that is kept only when it is still inductive.
#include "analyzer/fixpoint.h"

#include "analyzer/assertions.h"
#include "analyzer/transfer.h"
#include "analyzer/zone_scalars.h"

namespace bpfcheck::analyzer {

Fixpoint::Fixpoint(const DecodedProgram &decoded, const FunctionCfg &function,
                   const AnalysisContext &context, State entry)
    : decoded_(decoded), function_(function), context_(context), entry_(std::move(entry)),
      wto_(function), pre_(boost::num_vertices(function.graph), State::bottom()),
      post_(boost::num_vertices(function.graph), State::bottom()),
      depth_(boost::num_vertices(function.graph), 0), counter_base_(live_counters(entry_)) {
  std::vector<std::uint32_t> ends; // ends of the components open at entry i
  const auto &entries = wto_.entries();
  for (std::uint32_t i = 0; i < entries.size(); ++i) {
    while (!ends.empty() && ends.back() == i)
      ends.pop_back();
    if (entries[i].head)
      ends.push_back(entries[i].end);
    depth_[entries[i].block] = static_cast<unsigned>(ends.size());
  }
}

void Fixpoint::run() { run_range(0, static_cast<std::uint32_t>(wto_.entries().size())); }

void Fixpoint::run_range(std::uint32_t begin, std::uint32_t end) {
  const auto &entries = wto_.entries();
  for (std::uint32_t i = begin; i < end;) {
    if (entries[i].head) {
      run_component(i);
      i = entries[i].end;
    } else {
      pre_[entries[i].block] = block_in(entries[i].block);
      process(entries[i].block);
      ++i;
    }
  }
}

void Fixpoint::run_component(std::uint32_t head_index) {
  const Wto::Entry &entry = wto_.entries()[head_index];
  BlockId head = entry.block;
  auto iterate_body = [&] {
    process(head);
    run_range(head_index + 1, entry.end);
  };
  if (depth_[head] == 1 && run_iterations(head_index, kExactIterations))
    return;
  pre_[head] = block_in(head);
  for (unsigned iteration = 0;; ++iteration) {
    iterate_body();
    State next = block_in(head);
    if (next.leq(pre_[head]))
      break;
    pre_[head] = iteration < kWideningDelay ? pre_[head].join(next)
                                            : pre_[head].widen(next, context_.thresholds);
  }
  // One decreasing step. Our domains are not strictly monotone (a wrapped-interval join is not
  // unique), so the narrowed head is kept only if the body maps it back below itself.
  State widened = pre_[head];
  pre_[head] = widened.narrow(block_in(head));
  iterate_body();
  if (!block_in(head).leq(pre_[head])) {
    pre_[head] = widened;
    iterate_body();
  }
}

State Fixpoint::arriving(BlockId head, bool back) const {
  State s = !back && head == FunctionCfg::kEntry ? entry_ : State::bottom();
  for (auto [it, end] = boost::in_edges(head, function_.graph); it != end; ++it)
    if (wto_.is_back_edge(boost::source(*it, function_.graph), head) == back)
      s = s.join(edge_state(*it));
  return s;
}

// Each round runs the body once on the states of one iteration; the blocks' invariants are the
// joins over the rounds. Sound once no state comes back: every execution is then one of the
// rounds. Otherwise (false) the rounds' states stay as a start for the widening iteration.
bool Fixpoint::run_iterations(std::uint32_t head_index, unsigned max_iterations) {
  const Wto::Entry &e = wto_.entries()[head_index];
  std::vector<std::pair<State, State>> acc(e.end - head_index,
                                           std::pair(State::bottom(), State::bottom()));
  State x = arriving(e.block, false);
  for (unsigned round = 0; round <= max_iterations; ++round) {
    if (x.is_bottom()) {
      for (std::uint32_t k = head_index; k < e.end; ++k)
        std::tie(pre_[wto_.entries()[k].block], post_[wto_.entries()[k].block]) =
            std::move(acc[k - head_index]);
      return true;
    }
    pre_[e.block] = std::move(x);
    process(e.block);
    run_range(head_index + 1, e.end);
    for (std::uint32_t k = head_index; k < e.end; ++k) {
      BlockId b = wto_.entries()[k].block;
      acc[k - head_index].first = acc[k - head_index].first.join(pre_[b]);
      acc[k - head_index].second = acc[k - head_index].second.join(post_[b]);
    }
    x = arriving(e.block, true);
  }
  return false;
}

std::optional<std::int64_t> Fixpoint::unrolled_bound(BlockId head, unsigned max_steps) {
  std::uint32_t at = wto_.position(head);
  const Wto::Entry &e = wto_.entries()[at];
  std::vector<std::pair<State, State>> saved;
  for (std::uint32_t k = at; k < e.end; ++k) {
    const BasicBlock &b = function_.graph[wto_.entries()[k].block];
    for (std::uint32_t i = b.first; i <= b.last; ++i)
      if (const auto *call = std::get_if<Call>(&decoded_.instructions[i].instruction);
          call && call->kind == Call::Kind::Local)
        return std::nullopt;
    saved.emplace_back(pre_[wto_.entries()[k].block], post_[wto_.entries()[k].block]);
  }
  State x = arriving(head, false);
  std::optional<std::int64_t> bound;
  for (unsigned step = 0; step <= max_steps; ++step) {
    if (x.is_bottom()) { // no state makes `step` iterations
      bound = step == 0 ? 0 : step - 1;
      break;
    }
    pre_[head] = std::move(x);
    process(head);
    run_range(at + 1, e.end);
    x = arriving(head, true);
  }
  for (std::uint32_t k = at; k < e.end; ++k)
    std::tie(pre_[wto_.entries()[k].block], post_[wto_.entries()[k].block]) =
        std::move(saved[k - at]);
  return bound;
}

void Fixpoint::process(BlockId block) {
  State s = pre_[block];
  const BasicBlock &b = function_.graph[block];
  for (std::uint32_t i = b.first; i <= b.last && !s.is_bottom(); ++i) {
    const Instruction &instruction = decoded_.instructions[i].instruction;
    if (first_failure(instruction, s, context_)) { // the path ends at a failed assertion
      s.set_bottom();
      break;
    }
    if (local_call_ && is_local_call(instruction))
      local_call_(s, i); // the callee runs in this state's context (subprogram.h)
    else
      transfer(s, instruction, context_);
  }
  post_[block] = std::move(s);
}

State Fixpoint::edge_state(const CfgGraph::edge_descriptor &edge) const {
  BlockId from = boost::source(edge, function_.graph);
  State s = post_[from];
  if (s.is_bottom())
    return s;
  EdgeKind kind = function_.graph[edge].kind;
  if (kind == EdgeKind::Taken || kind == EdgeKind::NotTaken) {
    const Instruction &last = decoded_.instructions[function_.graph[from].last].instruction;
    if (const auto *jump = std::get_if<CondJump>(&last))
      assume_branch(s, *jump, kind == EdgeKind::Taken);
  }
  count_loops(s, from, boost::target(edge, function_.graph));
  return s;
}

void Fixpoint::count_loops(State &s, BlockId from, BlockId to) const {
  if (s.is_bottom())
    return;
  unsigned base = counter_base_, df = depth_[from], dt = depth_[to];
  std::uint32_t at = wto_.position(to);
  bool head = at != Wto::kAbsent && wto_.entries()[at].head;
  bool back = head && wto_.is_back_edge(from, to);
  unsigned kept = head && !back ? dt - 1 : dt; // loops around both ends: their counters go on
  if (df > kept)
    leave_loops(s, base + kept, base + df);
  if (back)
    iterate_loop(s, base + dt - 1);
  else if (head)
    enter_loop(s, base + dt - 1);
}

State Fixpoint::block_in(BlockId block) const {
  State s = block == FunctionCfg::kEntry ? entry_ : State::bottom();
  for (auto [it, end] = boost::in_edges(block, function_.graph); it != end; ++it)
    s = s.join(edge_state(*it));
  return s;
}

} // namespace bpfcheck::analyzer
