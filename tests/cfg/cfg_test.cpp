// CFG tests: block boundaries and edges for every jump kind, functions from subprograms, call
// and callback targets, the call graph, the structural errors, and near-linear scaling on
// 100k-instruction programs.
#include "cfg.h"
#include "decoder.h"
#include "encode.h"
#include "wto.h"

#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <tuple>

namespace bpfcheck {
namespace {

using test::exit_insn;
using test::ja;
using test::jeq_imm;
using test::mov64_imm;
using test::raw;

struct Built {
  DecodedProgram decoded;
  ProgramCfg cfg;
};

Built build(const Program &program) {
  auto decoded = decode(program);
  REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error()));
  auto cfg = build_cfg(program, *decoded);
  REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error()));
  return Built{std::move(*decoded), std::move(*cfg)};
}

Program program_of(std::vector<RawInstruction> slots) {
  Program program;
  program.name = "main";
  program.instructions = std::move(slots);
  return program;
}

// Blocks as (first pc, last pc) and edges as (from, to, kind), for readable comparisons.
using Blocks = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
using Edges = std::set<std::tuple<BlockId, BlockId, EdgeKind>>;

Blocks blocks_of(const Built &built, std::uint32_t function = 0) {
  Blocks blocks;
  const CfgGraph &graph = built.cfg.functions[function].graph;
  for (BlockId block = 0; block < boost::num_vertices(graph); ++block)
    blocks.emplace_back(built.decoded.instructions[graph[block].first].pc,
                        built.decoded.instructions[graph[block].last].pc);
  return blocks;
}

Edges edges_of(const Built &built, std::uint32_t function = 0) {
  Edges edges;
  const CfgGraph &graph = built.cfg.functions[function].graph;
  for (auto [edge, end] = boost::edges(graph); edge != end; ++edge)
    edges.emplace(boost::source(*edge, graph), boost::target(*edge, graph), graph[*edge].kind);
  return edges;
}

TEST_CASE("straight-line code is one block") {
  Built built = build(program_of({mov64_imm(0, 1), raw(0x07, 0, 0, 0, 2), exit_insn()}));
  CHECK(blocks_of(built) == Blocks{{0, 2}});
  CHECK(edges_of(built).empty());
  CHECK(built.cfg.functions[0].exits == std::vector<BlockId>{0});
}

TEST_CASE("a diamond has taken, not-taken, goto and fall-through edges") {
  Built built =
      build(program_of({jeq_imm(1, 0, 2), mov64_imm(0, 1), ja(1), mov64_imm(0, 2), exit_insn()}));
  CHECK(blocks_of(built) == Blocks{{0, 0}, {1, 2}, {3, 3}, {4, 4}});
  CHECK(edges_of(built) == Edges{{0, 1, EdgeKind::NotTaken},
                                 {0, 2, EdgeKind::Taken},
                                 {1, 3, EdgeKind::Goto},
                                 {2, 3, EdgeKind::FallThrough}});
}

TEST_CASE("jump kinds: gotol, 32-bit and register jumps, may_goto, jump to the next") {
  Built built = build(program_of({
      raw(0x06, 0, 0, 0, 2), // 0: gotol +2 -> 3
      exit_insn(),           // 1
      exit_insn(),           // 2
      raw(0x1e, 1, 2, 1),    // 3: if w1 == w2 goto +1 -> 5
      raw(0x05, 0, 0, 0),    // 4: goto +0 -> 5
      raw(0xe5, 0, 0, 1),    // 5: may_goto +1 -> 7
      raw(0xad, 1, 2, 0),    // 6: if r1 < r2 goto +0 -> 7 (both edges to one block)
      exit_insn(),           // 7
  }));
  CHECK(blocks_of(built) == Blocks{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}});
  CHECK(edges_of(built) == Edges{{0, 3, EdgeKind::Goto},
                                 {3, 4, EdgeKind::NotTaken},
                                 {3, 5, EdgeKind::Taken},
                                 {4, 5, EdgeKind::Goto},
                                 {5, 6, EdgeKind::NotTaken},
                                 {5, 7, EdgeKind::Taken},
                                 {6, 7, EdgeKind::NotTaken},
                                 {6, 7, EdgeKind::Taken}});
  CHECK(boost::num_edges(built.cfg.functions[0].graph) == 8); // parallel edges kept
  CHECK(unreachable_blocks(built.cfg.functions[0]) == std::vector<BlockId>{1, 2});
}

TEST_CASE("ld_imm64, calls and stores stay inside blocks; exit ends one") {
  Built built = build(program_of(
      {raw(0x18, 1, 0, 0, 5), raw(0), raw(0x85, 0, 0, 0, 1), raw(0x7b, 10, 1, -8), exit_insn()}));
  CHECK(blocks_of(built) == Blocks{{0, 4}});
  CHECK(built.cfg.block_of == std::vector<BlockId>{0, 0, 0, 0});
}

TEST_CASE("functions come from subprograms, call targets and callbacks") {
  Program program = program_of({
      raw(0x85, 0, 1, 0, 4),   // 0: call +4 -> 5 (a listed subprogram)
      raw(0x18, 2, 4, 0, 6),   // 1: r2 = callback at 1 + 6 + 1 = 8
      raw(0),                  // 2
      raw(0x85, 0, 0, 0, 181), // 3: call bpf_loop
      exit_insn(),             // 4
      raw(0x85, 0, 1, 0, 1),   // 5: call +1 -> 7 (found only through the call)
      exit_insn(),             // 6
      exit_insn(),             // 7
      mov64_imm(0, 0),         // 8: the callback
      exit_insn(),             // 9
  });
  program.subprograms = {Subprogram{"main", 0}, Subprogram{"helper", 5}};
  Built built = build(program);
  REQUIRE(built.cfg.functions.size() == 4);
  CHECK(built.cfg.functions[0].name == "main");
  CHECK(built.cfg.functions[1].name == "helper");
  CHECK(built.cfg.functions[2].name == "sub_7");
  CHECK(built.cfg.functions[3].name == "sub_8");
  CHECK(built.cfg.functions[1].start == 5);
  CHECK(built.cfg.function_of == std::vector<std::uint32_t>{0, 0, 0, 0, 1, 1, 2, 3, 3});
  const auto &calls = built.cfg.functions[0].calls;
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].kind == CallSite::Kind::Call);
  CHECK(calls[0].callee == 1);
  CHECK(calls[1].kind == CallSite::Kind::Callback);
  CHECK(calls[1].callee == 3);
  CHECK(boost::num_edges(built.cfg.calls) == 3);
  CHECK(boost::out_degree(0, built.cfg.calls) == 2);
  CHECK(boost::in_degree(2, built.cfg.calls) == 1);
}

TEST_CASE("structural errors name the instruction and the reason") {
  auto error_of = [](Program program) {
    auto decoded = decode(program);
    REQUIRE(decoded.ok());
    auto cfg = build_cfg(program, *decoded);
    REQUIRE_FALSE(cfg.ok());
    return cfg.error();
  };
  SUBCASE("a jump leaves its function") {
    Program program = program_of({jeq_imm(1, 0, 2), exit_insn(), mov64_imm(0, 0), exit_insn()});
    program.subprograms = {Subprogram{"main", 0}, Subprogram{"f", 2}};
    CHECK(error_of(program) == "instruction 0: jump to 3 leaves function main");
  }
  SUBCASE("a function falls into the next") {
    Program program = program_of({mov64_imm(0, 0), mov64_imm(0, 1), exit_insn()});
    program.subprograms = {Subprogram{"main", 0}, Subprogram{"f", 1}};
    CHECK(error_of(program).find("instruction 0: the last instruction of function main") == 0);
  }
  SUBCASE("a subprogram starts inside ld_imm64") {
    Program program = program_of({raw(0x18, 1), raw(0), exit_insn()});
    program.subprograms = {Subprogram{"main", 0}, Subprogram{"f", 1}};
    CHECK(error_of(program).find("function f starts at slot 1") == 0);
  }
  SUBCASE("a subprogram starts past the end") {
    Program program = program_of({exit_insn()});
    program.subprograms = {Subprogram{"main", 0}, Subprogram{"f", 9}};
    CHECK(error_of(program).find("not an instruction boundary") != std::string::npos);
  }
}

// 100k instructions of straight-line code or of a chain of diamonds: decode, CFG and WTO must
// be near-linear. The time bound is loose; a quadratic step would take minutes.
TEST_CASE("100k-instruction programs are processed in near-linear time") {
  constexpr std::uint32_t kSize = 100000;
  for (bool diamonds : {false, true}) {
    CAPTURE(diamonds);
    std::vector<RawInstruction> slots;
    while (slots.size() + 5 < kSize) {
      if (diamonds) {
        slots.push_back(jeq_imm(1, 0, 2));
        slots.push_back(mov64_imm(0, 1));
        slots.push_back(ja(1));
        slots.push_back(mov64_imm(0, 2));
      } else {
        slots.push_back(raw(0x07, 0, 0, 0, 1));
      }
    }
    slots.push_back(exit_insn());
    auto start = std::chrono::steady_clock::now();
    Built built = build(program_of(slots));
    Wto wto(built.cfg.functions[0]);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(wto.entries().size() == boost::num_vertices(built.cfg.functions[0].graph));
    CHECK(seconds < 10.0);
    MESSAGE((diamonds ? "diamond chain: " : "straight line: ")
            << boost::num_vertices(built.cfg.functions[0].graph) << " blocks in " << seconds
            << " s");
  }
}

} // namespace
} // namespace bpfcheck
