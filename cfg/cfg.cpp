// Construction of per-function basic-block graphs and the call graph, in time linear in the
// number of instructions (plus sorting the function starts). Functions are cut at every start
// the kernel would find (func_info, call targets, callback addresses), as in check_subprogs.
#include "cfg.h"

#include <algorithm>

namespace bpfcheck {
namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

std::string at(std::uint32_t pc) { return "instruction " + std::to_string(pc); }

// The slot a call or callback reference points to, and which of the two it is.
std::uint32_t function_reference(const Instruction &instruction, CallSite::Kind &kind) {
  if (const auto *call = std::get_if<Call>(&instruction);
      call != nullptr && call->kind == Call::Kind::Local) {
    kind = CallSite::Kind::Call;
    return call->target;
  }
  if (const auto *load = std::get_if<LoadImm64>(&instruction);
      load != nullptr && load->kind == ImmKind::Func) {
    kind = CallSite::Kind::Callback;
    return load->target;
  }
  return kNone;
}

// Given starts plus every call and callback target, sorted by slot, one per slot.
Result<std::vector<FunctionStart>> collect_starts(const DecodedProgram &decoded,
                                                  std::span<const FunctionStart> given) {
  std::vector<FunctionStart> starts(given.begin(), given.end());
  if (starts.empty() || starts[0].slot != 0)
    return Error{"the first function must start at instruction 0"};
  for (const DecodedInstruction &insn : decoded.instructions) {
    CallSite::Kind kind;
    std::uint32_t target = function_reference(insn.instruction, kind);
    if (target != kNone)
      starts.push_back(FunctionStart{target, "sub_" + std::to_string(target)});
  }
  // Stable, so that a given name wins over a generated one for the same slot.
  std::stable_sort(starts.begin(), starts.end(),
                   [](const auto &a, const auto &b) { return a.slot < b.slot; });
  starts.erase(std::unique(starts.begin(), starts.end(),
                           [](const auto &a, const auto &b) { return a.slot == b.slot; }),
               starts.end());
  for (const FunctionStart &start : starts)
    if (start.slot >= decoded.slot_count() ||
        decoded.index_of_slot[start.slot] == DecodedProgram::kNoInstruction)
      return Error{"function " + start.name + " starts at slot " + std::to_string(start.slot) +
                   ", which is not an instruction boundary of the program"};
  return starts;
}

// Marks block leaders in [first, end) and checks that jumps stay inside the function.
Result<std::vector<bool>> find_leaders(const DecodedProgram &decoded, const FunctionCfg &function) {
  std::vector<bool> leader(function.end - function.first, false);
  leader[0] = true;
  for (std::uint32_t i = function.first; i < function.end; ++i) {
    const DecodedInstruction &insn = decoded.instructions[i];
    std::uint32_t target = jump_target(insn.instruction);
    bool ends_block = target != kNoTarget || std::holds_alternative<Exit>(insn.instruction);
    if (target != kNoTarget) {
      std::uint32_t index = decoded.index_of_slot[target];
      if (index < function.first || index >= function.end)
        return Error{at(insn.pc) + ": jump to " + std::to_string(target) + " leaves function " +
                     function.name};
      leader[index - function.first] = true;
    }
    if (ends_block && i + 1 < function.end)
      leader[i + 1 - function.first] = true;
  }
  const DecodedInstruction &last = decoded.instructions[function.end - 1];
  if (falls_through(last.instruction))
    return Error{at(last.pc) + ": the last instruction of function " + function.name +
                 " is neither exit nor goto, so control falls into the next function"};
  return leader;
}

// Adds the blocks and intraprocedural edges of `function`, filling `block_of`.
Result<bool> build_blocks(const DecodedProgram &decoded, FunctionCfg &function,
                          std::vector<BlockId> &block_of) {
  auto leaders = find_leaders(decoded, function);
  if (!leaders)
    return Error{leaders.error()};
  for (std::uint32_t i = function.first; i < function.end; ++i) {
    // add_vertex(g) then set the bundle: add_vertex(property, g) goes through Boost's
    // named_graph path, which trips GCC's -Wmaybe-uninitialized under the sanitizers.
    if ((*leaders)[i - function.first])
      function.graph[boost::add_vertex(function.graph)].first = i;
    BlockId block = boost::num_vertices(function.graph) - 1;
    function.graph[block].last = i;
    block_of[i] = block;
  }
  for (BlockId block = 0; block < boost::num_vertices(function.graph); ++block) {
    std::uint32_t last = function.graph[block].last;
    const Instruction &instruction = decoded.instructions[last].instruction;
    std::uint32_t target = jump_target(instruction);
    BlockId next = last + 1 < function.end ? block_of[last + 1] : 0;
    if (std::holds_alternative<Exit>(instruction)) {
      function.exits.push_back(block);
    } else if (std::holds_alternative<Goto>(instruction)) {
      boost::add_edge(block, block_of[decoded.index_of_slot[target]], CfgEdge{EdgeKind::Goto},
                      function.graph);
    } else if (target != kNoTarget) {
      boost::add_edge(block, next, CfgEdge{EdgeKind::NotTaken}, function.graph);
      boost::add_edge(block, block_of[decoded.index_of_slot[target]], CfgEdge{EdgeKind::Taken},
                      function.graph);
    } else {
      boost::add_edge(block, next, CfgEdge{EdgeKind::FallThrough}, function.graph);
    }
  }
  return true;
}

// Records call sites and call-graph edges once every function exists.
void link_calls(const DecodedProgram &decoded, std::span<const FunctionStart> starts,
                ProgramCfg &cfg) {
  std::vector<std::uint32_t> function_at_slot(decoded.slot_count(), kNone);
  for (std::uint32_t f = 0; f < starts.size(); ++f)
    function_at_slot[starts[f].slot] = f;
  for (std::uint32_t f = 0; f < cfg.functions.size(); ++f) {
    FunctionCfg &function = cfg.functions[f];
    for (std::uint32_t i = function.first; i < function.end; ++i) {
      CallSite::Kind kind;
      std::uint32_t target = function_reference(decoded.instructions[i].instruction, kind);
      if (target == kNone)
        continue;
      std::uint32_t callee = function_at_slot[target];
      function.calls.push_back(CallSite{kind, i, cfg.block_of[i], callee});
      boost::add_edge(f, callee, CallEdge{static_cast<std::uint32_t>(function.calls.size() - 1)},
                      cfg.calls);
    }
  }
}

} // namespace

Result<ProgramCfg> build_cfg(const DecodedProgram &decoded, std::span<const FunctionStart> given) {
  auto starts = collect_starts(decoded, given);
  if (!starts)
    return Error{starts.error()};
  ProgramCfg cfg;
  std::uint32_t count = static_cast<std::uint32_t>(decoded.instructions.size());
  cfg.function_of.assign(count, 0);
  cfg.block_of.assign(count, 0);
  cfg.calls = CallGraph(starts->size());
  cfg.functions.resize(starts->size());
  for (std::uint32_t f = 0; f < starts->size(); ++f) {
    FunctionCfg &function = cfg.functions[f];
    function.name = (*starts)[f].name;
    function.start = (*starts)[f].slot;
    function.first = decoded.index_of_slot[function.start];
    function.end = f + 1 < starts->size() ? decoded.index_of_slot[(*starts)[f + 1].slot] : count;
    auto built = build_blocks(decoded, function, cfg.block_of);
    if (!built)
      return Error{built.error()};
    std::fill(cfg.function_of.begin() + function.first, cfg.function_of.begin() + function.end, f);
  }
  link_calls(decoded, *starts, cfg);
  return cfg;
}

Result<ProgramCfg> build_cfg(const Program &program, const DecodedProgram &decoded) {
  std::vector<FunctionStart> starts;
  starts.push_back(FunctionStart{0, program.name});
  for (const Subprogram &subprogram : program.subprograms) {
    if (subprogram.start == 0)
      starts[0].name = subprogram.name.empty() ? program.name : subprogram.name;
    else
      starts.push_back(FunctionStart{subprogram.start, subprogram.name});
  }
  return build_cfg(decoded, starts);
}

std::vector<BlockId> unreachable_blocks(const FunctionCfg &function) {
  std::size_t count = boost::num_vertices(function.graph);
  std::vector<bool> seen(count, false);
  std::vector<BlockId> work = {FunctionCfg::kEntry};
  seen[FunctionCfg::kEntry] = true;
  while (!work.empty()) {
    BlockId block = work.back();
    work.pop_back();
    for (auto [edge, edges_end] = boost::out_edges(block, function.graph); edge != edges_end;
         ++edge) {
      BlockId next = boost::target(*edge, function.graph);
      if (!seen[next]) {
        seen[next] = true;
        work.push_back(next);
      }
    }
  }
  std::vector<BlockId> unreachable;
  for (BlockId block = 0; block < count; ++block)
    if (!seen[block])
      unreachable.push_back(block);
  return unreachable;
}

} // namespace bpfcheck
