// Termination: loops whose counter the zone bounds are accepted with the expected invariant at
// their head; loops without a bound, with a counter reset or moved by an unknown step, are
// `unbounded-loop`; loops the kernel could not finish simulating are `program-too-complex`.
#include "asm.h"

#include "analyzer/zone_scalars.h"

using namespace bpfcheck;
using namespace bpfcheck::test;
using analyzer::Scalar64;

namespace {

// The bound of loop counter `index` in the invariant before slot `pc` (-1: unbounded).
std::int64_t counter_at(const Run &r, std::uint32_t pc, unsigned index = 0) {
  return analyzer::counter_bound(r.at(pc), index).value_or(-1);
}

void check_range(const Scalar64 &v, std::int64_t lo, std::int64_t hi) {
  CHECK(v.smin() == lo);
  CHECK(v.smax() == hi);
}

// r2 = an unknown u32 read from the xdp context (ingress_ifindex).
RawInstruction unknown_u32(std::uint8_t dst) { return ldx(4, dst, 1, 12); }

} // namespace

TEST_CASE("counting up to a constant: i in [0, 10] at the head, 10 iterations") {
  // r0 = 0; loop: if r0 >= 10 goto out; r0 += 1; goto loop; out: exit
  Run r = run(ProgramType::Xdp, {mov64_imm(0, 0), jmp_imm(kJge, 0, 10, 2), alu64_imm(kAdd, 0, 1),
                                 ja(-3), exit_insn()});
  CHECK(r.rules() == Rules{});
  check_range(r.at(1).reg(0).num, 0, 10);
  CHECK(counter_at(r, 1) == 10);
  CHECK(r.at(4).reg(0).num == Scalar64::constant(10));
}

TEST_CASE("counting down, and rotated loops testing `!=` at the bottom") {
  // r1 = 10; loop: if r1 == 0 goto out; r1 -= 1; goto loop; out: r0 = 0; exit
  Run down = run(ProgramType::Xdp, {mov64_imm(1, 10), jmp_imm(kJeq, 1, 0, 2), alu64_imm(kSub, 1, 1),
                                    ja(-3), mov64_imm(0, 0), exit_insn()});
  CHECK(down.rules() == Rules{});
  check_range(down.at(1).reg(1).num, 0, 10);
  CHECK(counter_at(down, 1) == 10);
  // r1 = 0; loop: r1 += 1; if r1 != 28 goto loop; r0 = 0; exit (clang's rotated loop)
  Run rotated = run(ProgramType::Xdp, {mov64_imm(1, 0), alu64_imm(kAdd, 1, 1),
                                       jmp_imm(kJne, 1, 28, -2), mov64_imm(0, 0), exit_insn()});
  CHECK(rotated.rules() == Rules{});
  check_range(rotated.at(1).reg(1).num, 0, 27);
  CHECK(counter_at(rotated, 1) == 27);
}

TEST_CASE("a step of 4, and 32-bit counters") {
  // r1 = 0; loop: if r1 > 100 goto out; r1 += 4; goto loop
  Run step = run(ProgramType::Xdp, {mov64_imm(1, 0), jmp_imm(kJgt, 1, 100, 2),
                                    alu64_imm(kAdd, 1, 4), ja(-3), mov64_imm(0, 0), exit_insn()});
  CHECK(step.rules() == Rules{});
  CHECK(counter_at(step, 1) >= 26);
  CHECK(counter_at(step, 1) <= 104);
  // w1 = 0; loop: if w1 >= 16 goto out (32-bit); w1 += 1; goto loop
  Run w = run(ProgramType::Xdp, {alu32_imm(kMov, 1, 0), jmp32_imm(kJge, 1, 16, 2),
                                 alu32_imm(kAdd, 1, 1), ja(-3), mov64_imm(0, 0), exit_insn()});
  CHECK(w.rules() == Rules{});
  check_range(w.at(1).reg(1).num, 0, 16);
  CHECK(counter_at(w, 1) == 16);
}

TEST_CASE("a bound held in a register that is itself bounded") {
  // r2 = unknown; if r2 > 64 goto out; r1 = 0;
  // loop: if r1 >= r2 goto out; r1 += 1; goto loop; out: r0 = 0; exit
  Run r = run(ProgramType::Xdp,
              {unknown_u32(2), jmp_imm(kJgt, 2, 64, 4), mov64_imm(1, 0), jmp_reg(kJge, 1, 2, 2),
               alu64_imm(kAdd, 1, 1), ja(-3), mov64_imm(0, 0), exit_insn()});
  CHECK(r.rules() == Rules{});
  check_range(r.at(3).reg(1).num, 0, 64);
  CHECK(counter_at(r, 3) == 64);
  // The same with a signed comparison of a bound known only from above and below.
  Run s = run(ProgramType::Xdp,
              {unknown_u32(2), jmp_imm(kJsgt, 2, 64, 4), mov64_imm(1, 0), jmp_reg(kJsge, 1, 2, 2),
               alu64_imm(kAdd, 1, 1), ja(-3), mov64_imm(0, 0), exit_insn()});
  CHECK(s.rules() == Rules{});
  CHECK(counter_at(s, 3) == 64);
}

TEST_CASE("nested loops: each counter bounded by its own loop") {
  // for (r1 = 0; r1 < 3; r1++) for (r2 = 0; r2 < 1000; r2++) ; r0 = r1
  Run r = run(ProgramType::Xdp, {mov64_imm(1, 0), jmp_imm(kJge, 1, 3, 6), mov64_imm(2, 0),
                                 jmp_imm(kJge, 2, 1000, 2), alu64_imm(kAdd, 2, 1), ja(-3),
                                 alu64_imm(kAdd, 1, 1), ja(-7), mov64_reg(0, 1), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(counter_at(r, 1, 0) == 3);
  CHECK(counter_at(r, 3, 1) == 1000);
  check_range(r.at(3).reg(2).num, 0, 1000);
  // Outside the loops the counters are gone.
  CHECK(counter_at(r, 8, 0) == -1);
}

TEST_CASE("a loop exiting on a packet bounds check or its counter") {
  // r2 = data; r3 = data_end; r1 = 0;
  // loop: if r1 >= 8 goto out; r4 = r2 + 1; if r4 > r3 goto out; r0 = *(u8 *)r2; r2 = r4;
  //       r1 += 1; goto loop; out: r0 = 0; exit
  Run r = run(ProgramType::Xdp,
              {ldx(4, 2, 1, 0), ldx(4, 3, 1, 4), mov64_imm(1, 0), jmp_imm(kJge, 1, 8, 7),
               mov64_reg(4, 2), alu64_imm(kAdd, 4, 1), jmp_reg(kJgt, 4, 3, 4), ldx(1, 0, 2, 0),
               mov64_reg(2, 4), alu64_imm(kAdd, 1, 1), ja(-8), mov64_imm(0, 0), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(counter_at(r, 3) == 8);
}

TEST_CASE("loops without a bound are rejected at their head") {
  // r1 = unknown; loop: if r1 == 1 goto out; r1 *= 3; r1 += 1; goto loop (Collatz-like)
  Run collatz =
      run(ProgramType::Xdp, {unknown_u32(1), jmp_imm(kJeq, 1, 1, 3), alu64_imm(kMul, 1, 3),
                             alu64_imm(kAdd, 1, 1), ja(-4), mov64_imm(0, 0), exit_insn()});
  CHECK(collatz.rules() == Rules{"unbounded-loop@1"});
  const Diagnostic &d = collatz.result.diagnostics[0];
  CHECK(d.message.find("if r1 == 0x1 goto") != std::string::npos);
  CHECK(d.hint.find("for (i = 0; i < 64") != std::string::npos);
  REQUIRE(d.registers.size() == 1);
  CHECK(d.registers[0].name == "r1");
  // A bound the counter may never meet: `i < n` with n any 64-bit number (bpf_ktime_get_ns).
  Run open = run(ProgramType::Xdp, {call(5), mov64_imm(1, 0), jmp_reg(kJge, 1, 0, 2),
                                    alu64_imm(kAdd, 1, 1), ja(-3), mov64_imm(0, 0), exit_insn()});
  CHECK(open.rules() == Rules{"unbounded-loop@2"});
  // With n a u32 the loop is bounded, by 2^32: far too long for the kernel.
  Run u32 = run(ProgramType::Xdp, {unknown_u32(2), mov64_imm(1, 0), jmp_reg(kJge, 1, 2, 2),
                                   alu64_imm(kAdd, 1, 1), ja(-3), mov64_imm(0, 0), exit_insn()});
  CHECK(u32.rules() == Rules{"program-too-complex@2"});
  // No exit at all.
  Run forever = run(ProgramType::Xdp, {mov64_imm(1, 0), alu64_imm(kAdd, 1, 0), ja(-2)});
  CHECK(forever.rules() == Rules{"unbounded-loop@1"});
  CHECK(forever.result.diagnostics[0].message.find("no exit") != std::string::npos);
}

TEST_CASE("a counter reset inside the loop, or moved by an unknown step, bounds nothing") {
  // r2 = unknown; r1 = 0; loop: if r1 >= 10 goto out; r1 += 1; if r2 & 1 == 0 goto loop;
  // r1 = 0; goto loop
  Run reset = run(ProgramType::Xdp, {unknown_u32(2), mov64_imm(1, 0), jmp_imm(kJge, 1, 10, 4),
                                     alu64_imm(kAdd, 1, 1), jmp_imm(kJset, 2, 1, -3),
                                     mov64_imm(1, 0), ja(-5), mov64_imm(0, 0), exit_insn()});
  CHECK(reset.rules() == Rules{"unbounded-loop@2"});
  // r2 = unknown & 3 - 1 (in [-1, 2]); r1 = 0; loop: if r1 s>= 10 goto out; r1 += r2; goto loop
  Run wander = run(ProgramType::Xdp, {unknown_u32(2), alu64_imm(kAnd, 2, 3), alu64_imm(kSub, 2, 1),
                                      mov64_imm(1, 0), jmp_imm(kJsge, 1, 10, 2),
                                      alu64_reg(kAdd, 1, 2), ja(-3), mov64_imm(0, 0), exit_insn()});
  CHECK(wander.rules() == Rules{"unbounded-loop@4"});
  // The same step known positive ([1, 4]) is a bounded loop.
  Run forward =
      run(ProgramType::Xdp,
          {unknown_u32(2), alu64_imm(kAnd, 2, 3), alu64_imm(kAdd, 2, 1), mov64_imm(1, 0),
           jmp_imm(kJsge, 1, 10, 2), alu64_reg(kAdd, 1, 2), ja(-3), mov64_imm(0, 0), exit_insn()});
  CHECK(forward.rules() == Rules{});
  CHECK(counter_at(forward, 4) == 10);
}

TEST_CASE("loops the kernel could not finish simulating are program-too-complex") {
  // One loop of 3 instructions run 1,000,000 times.
  Run huge = run(ProgramType::Xdp, {mov64_imm(0, 0), jmp_imm(kJge, 0, 1000000, 2),
                                    alu64_imm(kAdd, 0, 1), ja(-3), exit_insn()});
  CHECK(huge.rules() == Rules{"program-too-complex@1"});
  CHECK(huge.result.diagnostics[0].message.find("1000001 times") != std::string::npos);
  // Nested 1000 x 1000: each loop fits, their product does not; reported at the outer loop.
  Run nested = run(ProgramType::Xdp, {mov64_imm(1, 0), jmp_imm(kJge, 1, 1000, 6), mov64_imm(2, 0),
                                      jmp_imm(kJge, 2, 1000, 2), alu64_imm(kAdd, 2, 1), ja(-3),
                                      alu64_imm(kAdd, 1, 1), ja(-7), mov64_reg(0, 1), exit_insn()});
  CHECK(nested.rules() == Rules{"program-too-complex@1"});
  // 1000 x 100 fits.
  Run fits = run(ProgramType::Xdp, {mov64_imm(1, 0), jmp_imm(kJge, 1, 1000, 6), mov64_imm(2, 0),
                                    jmp_imm(kJge, 2, 100, 2), alu64_imm(kAdd, 2, 1), ja(-3),
                                    alu64_imm(kAdd, 1, 1), ja(-7), mov64_reg(0, 1), exit_insn()});
  CHECK(fits.rules() == Rules{});
}

TEST_CASE("a counter spilled to the stack and filled back each iteration") {
  // *(u64 *)(fp - 8) = 0; loop: r1 = *(u64 *)(fp - 8); if r1 >= 10 goto out; r1 += 1;
  // *(u64 *)(fp - 8) = r1; goto loop; out: r0 = 0; exit
  Run r = run(ProgramType::Xdp,
              {st_imm(8, 10, -8, 0), ldx(8, 1, 10, -8), jmp_imm(kJge, 1, 10, 3),
               alu64_imm(kAdd, 1, 1), stx(8, 10, 1, -8), ja(-5), mov64_imm(0, 0), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(counter_at(r, 1) == 10);
  // A 4-byte spill is not a whole register: the kernel tracks it, we do not (yet).
  Run narrow = run(ProgramType::Xdp, {st_imm(8, 10, -8, 0), ldx(8, 1, 10, -8),
                                      jmp_imm(kJge, 1, 10, 3), alu64_imm(kAdd, 1, 1),
                                      stx(4, 10, 1, -8), ja(-5), mov64_imm(0, 0), exit_insn()});
  CHECK(narrow.rules() == Rules{"unbounded-loop@1"});
}

TEST_CASE("a short outermost loop is analyzed iteration by iteration, as the kernel does") {
  // r1 = 0; r2 = 0; loop: if r2 > 6 goto out; r1 += 4; r2 += 1; goto loop; out: r0 = r1; exit
  // r1 = 4 * r2 is no difference constraint: widening would lose r1's bound, the iterations
  // keep it exact.
  Run r = run(ProgramType::Xdp,
              {mov64_imm(1, 0), mov64_imm(2, 0), jmp_imm(kJgt, 2, 6, 3), alu64_imm(kAdd, 1, 4),
               alu64_imm(kAdd, 2, 1), ja(-4), mov64_reg(0, 1), exit_insn()});
  CHECK(r.rules() == Rules{});
  check_range(r.at(2).reg(1).num, 0, 28);
  check_range(r.at(3).reg(1).num, 0, 24); // in the body: r2 <= 6 held r1 <= 24
  // The exit joins the rounds' states; the counter (r1 >= counter, r2 == counter) keeps r1 >= 8.
  check_range(r.at(6).reg(1).num, 8, 28);
  CHECK(counter_at(r, 2) == 7);
}
