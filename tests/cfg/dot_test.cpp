// DOT export tests: structure of the digraph (one node per block, one line per edge), back
// edges marked, labels escaped. Graphviz is run on the output when `dot` is installed.
#include "cfg.h"
#include "decoder.h"
#include "dot.h"
#include "encode.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace bpfcheck {
namespace {

using test::raw;

// Lines that start with `prefix` and contain `needle` (no std::regex: GCC 12 warns inside it
// under the sanitizers).
std::size_t count_lines(const std::string &text, const std::string &prefix,
                        const std::string &needle) {
  std::size_t lines = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    std::string line = text.substr(at, end - at);
    if (line.rfind(prefix, 0) == 0 && line.find(needle) != std::string::npos)
      ++lines;
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

// Quotes not preceded by a backslash must pair up for the file to parse.
bool quotes_balanced(const std::string &text) {
  std::size_t quotes = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
      ++quotes;
  return quotes % 2 == 0;
}

TEST_CASE("a loop exports as a digraph with a marked back edge") {
  Program program;
  program.name = "loop \"quoted\"";
  program.instructions = {
      test::mov64_imm(0, 0),  // 0
      raw(0x07, 0, 0, 0, 1),  // 1: loop head
      raw(0xa5, 0, 0, -2, 9), // 2: if r0 < 9 goto -2 -> 1
      raw(0x18, 1, 1, 0, 0),  // 3: ld_pseudo (a tab in objdump's text)
      raw(0),                 // 4
      test::exit_insn(),      // 5
  };
  program.lines.add(1, SourceLocation{"a.c", 2, 1, "  while (x < 9) { s = \"\\\\\"; }"});
  auto decoded = decode(program);
  REQUIRE(decoded.ok());
  auto cfg = build_cfg(program, *decoded);
  REQUIRE(cfg.ok());
  std::string dot = to_dot(program, *decoded, *cfg, 0);
  CAPTURE(dot);
  CHECK(dot.rfind("digraph \"loop \\\"quoted\\\"\" {\n", 0) == 0);
  CHECK(dot.substr(dot.size() - 2) == "}\n");
  CHECK(count_lines(dot, "  b", "") - count_lines(dot, "  b", " -> b") == 3); // nodes
  CHECK(count_lines(dot, "  b", " -> b") == 3);
  CHECK(dot.find("b1 -> b1 [label=\"true, back\", style=dashed, color=red];") != std::string::npos);
  CHECK(dot.find("b0 -> b1;") != std::string::npos);
  CHECK(dot.find("b1 -> b2 [label=\"false\"];") != std::string::npos);
  CHECK(dot.find("peripheries=2") != std::string::npos);
  CHECK(dot.find("2: if r0 < 0x9 goto -0x2\\l") != std::string::npos);
  CHECK(dot.find("; while") == std::string::npos); // leading spaces kept: ";   while"
  CHECK(dot.find(";   while (x < 9) { s = \\\"\\\\\\\\\\\"; }\\l") != std::string::npos);
  CHECK(dot.find('\t') == std::string::npos);
  CHECK(quotes_balanced(dot));

  if (std::system("command -v dot >/dev/null 2>&1") == 0) {
    std::string path = "cfg_dot_test.dot";
    std::ofstream(path) << dot;
    CHECK(std::system(("dot -Tsvg " + path + " -o /dev/null").c_str()) == 0);
    std::remove(path.c_str());
  } else {
    MESSAGE("graphviz is not installed; structural checks only");
  }
}

TEST_CASE("unreachable blocks are greyed") {
  Program program;
  program.name = "f";
  program.instructions = {test::exit_insn(), test::exit_insn()};
  auto decoded = decode(program);
  REQUIRE(decoded.ok());
  auto cfg = build_cfg(program, *decoded);
  REQUIRE(cfg.ok());
  std::string dot = to_dot(program, *decoded, *cfg, 0);
  CHECK(dot.find("b1 [label=\"1: exit\\l\", style=filled, fillcolor=lightgrey];") !=
        std::string::npos);
}

} // namespace
} // namespace bpfcheck
