// The kernel's combined stack limit (check_max_stack_depth): along every chain of calls, the
// frames' stack depths, each rounded up to 16 bytes, add up to at most 512 (MAX_BPF_STACK).
#include "analyzer/rule_ids.h"
#include "analyzer/subprogram.h"

#include <algorithm>

namespace bpfcheck::analyzer {
namespace {

constexpr std::int64_t kMaxStack = 512;

// Bytes of a frame in use: down to its lowest initialized byte. Every write initializes the
// bytes it touches and reads need initialized bytes, so the lowest one bounds every access.
std::int64_t used_bytes(const Stack &stack) {
  for (int off = -Stack::kSize; off < 0; ++off)
    if (stack.byte(off) != Stack::Byte::Uninit)
      return -off;
  return 0;
}

// The JIT's rounding (round_up_stack_depth with jit_requested: 16 bytes, and an unused frame
// counts 0), as measured on Linux 6.18: 300 + 256 bytes add up to "combined ... 560".
std::int64_t rounded(std::int64_t depth) { return (depth + 15) / 16 * 16; }

// The first bpf_tail_call of a function, if any.
std::optional<std::uint32_t> tail_call_in(const DecodedProgram &decoded, const FunctionCfg &f) {
  constexpr std::int32_t kTailCall = 12;
  for (std::uint32_t i = f.first; i < f.end; ++i)
    if (const auto *c = std::get_if<Call>(&decoded.instructions[i].instruction);
        c && c->kind == Call::Kind::Helper && c->imm == kTailCall)
      return i;
  return std::nullopt;
}

} // namespace

// Each block's post-state keeps the bytes its instructions wrote (a block ends before a join
// could forget them); caller frames show what a callee wrote through pointers.
std::vector<std::int64_t> CallEngine::stack_depths() const {
  std::vector<std::int64_t> depth(cfg_.functions.size(), 0);
  for (const auto &run : runs_) {
    const FunctionCfg &function = cfg_.functions[run->function];
    for (BlockId b = 0; b < boost::num_vertices(function.graph); ++b) {
      const State &s = run->fixpoint->post(b);
      if (s.is_bottom())
        continue;
      depth[run->function] = std::max(depth[run->function], used_bytes(s.stack()));
      for (unsigned k = 0; k < s.frames().size(); ++k) {
        std::uint32_t f = s.frames()[k].function;
        depth[f] = std::max(depth[f], used_bytes(s.frames()[k].stack));
      }
    }
  }
  return depth;
}

void CallEngine::check_stack_chain(std::uint32_t function, std::int64_t below,
                                   const std::vector<std::int64_t> &depths,
                                   std::vector<std::uint32_t> &path,
                                   std::vector<CallFinding> &out) const {
  if (function != 0)
    if (auto tail = tail_call_in(decoded_, cfg_.functions[function]); tail && below >= 256) {
      // Tail calls unwind only the current frame: the kernel bounds the frames under it.
      Diagnostic d;
      d.rule = std::string(rule::kStackOutOfBounds);
      d.message = "a tail call in " + cfg_.functions[function].name + " with " +
                  std::to_string(below) +
                  " bytes of callers' stack under it (the kernel allows less than 256)";
      out.push_back({*tail, std::move(d)});
    }
  path.push_back(function);
  std::int64_t total = below + rounded(depths[function]);
  for (const CallSite &site : cfg_.functions[function].calls) {
    if (site.kind != CallSite::Kind::Call || blocked_[site.instruction])
      continue;
    std::int64_t with = total + rounded(depths[site.callee]);
    if (with > kMaxStack) {
      std::string chain;
      for (std::uint32_t f : path)
        chain += cfg_.functions[f].name + " -> ";
      Diagnostic d;
      d.rule = std::string(rule::kStackOutOfBounds);
      d.message = "the stacks of " + chain + cfg_.functions[site.callee].name + " add up to " +
                  std::to_string(with) + " bytes (each rounded up to 16); the kernel allows " +
                  std::to_string(kMaxStack) + " in total";
      out.push_back({site.instruction, std::move(d)});
    } else {
      check_stack_chain(site.callee, total, depths, path, out);
    }
  }
  path.pop_back();
}

std::vector<CallFinding> CallEngine::stack_findings() const {
  std::vector<CallFinding> out;
  if (cfg_.functions.size() < 2)
    return out; // one frame: its 512-byte bound is checked at every access
  std::vector<std::int64_t> depths = stack_depths();
  std::vector<std::uint32_t> path;
  check_stack_chain(0, 0, depths, path, out);
  return out;
}

} // namespace bpfcheck::analyzer
