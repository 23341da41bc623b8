// Traces of diagnostics (analyzer/trace.h): the path goes from the entry to the failing
// instruction through feasible edges only, one step per source line, with a note where it takes
// a side of a conditional jump.
#include "asm.h"

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

// Analyzes `slots` as an XDP program whose slot i is on source line lines[i] of "t.c" (0: a
// record for code without a source line), and returns its diagnostics.
std::vector<Diagnostic> diagnose(std::initializer_list<RawInstruction> slots,
                                 const std::vector<std::uint32_t> &lines = {}) {
  Program p;
  p.name = "test";
  p.type = ProgramType::Xdp;
  p.instructions = slots;
  for (std::uint32_t i = 0; i < lines.size(); ++i)
    p.lines.add(i, SourceLocation{"t.c", lines[i], 1, "line " + std::to_string(lines[i])});
  auto r = analyzer::analyze(p);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error()));
  return std::move(r.value().diagnostics);
}

// "line(note) line ..." for compact comparisons; "?" for a step without a source line.
std::string steps(const std::vector<TraceStep> &trace) {
  std::string out;
  for (const TraceStep &step : trace) {
    out += out.empty() ? "" : " ";
    out += step.location ? std::to_string(step.location->line) : "?";
    if (!step.note.empty())
      out += "(" + step.note + ")";
  }
  return out;
}

} // namespace

TEST_CASE("trace: a packet read past the checked range, through the not-taken side") {
  auto d = diagnose({ldx(4, 2, 1, 0), ldx(4, 3, 1, 4), mov64_reg(4, 2), alu64_imm(kAdd, 4, 14),
                     jmp_reg(kJgt, 4, 3, 2), ldx(4, 0, 2, 12), exit_insn(), mov64_imm(0, 1),
                     exit_insn()},
                    {10, 11, 12, 12, 12, 13, 14, 15, 16});
  REQUIRE(d.size() == 1);
  CHECK(d[0].rule == "packet-out-of-bounds");
  // Instructions 2-4 share line 12: one step, carrying the branch the path takes.
  CHECK(steps(d[0].trace) == "10 11 12(branch not taken: if r4 > r3) 13");
  CHECK(d[0].trace.front().instruction == 0);
  CHECK(d[0].trace.back().instruction == 5);
  CHECK(d[0].trace.back().location->text == "line 13");
}

TEST_CASE("trace: the path avoids an edge the fixpoint proved infeasible") {
  // r1 = 5; if r1 > 10 goto fail (never taken); r2 = 1; r3 = 2; fail: r0 = r4 (uninitialized).
  // The taken edge is the shorter way to `fail`, but no state flows along it.
  auto d = diagnose({mov64_imm(1, 5), jmp_imm(kJgt, 1, 10, 2), mov64_imm(2, 1), mov64_imm(3, 2),
                     mov64_reg(0, 4), exit_insn()},
                    {1, 2, 3, 4, 5, 6});
  REQUIRE(d.size() == 1);
  CHECK(d[0].rule == "uninitialized-register");
  CHECK(steps(d[0].trace) == "1 2(branch not taken: if r1 > 0xa) 3 4 5");
}

TEST_CASE("trace: the failing side of a diamond is the taken one") {
  // r0 = random; if r0 > 7 goto bad; r0 = 0; exit; bad: r0 = r5 (uninitialized).
  auto d = diagnose(
      {call(7), jmp_imm(kJgt, 0, 7, 2), mov64_imm(0, 0), exit_insn(), mov64_reg(0, 5), exit_insn()},
      {1, 2, 3, 3, 4, 4});
  REQUIRE(d.size() == 1);
  CHECK(steps(d[0].trace) == "1 2(branch taken: if r0 > 0x7) 4");
}

TEST_CASE("trace: without line info, steps merge into one per branch") {
  auto d = diagnose({call(7), jmp_imm(kJgt, 0, 7, 2), mov64_imm(0, 0), exit_insn(), mov64_imm(1, 1),
                     mov64_reg(0, 5), exit_insn()});
  REQUIRE(d.size() == 1);
  // The first step has no source line; the branch's note joins it; the rest has no line either.
  CHECK(steps(d[0].trace) == "?(branch taken: if r0 > 0x7)");
  CHECK(d[0].trace.front().instruction == 0);
}

TEST_CASE("trace: compiler code without a source line (line 0) belongs to the line before") {
  auto d =
      diagnose({mov64_imm(1, 1), mov64_imm(2, 2), mov64_imm(3, 3), mov64_reg(0, 4), exit_insn()},
               {7, 0, 8, 9, 9});
  REQUIRE(d.size() == 1);
  CHECK(steps(d[0].trace) == "7 8 9");
}

TEST_CASE("trace: unreachable code has no path") {
  // exit; r0 = 0; exit: the second half is unreachable.
  auto d = diagnose({mov64_imm(0, 0), exit_insn(), mov64_imm(0, 1), exit_insn()}, {1, 2, 3, 4});
  REQUIRE(d.size() == 1);
  CHECK(d[0].rule == "unreachable-code");
  CHECK(d[0].trace.empty());
}

TEST_CASE("trace: a failure inside a called function goes through the call") {
  // r1 = 1; call sub; r0 = 0; exit; sub: r0 = r5 (uninitialized); exit.
  auto d = diagnose({mov64_imm(1, 1), raw(0x85, 0, 1, 0, 2), mov64_imm(0, 0), exit_insn(),
                     mov64_reg(0, 5), exit_insn()},
                    {1, 2, 3, 3, 10, 11});
  REQUIRE(d.size() == 1);
  CHECK(d[0].rule == "uninitialized-register");
  CHECK(d[0].instruction == 4);
  REQUIRE(d[0].trace.size() == 3);
  CHECK(d[0].trace[1].instruction == 1);
  CHECK(d[0].trace[1].note.rfind("call to ", 0) == 0);
  CHECK(d[0].trace[2].instruction == 4);
  CHECK(d[0].trace[2].location->line == 10);
}

TEST_CASE("trace: where paths join before the failure, the trace comes along a failing one") {
  // if r0 > 7 goto B; r5 = 1; goto T; B: r1 = 1; goto B2; B2: r2 = 2; goto T; T: r0 = r5.
  // r5 is unset only on the longer path through B and B2: the trace must take it.
  auto d = diagnose({call(7), jmp_imm(kJgt, 0, 7, 2), mov64_imm(5, 1), ja(4), mov64_imm(1, 1),
                     ja(0), mov64_imm(2, 2), ja(0), mov64_reg(0, 5), exit_insn()},
                    {1, 2, 3, 3, 4, 4, 5, 5, 6, 7});
  REQUIRE(d.size() == 1);
  CHECK(d[0].rule == "uninitialized-register");
  CHECK(steps(d[0].trace) == "1 2(branch taken: if r0 > 0x7) 4 5 6");
}
