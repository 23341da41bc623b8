// Bourdoncle's recursive iteration over the WTO, with join-then-widen at heads and one
// narrowing pass per component that is kept only when it is still inductive.
#include "analyzer/fixpoint.h"

#include "analyzer/assertions.h"
#include "analyzer/transfer.h"

namespace bpfcheck::analyzer {

Fixpoint::Fixpoint(const DecodedProgram &decoded, const FunctionCfg &function,
                   const AnalysisContext &context, State entry)
    : decoded_(decoded), function_(function), context_(context), entry_(std::move(entry)),
      wto_(function), pre_(boost::num_vertices(function.graph), State::bottom()),
      post_(boost::num_vertices(function.graph), State::bottom()) {}

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

void Fixpoint::process(BlockId block) {
  State s = pre_[block];
  const BasicBlock &b = function_.graph[block];
  for (std::uint32_t i = b.first; i <= b.last && !s.is_bottom(); ++i) {
    const Instruction &instruction = decoded_.instructions[i].instruction;
    if (first_failure(instruction, s, context_)) { // the path ends at a failed assertion
      s.set_bottom();
      break;
    }
    transfer(s, instruction, context_);
  }
  post_[block] = std::move(s);
}

State Fixpoint::edge_state(const CfgGraph::edge_descriptor &edge) const {
  BlockId from = boost::source(edge, function_.graph);
  State s = post_[from];
  EdgeKind kind = function_.graph[edge].kind;
  if (kind != EdgeKind::Taken && kind != EdgeKind::NotTaken)
    return s;
  const Instruction &last = decoded_.instructions[function_.graph[from].last].instruction;
  if (const auto *jump = std::get_if<CondJump>(&last))
    assume_branch(s, *jump, kind == EdgeKind::Taken);
  return s;
}

State Fixpoint::block_in(BlockId block) const {
  State s = block == FunctionCfg::kEntry ? entry_ : State::bottom();
  for (auto [it, end] = boost::in_edges(block, function_.graph); it != end; ++it)
    s = s.join(edge_state(*it));
  return s;
}

} // namespace bpfcheck::analyzer
