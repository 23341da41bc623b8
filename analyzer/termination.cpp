// Loop bounds from the counters in the fixpoint's head invariants, and the kernel's cost of
// simulating the loops: (bound + 1) x body per loop, nested loops multiplying.
#include "analyzer/termination.h"

#include "analyzer/rule_ids.h"
#include "analyzer/zone_scalars.h"
#include "disassembler.h"

#include <algorithm>
#include <limits>

namespace bpfcheck::analyzer {
namespace {

using Cost = std::uint64_t;
constexpr Cost kSaturated = std::numeric_limits<Cost>::max();

Cost add(Cost a, Cost b) { return a > kSaturated - b ? kSaturated : a + b; }
Cost mul(Cost a, Cost b) { return b != 0 && a > kSaturated / b ? kSaturated : a * b; }

// Abstract unrolling (Fixpoint::unrolled_bound) of one loop: at most this many iterations, and
// about this many instructions transferred in all.
constexpr Cost kMaxUnroll = 128;
constexpr Cost kUnrollBudget = 5'000;

class LoopWalker {
public:
  LoopWalker(Fixpoint &fixpoint, const FunctionCfg &function, const DecodedProgram &decoded)
      : fixpoint_(fixpoint), function_(function), decoded_(decoded),
        entries_(fixpoint.wto().entries()) {}

  std::vector<LoopFinding> run() {
    auto [total, reported] = range(0, static_cast<std::uint32_t>(entries_.size()));
    if (total > kKernelInstructionBudget && !reported && costliest_)
      findings_.push_back(too_complex_total(costliest_->first, costliest_->second, total));
    return std::move(findings_);
  }

private:
  struct Walked {
    Cost cost = 0;         // instructions the kernel simulates, at least
    bool reported = false; // a program-too-complex finding covers it already
  };

  Cost block_size(BlockId b) const {
    return function_.graph[b].last - function_.graph[b].first + 1;
  }
  std::uint32_t first_instruction(std::uint32_t entry) const {
    return function_.graph[entries_[entry].block].first;
  }

  Walked range(std::uint32_t begin, std::uint32_t end) {
    Walked w;
    for (std::uint32_t i = begin; i < end;) {
      if (!entries_[i].head) {
        w.cost = add(w.cost, block_size(entries_[i].block));
        ++i;
        continue;
      }
      Walked c = component(i);
      w.cost = add(w.cost, c.cost);
      w.reported |= c.reported;
      if (begin == 0 && (!costliest_ || c.cost > costliest_->second))
        costliest_ = {i, c.cost};
      i = entries_[i].end;
    }
    return w;
  }

  Walked component(std::uint32_t i) {
    const Wto::Entry &e = entries_[i];
    Walked body = range(i + 1, e.end);
    body.cost = add(body.cost, block_size(e.block));
    if (fixpoint_.pre(e.block).is_bottom())
      return {0, body.reported};
    // Unrolling costs about a body per iteration: a fixed budget of transfers per loop.
    Cost steps = std::min<Cost>(kMaxUnroll, kUnrollBudget / std::max<Cost>(body.cost, 1));
    auto bound = loop_bound(fixpoint_, e.block, static_cast<unsigned>(steps));
    if (!bound) {
      findings_.push_back(unbounded(i));
      return body;
    }
    Cost cost = mul(static_cast<Cost>(*bound) + 1, body.cost);
    if (cost > kKernelInstructionBudget && !body.reported) {
      findings_.push_back(too_complex(i, *bound, cost, body.cost));
      body.reported = true;
    }
    return {cost, body.reported};
  }

  // The conditional jumps of the loop that leave it: what should have bounded it.
  std::vector<std::uint32_t> exit_tests(std::uint32_t i) const {
    std::vector<std::uint32_t> tests;
    const Wto &wto = fixpoint_.wto();
    for (std::uint32_t k = i; k < entries_[i].end; ++k) {
      BlockId b = entries_[k].block;
      std::uint32_t last = function_.graph[b].last;
      if (!std::holds_alternative<CondJump>(decoded_.instructions[last].instruction))
        continue;
      for (auto [it, end] = boost::out_edges(b, function_.graph); it != end; ++it) {
        std::uint32_t at = wto.position(boost::target(*it, function_.graph));
        if (at < i || at >= entries_[i].end) {
          tests.push_back(last);
          break;
        }
      }
    }
    return tests;
  }

  LoopFinding unbounded(std::uint32_t i) const {
    Diagnostic d;
    d.rule = std::string(rule::kUnboundedLoop);
    std::vector<std::uint32_t> tests = exit_tests(i);
    const State &head = fixpoint_.pre(entries_[i].block);
    std::string exits;
    for (std::size_t t = 0; t < tests.size() && t < 3; ++t) {
      const Instruction &jump = decoded_.instructions[tests[t]].instruction;
      exits += std::string(t ? ", " : "") + "`" + format_instruction(jump) + "` at instruction " +
               std::to_string(decoded_.instructions[tests[t]].pc);
      unsigned r = std::get<CondJump>(jump).left.number;
      d.registers.push_back({"r" + std::to_string(r), head.reg(r).to_string()});
    }
    d.message = "cannot prove that this loop terminates: no upper bound on its number of "
                "iterations was found (" +
                (tests.empty() ? std::string("the loop has no exit")
                               : "no counter bounds its exit tests " + exits) +
                "); the kernel rejects loops it cannot finish simulating";
    d.hint = "bound the loop counter with a constant, e.g. `for (i = 0; i < 64 && ...; i++)`, or "
             "with a variable checked against one (`if (n > 64) return 0;`); the counter must "
             "change by a constant step and not be reset inside the loop";
    return {first_instruction(i), std::move(d)};
  }

  LoopFinding too_complex(std::uint32_t i, std::int64_t bound, Cost cost, Cost body) const {
    Diagnostic d;
    d.rule = "program-too-complex";
    d.message = "this loop runs up to " + std::to_string(bound + 1) + " times over " +
                std::to_string(body) + " instructions: the kernel would simulate about " +
                (cost == kSaturated ? std::string("more than 2^64") : std::to_string(cost)) +
                " instructions, over its limit of " + std::to_string(kKernelInstructionBudget) +
                " (\"BPF program is too large\")";
    d.hint = "lower the loop bound, or move the body into a bpf_loop() callback or an "
             "open-coded iterator (bpf_for), which the kernel verifies once";
    return {first_instruction(i), std::move(d)};
  }
  LoopFinding too_complex_total(std::uint32_t i, Cost loop_cost, Cost total) const {
    Diagnostic d;
    d.rule = "program-too-complex";
    d.message = "the loops of this function make the kernel simulate about " +
                std::to_string(total) + " instructions (this one " + std::to_string(loop_cost) +
                "), over its limit of " + std::to_string(kKernelInstructionBudget) +
                " (\"BPF program is too large\")";
    d.hint = "lower the loop bounds, or move loop bodies into bpf_loop() callbacks";
    return {first_instruction(i), std::move(d)};
  }

  Fixpoint &fixpoint_;
  const FunctionCfg &function_;
  const DecodedProgram &decoded_;
  const std::vector<Wto::Entry> &entries_;
  std::vector<LoopFinding> findings_;
  std::optional<std::pair<std::uint32_t, Cost>> costliest_; // top-level loop: entry, cost
};

} // namespace

std::optional<std::int64_t> loop_bound(Fixpoint &fixpoint, BlockId head, unsigned max_unroll) {
  const State &pre = fixpoint.pre(head);
  unsigned depth = fixpoint.loop_depth(head);
  if (pre.is_bottom() || depth == 0)
    return std::nullopt;
  if (auto bound = counter_bound(pre, fixpoint.counter_base() + depth - 1))
    return bound;
  return fixpoint.unrolled_bound(head, max_unroll);
}

std::vector<LoopFinding> check_termination(Fixpoint &fixpoint, const FunctionCfg &function,
                                           const DecodedProgram &decoded) {
  return LoopWalker(fixpoint, function, decoded).run();
}

} // namespace bpfcheck::analyzer
