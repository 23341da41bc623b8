// Control-flow graphs of a decoded program: one graph of basic blocks per function (Boost.Graph,
// bidirectional adjacency lists) and a call graph between functions. Functions are the entry,
// the Program's subprograms, bpf2bpf call targets and callback addresses (ld_imm64 src=4).
#pragma once

#include "instruction.h"
#include "program.h"
#include "result.h"

#include <boost/graph/adjacency_list.hpp>

#include <span>
#include <string>
#include <vector>

namespace bpfcheck {

// A maximal straight-line run of instructions: indices into DecodedProgram::instructions.
// Blocks end at jumps, may_goto and exit; calls stay inside blocks.
struct BasicBlock {
  std::uint32_t first = 0;
  std::uint32_t last = 0; // inclusive
};

// Why control flows along an edge: plain fall-through into a jump target, an unconditional
// goto, or the taken / not-taken side of a conditional jump or may_goto.
enum class EdgeKind : std::uint8_t { FallThrough, Goto, Taken, NotTaken };

struct CfgEdge {
  EdgeKind kind = EdgeKind::FallThrough;
};

using CfgGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, BasicBlock, CfgEdge>;
using BlockId = boost::graph_traits<CfgGraph>::vertex_descriptor;

// A call instruction to another function of the program (bpf2bpf), or a reference to one as a
// callback (ld_imm64 of a function address, passed to bpf_loop, timers, ...).
struct CallSite {
  enum class Kind : std::uint8_t { Call, Callback };
  Kind kind = Kind::Call;
  std::uint32_t instruction = 0; // index into DecodedProgram::instructions
  BlockId block = 0;
  std::uint32_t callee = 0; // index into ProgramCfg::functions
};

// One function: its blocks, entry block 0, the blocks ending in exit, and its outgoing calls.
struct FunctionCfg {
  std::string name;
  std::uint32_t start = 0; // first slot
  std::uint32_t first = 0; // first instruction index
  std::uint32_t end = 0;   // one past the last instruction index
  CfgGraph graph;
  std::vector<BlockId> exits;
  std::vector<CallSite> calls;
  static constexpr BlockId kEntry = 0;
};

// The call graph: vertex i is ProgramCfg::functions[i]; one edge per call site.
struct CallEdge {
  std::uint32_t site = 0; // index into the caller's FunctionCfg::calls
};
using CallGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                        boost::no_property, CallEdge>;

struct ProgramCfg {
  std::vector<FunctionCfg> functions; // [0] is the program's entry
  CallGraph calls;
  // Per instruction index: the function and block that hold it.
  std::vector<std::uint32_t> function_of;
  std::vector<BlockId> block_of;
};

// Builds the CFGs. Fails when a jump leaves its function, a function's last instruction can
// fall into the next function, or a subprogram start is not an instruction boundary.
Result<ProgramCfg> build_cfg(const Program &program, const DecodedProgram &decoded);

// The same from explicit function starts (slots) and names; `starts[0]` must be slot 0.
struct FunctionStart {
  std::uint32_t slot = 0;
  std::string name;
};
Result<ProgramCfg> build_cfg(const DecodedProgram &decoded, std::span<const FunctionStart> starts);

// Blocks not reachable from the entry block; the kernel rejects programs with any.
std::vector<BlockId> unreachable_blocks(const FunctionCfg &function);

} // namespace bpfcheck
