// BPF_ABS/BPF_IND packet loads (samples/bpf's load_byte/load_half/load_word): allowed in socket
// filters and tc programs with the skb in r6, they clobber r1-r5 and give a zero-extended
// number of their width in r0; as in the kernel's check_ld_abs, each broken precondition is a
// rejection at the load.
#include "asm.h"

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

// BPF_LD | BPF_ABS | size (W 0x00, H 0x08, B 0x10), and BPF_IND (0x40) with its index register.
RawInstruction ld_abs(int size, std::int32_t offset) {
  return raw(static_cast<std::uint8_t>(0x20 | size_bits(size)), 0, 0, 0, offset);
}
RawInstruction ld_ind(int size, std::uint8_t index, std::int32_t offset) {
  return raw(static_cast<std::uint8_t>(0x40 | size_bits(size)), 0, index, 0, offset);
}

} // namespace

TEST_CASE("sockex1's shape: r6 = skb, r0 = load_byte(skb, 23), exit") {
  Run r = run(ProgramType::SocketFilter,
              {mov64_reg(6, 1), ld_abs(1, 23), mov64_reg(7, 0), ld_abs(2, 12), exit_insn()});
  CHECK(r.rules() == "");
  CHECK(r.at(2).reg(0).num.umax() == 0xff);
  CHECK(r.at(4).reg(0).num.umax() == 0xffff);
  CHECK(r.at(2).reg(1).type == analyzer::RegType::Uninit); // clobbered like a call
  // r1 after the load is unset: reading it is an error, as after a helper call.
  CHECK(
      run(ProgramType::SocketFilter, {mov64_reg(6, 1), ld_abs(4, 0), mov64_reg(0, 1), exit_insn()})
          .rules() == "uninitialized-register@2");
}

TEST_CASE("BPF_IND adds a number register to the offset; a tc program may use both forms") {
  Run r = run(ProgramType::SchedCls, {mov64_reg(6, 1), ld_abs(1, 14), alu64_imm(kAnd, 0, 0xf),
                                      alu64_imm(kLsh, 0, 2), ld_ind(2, 0, 14), exit_insn()});
  CHECK(r.rules() == "");
  // The index must be a number, and set.
  CHECK(run(ProgramType::SchedCls, {mov64_reg(6, 1), ld_ind(2, 7, 14), exit_insn()}).rules() ==
        "uninitialized-register@1");
  CHECK(
      run(ProgramType::SchedCls, {mov64_reg(6, 1), mov64_reg(7, 10), ld_ind(2, 7, 14), exit_insn()})
          .rules() == "pointer-arithmetic@2");
}

TEST_CASE("preconditions of the kernel's check_ld_abs are rejections at the load") {
  // Not a socket filter or tc program.
  CHECK(run(ProgramType::Xdp, {mov64_reg(6, 1), ld_abs(1, 0), mov64_imm(0, 2), exit_insn()})
            .rules() == "invalid-memory-access@1");
  // r6 unset, r6 not the context, r6 the context at an offset.
  CHECK(run(ProgramType::SocketFilter, {ld_abs(1, 0), exit_insn()}).rules() ==
        "uninitialized-register@0");
  CHECK(run(ProgramType::SocketFilter, {mov64_reg(6, 10), ld_abs(1, 0), exit_insn()}).rules() ==
        "invalid-memory-access@1");
  CHECK(run(ProgramType::SocketFilter,
            {mov64_reg(6, 1), alu64_imm(kAdd, 6, 8), ld_abs(1, 0), exit_insn()})
            .rules() == "invalid-memory-access@2");
}
