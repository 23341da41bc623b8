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
#include <regex>

namespace bpfcheck {
namespace {

using test::raw;

std::size_t count(const std::string &text, const std::regex &pattern) {
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), pattern), {}));
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
  CHECK(count(dot, std::regex(R"(\n  b\d+ \[label=)")) == 3);
  CHECK(count(dot, std::regex(R"(\n  b\d+ -> b\d+)")) == 3);
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
