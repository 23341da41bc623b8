// Whole-program cases in the style of PREVAIL's YAML tests: a hand-assembled program, the
// invariants expected before chosen instructions, and the exact diagnostics (rule@slot).
#include "asm.h"

#include "analyzer/state.h"

using namespace bpfcheck;
using namespace bpfcheck::test;
using analyzer::RegType;
using analyzer::Scalar64;
namespace zvar = analyzer::zvar;

namespace {

// Bytes proved readable after packet pointer `r` (the kernel's "r=" in its register dumps).
std::int64_t packet_range(const analyzer::State &s, unsigned r) {
  REQUIRE(s.reg(r).type == RegType::Packet);
  auto d = s.zone().diff_upper(zvar::reg(r), zvar::kPacketSize);
  return d ? -*d : -1;
}

} // namespace

TEST_CASE("packet access after `data + 14 > data_end` check is accepted") {
  Run r = run(ProgramType::Xdp, {ldx(4, 2, 1, 0), ldx(4, 3, 1, 4), mov64_reg(4, 2),
                                 alu64_imm(kAdd, 4, 14), jmp_reg(kJgt, 4, 3, 2), ldx(2, 0, 2, 12),
                                 exit_insn(), mov64_imm(0, 1), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(packet_range(r.at(5), 2) == 14);
  CHECK(r.at(5).to_string().find("r2=pkt(off=0)[r=14]") != std::string::npos);
  CHECK(r.at(5).reg(3).type == RegType::PacketEnd);
  // On the taken side nothing is known about the packet's length.
  CHECK(packet_range(r.at(7), 2) == 0);
}

TEST_CASE("packet access without a bounds check is rejected") {
  Run r = run(ProgramType::Xdp, {ldx(4, 2, 1, 0), ldx(2, 0, 2, 12), exit_insn()});
  CHECK(r.rules() == Rules{"packet-out-of-bounds@1"});
  CHECK(r.result.diagnostics[0].hint.find("data_end") != std::string::npos);
}

TEST_CASE("packet access one byte past the checked range is rejected") {
  Run r = run(ProgramType::Xdp, {ldx(4, 2, 1, 0), ldx(4, 3, 1, 4), mov64_reg(4, 2),
                                 alu64_imm(kAdd, 4, 14), jmp_reg(kJgt, 4, 3, 2), ldx(2, 0, 2, 13),
                                 exit_insn(), mov64_imm(0, 1), exit_insn()});
  CHECK(r.rules() == Rules{"packet-out-of-bounds@5"});
}

TEST_CASE("packet check written as data_end < data + n, and the access on the wrong side") {
  // if r3 < r4 goto exit: the fall-through has 8 bytes; the taken side has none.
  Run ok = run(ProgramType::SchedCls, {ldx(4, 2, 1, 76), ldx(4, 3, 1, 80), mov64_reg(4, 2),
                                       alu64_imm(kAdd, 4, 8), jmp_reg(kJlt, 3, 4, 2),
                                       ldx(8, 0, 2, 0), exit_insn(), mov64_imm(0, 0), exit_insn()});
  CHECK(ok.rules() == Rules{});
  Run bad =
      run(ProgramType::SchedCls,
          {ldx(4, 2, 1, 76), ldx(4, 3, 1, 80), mov64_reg(4, 2), alu64_imm(kAdd, 4, 8),
           jmp_reg(kJlt, 3, 4, 2), mov64_imm(0, 0), exit_insn(), ldx(8, 0, 2, 0), exit_insn()});
  CHECK(bad.rules() == Rules{"packet-out-of-bounds@7"});
}

TEST_CASE("variable packet offset bounded by a mask is checked through the zone") {
  Run r = run(ProgramType::Xdp,
              {mov64_reg(6, 1), call(7), alu64_imm(kAnd, 0, 0xff), ldx(4, 2, 6, 0), ldx(4, 3, 6, 4),
               alu64_reg(kAdd, 2, 0), mov64_reg(4, 2), alu64_imm(kAdd, 4, 4),
               jmp_reg(kJgt, 4, 3, 2), ldx(4, 0, 2, 0), exit_insn(), mov64_imm(0, 2), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(r.at(9).reg(2).num.umax() == 255);
  CHECK(packet_range(r.at(9), 2) == 4);
}

TEST_CASE("copying a packet pointer to itself keeps its range") {
  Run r = run(ProgramType::Xdp, {ldx(4, 2, 1, 0), ldx(4, 3, 1, 4), mov64_reg(4, 2),
                                 alu64_imm(kAdd, 4, 4), jmp_reg(kJgt, 4, 3, 3), mov64_reg(2, 2),
                                 ldx(4, 0, 2, 0), exit_insn(), mov64_imm(0, 0), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(packet_range(r.at(6), 2) == 4);
}

TEST_CASE("a spilled packet pointer is filled with its type and range") {
  Run r = run(ProgramType::Xdp,
              {ldx(4, 2, 1, 0), ldx(4, 3, 1, 4), mov64_reg(4, 2), alu64_imm(kAdd, 4, 8),
               jmp_reg(kJgt, 4, 3, 4), stx(8, 10, 2, -8), ldx(8, 5, 10, -8), ldx(8, 0, 5, 0),
               exit_insn(), mov64_imm(0, 0), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(packet_range(r.at(7), 5) == 8);
}

TEST_CASE("a partial overwrite destroys a spilled pointer") {
  Run r = run(ProgramType::Xdp, {mov64_reg(2, 10), stx(8, 10, 2, -8), st_imm(1, 10, -5, 0),
                                 ldx(8, 5, 10, -8), ldx(8, 0, 5, 0), exit_insn()});
  CHECK(r.at(4).reg(5).type == RegType::Scalar);
  CHECK(r.rules() == Rules{"invalid-memory-access@4"});
}

TEST_CASE("a partial read of a spilled pointer is rejected") {
  Run r = run(ProgramType::Xdp, {stx(8, 10, 1, -16), ldx(4, 0, 10, -16), exit_insn()});
  CHECK(r.rules() == Rules{"invalid-stack-read@1"});
}

TEST_CASE("a spilled scalar keeps its value") {
  Run r =
      run(ProgramType::Xdp, {mov64_imm(1, 42), stx(8, 10, 1, -8), ldx(8, 0, 10, -8), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(r.at(3).reg(0).num == Scalar64::constant(42));
}

TEST_CASE("uninitialized registers and stack bytes") {
  CHECK(run(ProgramType::Xdp, {mov64_reg(0, 2), exit_insn()}).rules() ==
        Rules{"uninitialized-register@0"});
  CHECK(run(ProgramType::Xdp, {exit_insn()}).rules() == Rules{"uninitialized-register@0"});
  CHECK(run(ProgramType::Xdp, {ldx(8, 0, 10, -8), exit_insn()}).rules() ==
        Rules{"uninitialized-stack-read@0"});
  // Written on one path only: still uninitialized at the join.
  CHECK(run(ProgramType::Xdp,
            {call(7), jmp_imm(kJeq, 0, 0, 1), st_imm(8, 10, -8, 1), ldx(8, 0, 10, -8), exit_insn()})
            .rules() == Rules{"uninitialized-stack-read@3"});
  // Four bytes written, eight read.
  CHECK(run(ProgramType::Xdp, {st_imm(4, 10, -8, 1), ldx(8, 0, 10, -8), exit_insn()}).rules() ==
        Rules{"uninitialized-stack-read@1"});
}

TEST_CASE("stack bounds and alignment") {
  CHECK(run(ProgramType::Xdp, {st_imm(8, 10, -520, 0), mov64_imm(0, 0), exit_insn()}).rules() ==
        Rules{"stack-out-of-bounds@0"});
  CHECK(run(ProgramType::Xdp, {st_imm(4, 10, 0, 0), mov64_imm(0, 0), exit_insn()}).rules() ==
        Rules{"stack-out-of-bounds@0"});
  CHECK(run(ProgramType::Xdp, {st_imm(4, 10, -6, 0), mov64_imm(0, 0), exit_insn()}).rules() ==
        Rules{"misaligned-access@0"});
  // Writes to r10 never get here: the decoder rejects them, as the kernel does.
}

TEST_CASE("a bounded counting loop converges to i in [0, 10]") {
  // r0 = 0; loop: if r0 >= 10 goto out; r0 += 1; goto loop; out: exit
  Run r = run(ProgramType::Xdp, {mov64_imm(0, 0), jmp_imm(kJge, 0, 10, 2), alu64_imm(kAdd, 0, 1),
                                 ja(-3), exit_insn()});
  const Scalar64 &head = r.at(1).reg(0).num;
  CHECK(head.umin() == 0);
  CHECK(head.umax() == 10);
  CHECK(r.at(2).reg(0).num.umax() == 9);
  CHECK(r.at(4).reg(0).num == Scalar64::constant(10));
  // Its counter is bounded (loop_test.cpp): the loop terminates.
  CHECK(r.rules() == Rules{});
}

TEST_CASE("nested loops: thresholds stop widening at each bound") {
  // for (r1 = 0; r1 < 3; r1++) for (r2 = 0; r2 < 1000; r2++) ; r0 = r1
  Run r = run(ProgramType::Xdp, {mov64_imm(1, 0), jmp_imm(kJge, 1, 3, 6), mov64_imm(2, 0),
                                 jmp_imm(kJge, 2, 1000, 2), alu64_imm(kAdd, 2, 1), ja(-3),
                                 alu64_imm(kAdd, 1, 1), ja(-7), mov64_reg(0, 1), exit_insn()});
  CHECK(r.at(1).reg(1).num.umin() == 0);
  CHECK(r.at(1).reg(1).num.umax() == 3);
  CHECK(r.at(3).reg(2).num.umax() == 1000);
  CHECK(r.at(6).reg(2).num == Scalar64::constant(1000));
  CHECK(r.at(9).reg(0).num == Scalar64::constant(3));
  CHECK(r.rules() == Rules{});
}

TEST_CASE("32-bit ALU results are zero-extended") {
  Run r = run(ProgramType::Xdp, {mov64_imm(0, -1), alu32_reg(kMov, 0, 0), mov64_imm(1, -1),
                                 alu32_imm(kAdd, 1, 2), mov64_imm(2, 0), exit_insn()});
  CHECK(r.at(2).reg(0).num == Scalar64::constant(0xffffffffULL));
  CHECK(r.at(4).reg(1).num == Scalar64::constant(1));
  CHECK(r.rules() == Rules{});
}

TEST_CASE("32-bit jumps refine the subregister only") {
  // r0 = random u32 << 32 | ...: after `if w0 > 5` fails, w0 <= 5 but the upper half is free.
  Run r = run(ProgramType::Xdp,
              {call(5), jmp32_imm(kJgt, 0, 5, 1), exit_insn(), mov64_imm(0, 0), exit_insn()});
  CHECK(r.at(2).reg(0).num.umax32() == 5);
  CHECK(r.at(2).reg(0).num.umax() == UINT64_MAX - (0xffffffffULL - 5));
}

TEST_CASE("return value in the program type's range") {
  CHECK(run(ProgramType::CgroupSkb, {mov64_imm(0, 1), exit_insn()}).rules() == Rules{});
  CHECK(run(ProgramType::CgroupSkb, {mov64_imm(0, 5), exit_insn()}).rules() ==
        Rules{"bad-return-value@1"});
  CHECK(run(ProgramType::CgroupSkb, {mov64_reg(0, 1), exit_insn()}).rules() ==
        Rules{"bad-return-value@1"});
  // A random number checked against 1 on the exiting path (ingress, the default: [0, 1]).
  CHECK(run(ProgramType::CgroupSkb,
            {call(7), jmp_imm(kJgt, 0, 1, 1), exit_insn(), mov64_imm(0, 0), exit_insn()})
            .rules() == Rules{});
  CHECK(run(ProgramType::CgroupSkb,
            {call(7), jmp_imm(kJgt, 0, 2, 1), exit_insn(), mov64_imm(0, 0), exit_insn()})
            .rules() == Rules{"bad-return-value@2"});
}

TEST_CASE("a register holding different pointer kinds on two paths cannot be used") {
  Run r = run(ProgramType::Xdp, {mov64_reg(6, 1), call(7), mov64_reg(2, 10), jmp_imm(kJeq, 0, 0, 1),
                                 mov64_reg(2, 6), ldx(4, 0, 2, 0), exit_insn()});
  CHECK(r.at(5).reg(2).type == RegType::Invalid);
  CHECK(r.rules() == Rules{"mixed-register-types@5"});
}

TEST_CASE("context access: layout, moved pointer, data_end dereference") {
  CHECK(run(ProgramType::Xdp, {ldx(4, 0, 1, 24), exit_insn()}).rules() ==
        Rules{"context-access@0"});
  CHECK(run(ProgramType::Xdp, {alu64_imm(kAdd, 1, 4), ldx(4, 0, 1, 0), exit_insn()}).rules() ==
        Rules{"context-access@1"});
  CHECK(run(ProgramType::Xdp, {ldx(4, 2, 1, 4), ldx(1, 0, 2, 0), exit_insn()}).rules() ==
        Rules{"invalid-memory-access@1"});
  CHECK(
      run(ProgramType::Xdp, {ldx(4, 2, 1, 4), alu64_imm(kAdd, 2, 1), mov64_imm(0, 0), exit_insn()})
          .rules() == Rules{"pointer-arithmetic@1"});
}

TEST_CASE("a packet pointer advanced in an unbounded loop is rejected, not wrapped") {
  // r2 = data; loop: r2 += 1; if r2 != 0 goto loop (never true for a real pointer)
  Run r = run(ProgramType::Xdp, {ldx(4, 2, 1, 0), alu64_imm(kAdd, 2, 1), jmp_imm(kJne, 2, 0, -2),
                                 mov64_imm(0, 0), exit_insn()});
  CHECK(r.rules().find("pointer-arithmetic@1") != std::string::npos);
}

TEST_CASE("pointer differences are numbers; pointer sums and scalar - pointer are rejected") {
  // r0 = data_end - data (privileged programs may); r4 = (data + 6) - data is exactly 6.
  Run r = run(ProgramType::Xdp,
              {ldx(4, 2, 1, 0), ldx(4, 3, 1, 4), mov64_reg(0, 3), alu64_reg(kSub, 0, 2),
               mov64_reg(4, 2), alu64_imm(kAdd, 4, 6), alu64_reg(kSub, 4, 2), exit_insn()});
  CHECK(r.rules() == Rules{});
  CHECK(r.at(4).reg(0).type == RegType::Scalar);
  CHECK(r.at(7).reg(4).num == Scalar64::constant(6));
  CHECK(
      run(ProgramType::Xdp, {ldx(4, 2, 1, 0), alu64_reg(kAdd, 2, 1), mov64_imm(0, 0), exit_insn()})
          .rules() == Rules{"pointer-arithmetic@1"});
  CHECK(run(ProgramType::Xdp, {mov64_imm(0, 0), alu64_reg(kSub, 0, 10), exit_insn()}).rules() ==
        Rules{"pointer-arithmetic@1"});
}

TEST_CASE("global data is a map value bounded by the value size") {
  MapDescriptor data;
  data.name = ".data";
  data.origin = MapOrigin::Data;
  data.value_size = 8;
  // r1 = &.data + 0 (ld_imm64 src=2), then an 8-byte read at offset 0 and at offset 4.
  CHECK(run(ProgramType::Xdp,
            {raw(0x18, 1, 2, 0, 0), raw(0, 0, 0, 0, 0), ldx(8, 0, 1, 0), exit_insn()}, {data})
            .rules() == Rules{});
  CHECK(run(ProgramType::Xdp,
            {raw(0x18, 1, 2, 0, 0), raw(0, 0, 0, 0, 0), ldx(8, 0, 1, 4), exit_insn()}, {data})
            .rules() == Rules{"map-value-out-of-bounds@2"});
  // The same offset folded into the ld_imm64 (second slot's imm).
  CHECK(run(ProgramType::Xdp,
            {raw(0x18, 1, 2, 0, 0), raw(0, 0, 0, 0, 4), ldx(4, 0, 1, 0), exit_insn()}, {data})
            .rules() == Rules{});
}

TEST_CASE("features not modelled yet are reported, never accepted") {
  // bpf_spin_lock: spin locks are not modelled.
  CHECK(run(ProgramType::Xdp, {mov64_reg(1, 10), call(93), exit_insn()}).rules() ==
        Rules{"unsupported-feature@1"});
  CHECK(run(ProgramType::Xdp,
            {raw(0x18, 1, 5, 0, 0), raw(0, 0, 0, 0, 0), mov64_imm(0, 0), exit_insn()})
            .rules() == Rules{"unsupported-feature@0"});
  // may_goto (BPF_JMP | BPF_JCOND)
  CHECK(run(ProgramType::Xdp, {raw(0xe5, 0, 0, 0, 0), mov64_imm(0, 2), exit_insn()}).rules() ==
        Rules{"unsupported-feature@0"});
}
