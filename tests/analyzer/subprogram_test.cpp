// bpf2bpf calls: static subprograms analyzed in their caller's context (arguments, return value,
// callee-saved registers, the caller's stack through pointers), diagnostics at the callee's
// instructions under each context, recursion and call depth.
#include "asm.h"

#include "analyzer/state.h"

using namespace bpfcheck;
using namespace bpfcheck::test;
using analyzer::RegType;

namespace {

// call pc + 1 + rel (BPF_PSEUDO_CALL): a call of the function starting there.
RawInstruction call_local(std::int32_t rel) { return raw(0x85, 0, 1, 0, rel); }

Run run_with_lines(Slots slots, const std::vector<std::pair<std::uint32_t, std::uint32_t>> &lines) {
  Program p;
  p.name = "test";
  p.type = ProgramType::Xdp;
  p.license = "GPL";
  p.instructions = std::move(slots);
  for (auto [pc, line] : lines)
    p.lines.add(pc, SourceLocation{"prog.c", line, 1, "line " + std::to_string(line)});
  auto r = analyzer::analyze(p, {.keep_invariants = true});
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error()));
  return Run{std::move(r.value())};
}

// A chain of `frames` functions: each calls the next, then returns 0.
Slots call_chain(int frames) {
  Slots s;
  for (int f = 0; f + 1 < frames; ++f)
    s = s + std::initializer_list<RawInstruction>{call_local(2), mov64_imm(0, 0), exit_insn()};
  return s + std::initializer_list<RawInstruction>{mov64_imm(0, 0), exit_insn()};
}

} // namespace

TEST_CASE("arguments flow into the callee and r0 flows back; r1-r5 are clobbered") {
  // 0: r1 = 5; r2 = 9; call f; exit.   f (3): r0 = r1; r0 += 1; exit.
  Run r = run(ProgramType::Xdp, {mov64_imm(1, 5), mov64_imm(2, 9), call_local(1), exit_insn(),
                                 mov64_reg(0, 1), alu64_imm(kAdd, 0, 1), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(r.at(4).reg(1).num == analyzer::Scalar64::constant(5));
  CHECK(r.at(4).reg(0).type == RegType::Uninit);
  CHECK(r.at(4).reg(10).region == 1); // the callee's own frame
  CHECK(r.at(3).reg(0).num == analyzer::Scalar64::constant(6));
  CHECK(r.at(3).reg(1).type == RegType::Uninit);
  CHECK(r.at(3).reg(2).type == RegType::Uninit);
  CHECK(r.at(3).reg(10).region == 0);
}

TEST_CASE("r6-r9 are preserved across a call and unset inside the callee") {
  // 0: r6 = 7; r9 = 8; call f; r0 = r6; exit.   f (5): r6 = 100; r9 = 1; r0 = 0; exit.
  Run r = run(ProgramType::Xdp,
              {mov64_imm(6, 7), mov64_imm(9, 8), call_local(2), mov64_reg(0, 6), exit_insn(),
               mov64_imm(6, 100), mov64_imm(9, 1), mov64_imm(0, 0), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(r.at(5).reg(6).type == RegType::Uninit);
  CHECK(r.at(3).reg(6).num == analyzer::Scalar64::constant(7));
  CHECK(r.at(3).reg(9).num == analyzer::Scalar64::constant(8));
  // Reading a callee-saved register in the callee reads the callee's own, unset one.
  Run bad = run(ProgramType::Xdp,
                {mov64_imm(6, 7), call_local(1), exit_insn(), mov64_reg(0, 6), exit_insn()});
  CHECK(bad.rules() == Rules{"uninitialized-register@3"});
}

TEST_CASE("a callee writes its caller's stack through a pointer (f(&key))") {
  // 0: r1 = fp; r1 += -8; call f; r0 = *(u64 *)(fp - 8); exit.
  // f (5): *(u64 *)(r1 + 0) = 42; r0 = 0; exit.
  Run r = run(ProgramType::Xdp,
              {mov64_reg(1, 10), alu64_imm(kAdd, 1, -8), call_local(2), ldx(8, 0, 10, -8),
               exit_insn(), st_imm(8, 1, 0, 42), mov64_imm(0, 0), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(r.at(5).reg(1).type == RegType::Stack);
  CHECK(r.at(5).reg(1).region == 0); // the caller's frame, not the callee's
  CHECK(r.at(4).reg(0).num == analyzer::Scalar64::constant(42));
  // The callee's own frame is a new one: the caller's bytes are not readable through r10.
  Run own = run(ProgramType::Xdp,
                {st_imm(8, 10, -8, 1), call_local(1), exit_insn(), ldx(8, 0, 10, -8), exit_insn()});
  CHECK(own.rules() == Rules{"uninitialized-stack-read@3"});
}

TEST_CASE("a bug in a callee is reported at the callee's instruction and source line") {
  // 0: r1 = 0; call f; exit.   f (3): r0 = *(u32 *)(r1 + 0); exit.
  Run r =
      run_with_lines({mov64_imm(1, 0), call_local(1), exit_insn(), ldx(4, 0, 1, 0), exit_insn()},
                     {{0, 10}, {3, 20}});
  REQUIRE(r.rules() == Rules{"invalid-memory-access@3"});
  REQUIRE(r.result.diagnostics[0].location.has_value());
  CHECK(r.result.diagnostics[0].location->line == 20);
}

TEST_CASE("the same callee, safe in one context and unsafe in another, is reported") {
  // 0: *(u64 *)(fp - 8) = 0; r1 = fp; r1 += -8; call f; r1 = 0; call f; exit.
  // f (7): r0 = *(u64 *)(r1 + 0); exit.
  Slots prog = {st_imm(8, 10, -8, 0), mov64_reg(1, 10), alu64_imm(kAdd, 1, -8),
                call_local(3),        mov64_imm(1, 0),  call_local(1),
                exit_insn(),          ldx(8, 0, 1, 0),  exit_insn()};
  Run r = run(ProgramType::Xdp, prog);
  CHECK(r.rules() == Rules{"invalid-memory-access@7"});
  // Only the safe context: accepted.
  Run ok = run(ProgramType::Xdp, {st_imm(8, 10, -8, 0), mov64_reg(1, 10), alu64_imm(kAdd, 1, -8),
                                  call_local(1), exit_insn(), ldx(8, 0, 1, 0), exit_insn()});
  CHECK(ok.rules() == Rules{});
  CHECK(ok.at(4).reg(0).num == analyzer::Scalar64::constant(0));
}

TEST_CASE("invariants of a callee called from two contexts are joined") {
  // 0: r1 = 1; call f; r1 = 3; call f; exit.   f (5): r0 = r1; exit.
  Run r = run(ProgramType::Xdp, {mov64_imm(1, 1), call_local(3), mov64_imm(1, 3), call_local(1),
                                 exit_insn(), mov64_reg(0, 1), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(r.at(5).reg(1).num.umin() == 1);
  CHECK(r.at(5).reg(1).num.umax() == 3);
  CHECK(r.at(4).reg(0).num == analyzer::Scalar64::constant(3)); // the second context's result
}

TEST_CASE("recursion is rejected") {
  // 0: call f; exit.   f (2): call f; r0 = 0; exit.
  Run r = run(ProgramType::Xdp,
              {call_local(1), exit_insn(), call_local(-1), mov64_imm(0, 0), exit_insn()});
  CHECK(r.rules() == Rules{"program-too-complex@2"});
}

TEST_CASE("eight frames are allowed, a ninth is rejected") {
  CHECK(run(ProgramType::Xdp, call_chain(8)).rules() == Rules{});
  // Functions start every three slots; the eighth function calls the ninth at slot 21.
  CHECK(run(ProgramType::Xdp, call_chain(9)).rules() == Rules{"program-too-complex@21"});
}

TEST_CASE("a callee cannot return or leave behind a pointer to its own stack") {
  // f (3): r0 = fp; exit.
  Run ret = run(ProgramType::Xdp,
                {call_local(2), mov64_imm(0, 0), exit_insn(), mov64_reg(0, 10), exit_insn()});
  CHECK(ret.rules() == Rules{"bad-return-value@4"});
  // 0: r1 = fp; r1 += -8; call f; r0 = 0; exit.   f (5): r2 = fp; *(u64 *)(r1 + 0) = r2; ...
  Run spill = run(ProgramType::Xdp,
                  {mov64_reg(1, 10), alu64_imm(kAdd, 1, -8), call_local(2), mov64_imm(0, 0),
                   exit_insn(), mov64_reg(2, 10), stx(8, 1, 2, 0), mov64_imm(0, 0), exit_insn()});
  CHECK(spill.rules() == Rules{"invalid-memory-access@6"});
}

TEST_CASE("a call inside a loop converges on a joined entry") {
  // 0: r6 = 0; loop (1): r1 = r6; call f; r6 += 1; if r6 < 4 goto loop; r0 = 0; exit.
  // f (7): r0 = r1; exit.
  Run r = run(ProgramType::Xdp, {mov64_imm(6, 0), mov64_reg(1, 6), call_local(4),
                                 alu64_imm(kAdd, 6, 1), jmp_imm(kJlt, 6, 4, -4), mov64_imm(0, 0),
                                 exit_insn(), mov64_reg(0, 1), exit_insn()});
  CHECK(r.at(7).reg(1).num.umax() <= 3);
  CHECK(r.at(3).reg(0).type == RegType::Scalar);
}

TEST_CASE("the frames of a call chain share the kernel's 512 bytes of stack") {
  // 0: *(u64 *)(fp - 256) = 0; call f; r0 = 0; exit.   f (4): *(u64 *)(fp - depth) = 0; ...
  auto chain = [](std::int16_t depth) {
    return run(ProgramType::Xdp,
               {st_imm(8, 10, -256, 0), call_local(2), mov64_imm(0, 0), exit_insn(),
                st_imm(8, 10, depth, 0), mov64_imm(0, 0), exit_insn()});
  };
  CHECK(chain(-256).rules() == Rules{});
  // 264 bytes round up to 272 (the JIT's 16-byte rounding): 528 in all.
  Run over = chain(-264);
  REQUIRE(over.rules() == Rules{"stack-out-of-bounds@1"});
  CHECK(over.result.diagnostics[0].message.find("528") != std::string::npos);
}

TEST_CASE("a tail call in a subprogram needs less than 256 bytes of callers' stack") {
  // 0: *(u64 *)(fp - depth) = 0; call f; r0 = 0; exit.
  // f (4): r2 = &prog_array; r3 = 0; bpf_tail_call(ctx, r2, r3); r0 = 0; exit.
  auto chain = [](std::int16_t depth) {
    return run(ProgramType::SchedCls,
               {st_imm(8, 10, depth, 0), call_local(2), mov64_imm(0, 0), exit_insn(), ld_map(2, 0),
                ld_hi(), mov64_imm(3, 0), call(12), mov64_imm(0, 0), exit_insn()},
               {map_of(3, 4, 4)});
  };
  CHECK(chain(-256).rules() == Rules{"stack-out-of-bounds@7"});
  CHECK(chain(-240).rules() == Rules{});
}
