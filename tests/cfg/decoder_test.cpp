// Decoder tests: every instruction form of RFC 9669 and the Linux extensions decodes to the
// expected Instruction (hand-encoded, including cpu v4 forms clang-16 cannot emit), and every
// invalid encoding yields an error naming the slot and the reason. Also: random 8-byte patterns
// never crash the decoder.
#include "decoder.h"
#include "encode.h"

#include <doctest/doctest.h>

#include <random>
#include <vector>

namespace bpfcheck {
namespace {

using test::raw;

struct ValidCase {
  const char *name;
  std::vector<RawInstruction> slots; // decoded at slot 0; padded with exits for jump targets
  Instruction expected;
};

Instruction decode_first(std::vector<RawInstruction> slots) {
  slots.resize(slots.size() + 4, test::exit_insn());
  auto decoded = decode_instruction(slots, 0);
  REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error()));
  return *decoded;
}

const std::vector<ValidCase> &valid_cases() {
  static const std::vector<ValidCase> cases = {
      {"add64 reg", {raw(0x0f, 1, 2)}, Alu{AluOp::Add, true, Reg{1}, Reg{2}}},
      {"add64 imm", {raw(0x07, 1, 0, 0, -5)}, Alu{AluOp::Add, true, Reg{1}, Imm{-5}}},
      {"add32 reg", {raw(0x0c, 1, 2)}, Alu{AluOp::Add, false, Reg{1}, Reg{2}}},
      {"sub64 imm", {raw(0x17, 3, 0, 0, 7)}, Alu{AluOp::Sub, true, Reg{3}, Imm{7}}},
      {"mul32 imm", {raw(0x24, 3, 0, 0, 7)}, Alu{AluOp::Mul, false, Reg{3}, Imm{7}}},
      {"div64 reg", {raw(0x3f, 1, 2)}, Alu{AluOp::Div, true, Reg{1}, Reg{2}}},
      {"sdiv64 reg (v4)", {raw(0x3f, 1, 2, 1)}, Alu{AluOp::SDiv, true, Reg{1}, Reg{2}}},
      {"sdiv32 imm (v4)", {raw(0x34, 1, 0, 1, -3)}, Alu{AluOp::SDiv, false, Reg{1}, Imm{-3}}},
      {"or64 imm", {raw(0x47, 1, 0, 0, 1)}, Alu{AluOp::Or, true, Reg{1}, Imm{1}}},
      {"and32 reg", {raw(0x5c, 1, 2)}, Alu{AluOp::And, false, Reg{1}, Reg{2}}},
      {"lsh64 imm", {raw(0x67, 1, 0, 0, 63)}, Alu{AluOp::Lsh, true, Reg{1}, Imm{63}}},
      {"rsh32 imm", {raw(0x74, 1, 0, 0, 31)}, Alu{AluOp::Rsh, false, Reg{1}, Imm{31}}},
      {"neg64", {raw(0x87, 1)}, Neg{true, Reg{1}}},
      {"neg32", {raw(0x84, 4)}, Neg{false, Reg{4}}},
      {"mod64 imm", {raw(0x97, 1, 0, 0, 3)}, Alu{AluOp::Mod, true, Reg{1}, Imm{3}}},
      {"smod64 reg (v4)", {raw(0x9f, 1, 2, 1)}, Alu{AluOp::SMod, true, Reg{1}, Reg{2}}},
      {"smod32 imm (v4)", {raw(0x94, 1, 0, 1, 3)}, Alu{AluOp::SMod, false, Reg{1}, Imm{3}}},
      {"xor64 reg", {raw(0xaf, 1, 10)}, Alu{AluOp::Xor, true, Reg{1}, Reg{10}}},
      {"mov64 reg", {raw(0xbf, 1, 10)}, Alu{AluOp::Mov, true, Reg{1}, Reg{10}}},
      {"mov32 imm", {raw(0xb4, 0, 0, 0, -1)}, Alu{AluOp::Mov, false, Reg{0}, Imm{-1}}},
      {"movsx64 s8 (v4)", {raw(0xbf, 1, 2, 8)}, Alu{AluOp::MovSx8, true, Reg{1}, Reg{2}}},
      {"movsx64 s16 (v4)", {raw(0xbf, 1, 2, 16)}, Alu{AluOp::MovSx16, true, Reg{1}, Reg{2}}},
      {"movsx64 s32 (v4)", {raw(0xbf, 1, 2, 32)}, Alu{AluOp::MovSx32, true, Reg{1}, Reg{2}}},
      {"movsx32 s8 (v4)", {raw(0xbc, 1, 2, 8)}, Alu{AluOp::MovSx8, false, Reg{1}, Reg{2}}},
      {"movsx32 s16 (v4)", {raw(0xbc, 1, 2, 16)}, Alu{AluOp::MovSx16, false, Reg{1}, Reg{2}}},
      {"arsh64 imm", {raw(0xc7, 1, 0, 0, 3)}, Alu{AluOp::Arsh, true, Reg{1}, Imm{3}}},
      {"arsh32 reg", {raw(0xcc, 1, 2)}, Alu{AluOp::Arsh, false, Reg{1}, Reg{2}}},
      {"le16", {raw(0xd4, 1, 0, 0, 16)}, Endian{Endian::Kind::ToLittle, 16, Reg{1}}},
      {"be64", {raw(0xdc, 1, 0, 0, 64)}, Endian{Endian::Kind::ToBig, 64, Reg{1}}},
      {"bswap32 (v4)", {raw(0xd7, 1, 0, 0, 32)}, Endian{Endian::Kind::Swap, 32, Reg{1}}},
      {"ldxw", {raw(0x61, 1, 6, 4)}, Load{4, false, Reg{1}, Reg{6}, 4}},
      {"ldxh", {raw(0x69, 1, 6, -2)}, Load{2, false, Reg{1}, Reg{6}, -2}},
      {"ldxb", {raw(0x71, 1, 10, -1)}, Load{1, false, Reg{1}, Reg{10}, -1}},
      {"ldxdw", {raw(0x79, 0, 1, 8)}, Load{8, false, Reg{0}, Reg{1}, 8}},
      {"ldsxw (v4)", {raw(0x81, 1, 2, 0)}, Load{4, true, Reg{1}, Reg{2}, 0}},
      {"ldsxh (v4)", {raw(0x89, 1, 2, 0)}, Load{2, true, Reg{1}, Reg{2}, 0}},
      {"ldsxb (v4)", {raw(0x91, 1, 2, 0)}, Load{1, true, Reg{1}, Reg{2}, 0}},
      {"stw imm", {raw(0x62, 10, 0, -8, 5)}, Store{4, Reg{10}, -8, Imm{5}}},
      {"sth imm", {raw(0x6a, 10, 0, -8, 5)}, Store{2, Reg{10}, -8, Imm{5}}},
      {"stb imm", {raw(0x72, 10, 0, -8, 5)}, Store{1, Reg{10}, -8, Imm{5}}},
      {"stdw imm", {raw(0x7a, 10, 0, -8, -5)}, Store{8, Reg{10}, -8, Imm{-5}}},
      {"stxw", {raw(0x63, 10, 1, -4)}, Store{4, Reg{10}, -4, Reg{1}}},
      {"stxdw", {raw(0x7b, 1, 10, 0)}, Store{8, Reg{1}, 0, Reg{10}}},
      {"atomic add32",
       {raw(0xc3, 1, 2, 0, 0x00)},
       Atomic{Atomic::Op::Add, false, 4, Reg{1}, 0, Reg{2}}},
      {"atomic fetch_add64",
       {raw(0xdb, 1, 2, 8, 0x01)},
       Atomic{Atomic::Op::Add, true, 8, Reg{1}, 8, Reg{2}}},
      {"atomic or64",
       {raw(0xdb, 1, 2, 0, 0x40)},
       Atomic{Atomic::Op::Or, false, 8, Reg{1}, 0, Reg{2}}},
      {"atomic fetch_or32",
       {raw(0xc3, 1, 2, 0, 0x41)},
       Atomic{Atomic::Op::Or, true, 4, Reg{1}, 0, Reg{2}}},
      {"atomic and32",
       {raw(0xc3, 1, 2, 0, 0x50)},
       Atomic{Atomic::Op::And, false, 4, Reg{1}, 0, Reg{2}}},
      {"atomic fetch_and64",
       {raw(0xdb, 1, 2, 0, 0x51)},
       Atomic{Atomic::Op::And, true, 8, Reg{1}, 0, Reg{2}}},
      {"atomic xor64",
       {raw(0xdb, 1, 2, 0, 0xa0)},
       Atomic{Atomic::Op::Xor, false, 8, Reg{1}, 0, Reg{2}}},
      {"atomic fetch_xor32",
       {raw(0xc3, 1, 2, 0, 0xa1)},
       Atomic{Atomic::Op::Xor, true, 4, Reg{1}, 0, Reg{2}}},
      {"atomic xchg64",
       {raw(0xdb, 1, 2, 0, 0xe1)},
       Atomic{Atomic::Op::Xchg, true, 8, Reg{1}, 0, Reg{2}}},
      {"atomic xchg32",
       {raw(0xc3, 1, 2, 0, 0xe1)},
       Atomic{Atomic::Op::Xchg, true, 4, Reg{1}, 0, Reg{2}}},
      {"atomic cmpxchg64",
       {raw(0xdb, 1, 2, 0, 0xf1)},
       Atomic{Atomic::Op::CmpXchg, true, 8, Reg{1}, 0, Reg{2}}},
      {"atomic cmpxchg32",
       {raw(0xc3, 1, 2, 0, 0xf1)},
       Atomic{Atomic::Op::CmpXchg, true, 4, Reg{1}, 0, Reg{2}}},
      {"ld_imm64 value",
       {raw(0x18, 1, 0, 0, 0x23456789), raw(0, 0, 0, 0, 1)},
       LoadImm64{Reg{1}, ImmKind::Value, 0x23456789, 1, 0}},
      {"ld_imm64 map fd",
       {raw(0x18, 1, 1, 0, 3), raw(0)},
       LoadImm64{Reg{1}, ImmKind::MapFd, 3, 0, 0}},
      {"ld_imm64 map value",
       {raw(0x18, 1, 2, 0, 3), raw(0, 0, 0, 0, 16)},
       LoadImm64{Reg{1}, ImmKind::MapValue, 3, 16, 0}},
      {"ld_imm64 btf id",
       {raw(0x18, 2, 3, 0, 7), raw(0)},
       LoadImm64{Reg{2}, ImmKind::BtfId, 7, 0, 0}},
      {"ld_imm64 func", {raw(0x18, 2, 4, 0, 2), raw(0)}, LoadImm64{Reg{2}, ImmKind::Func, 2, 0, 3}},
      {"ld_imm64 map idx",
       {raw(0x18, 1, 5, 0, 0), raw(0)},
       LoadImm64{Reg{1}, ImmKind::MapIdx, 0, 0, 0}},
      {"ld_imm64 map idx value",
       {raw(0x18, 1, 6, 0, 1), raw(0, 0, 0, 0, 4)},
       LoadImm64{Reg{1}, ImmKind::MapIdxValue, 1, 4, 0}},
      {"ld_abs w", {raw(0x20, 0, 0, 0, 12)}, LoadPacket{4, false, Reg{0}, 12}},
      {"ld_abs h", {raw(0x28, 0, 0, 0, 12)}, LoadPacket{2, false, Reg{0}, 12}},
      {"ld_abs b", {raw(0x30, 0, 0, 0, 12)}, LoadPacket{1, false, Reg{0}, 12}},
      {"ld_ind w", {raw(0x40, 0, 3, 0, 2)}, LoadPacket{4, true, Reg{3}, 2}},
      {"ld_ind h", {raw(0x48, 0, 3, 0, 2)}, LoadPacket{2, true, Reg{3}, 2}},
      {"ld_ind b", {raw(0x50, 0, 3, 0, 2)}, LoadPacket{1, true, Reg{3}, 2}},
      {"ja", {raw(0x05, 0, 0, 2)}, Goto{false, 2, 3}},
      {"gotol (v4)", {raw(0x06, 0, 0, 0, 3)}, Goto{true, 3, 4}},
      {"jeq imm", {raw(0x15, 1, 0, 1, 5)}, CondJump{Condition::Eq, true, Reg{1}, Imm{5}, 1, 2}},
      {"jgt reg", {raw(0x2d, 1, 2, 0)}, CondJump{Condition::Gt, true, Reg{1}, Reg{2}, 0, 1}},
      {"jge imm", {raw(0x35, 1, 0, 0, 1)}, CondJump{Condition::Ge, true, Reg{1}, Imm{1}, 0, 1}},
      {"jset reg", {raw(0x4d, 1, 2, 0)}, CondJump{Condition::Set, true, Reg{1}, Reg{2}, 0, 1}},
      {"jne imm", {raw(0x55, 1, 0, 0, 1)}, CondJump{Condition::Ne, true, Reg{1}, Imm{1}, 0, 1}},
      {"jsgt imm", {raw(0x65, 1, 0, 0, -1)}, CondJump{Condition::SGt, true, Reg{1}, Imm{-1}, 0, 1}},
      {"jsge reg", {raw(0x7d, 1, 2, 0)}, CondJump{Condition::SGe, true, Reg{1}, Reg{2}, 0, 1}},
      {"jlt imm", {raw(0xa5, 1, 0, 0, 1)}, CondJump{Condition::Lt, true, Reg{1}, Imm{1}, 0, 1}},
      {"jle reg", {raw(0xbd, 10, 2, 0)}, CondJump{Condition::Le, true, Reg{10}, Reg{2}, 0, 1}},
      {"jslt imm", {raw(0xc5, 1, 0, 0, 1)}, CondJump{Condition::SLt, true, Reg{1}, Imm{1}, 0, 1}},
      {"jsle reg", {raw(0xdd, 1, 2, 0)}, CondJump{Condition::SLe, true, Reg{1}, Reg{2}, 0, 1}},
      {"jeq32 reg", {raw(0x1e, 1, 2, 0)}, CondJump{Condition::Eq, false, Reg{1}, Reg{2}, 0, 1}},
      {"jset32 imm",
       {raw(0x46, 1, 0, 0, 8)},
       CondJump{Condition::Set, false, Reg{1}, Imm{8}, 0, 1}},
      {"jsle32 imm",
       {raw(0xd6, 1, 0, 1, -8)},
       CondJump{Condition::SLe, false, Reg{1}, Imm{-8}, 1, 2}},
      {"may_goto", {raw(0xe5, 0, 0, 1)}, MayGoto{1, 2}},
      {"call helper", {raw(0x85, 0, 0, 0, 1)}, Call{Call::Kind::Helper, 1, 0, 0}},
      {"call local", {raw(0x85, 0, 1, 0, 2)}, Call{Call::Kind::Local, 2, 0, 3}},
      {"call kfunc", {raw(0x85, 0, 2, 1, 77)}, Call{Call::Kind::Kfunc, 77, 1, 0}},
      {"exit", {raw(0x95)}, Exit{}},
  };
  return cases;
}

TEST_CASE("every valid instruction form decodes") {
  for (const ValidCase &valid : valid_cases()) {
    CAPTURE(valid.name);
    CHECK(decode_first(valid.slots) == valid.expected);
  }
}

struct InvalidCase {
  const char *name;
  std::vector<RawInstruction> slots; // decoded as a whole program
  const char *reason;                // a substring of the error
};

const std::vector<InvalidCase> &invalid_cases() {
  using test::exit_insn;
  static const std::vector<InvalidCase> cases = {
      {"empty program", {}, "no instructions"},
      {"unknown alu opcode", {raw(0xe7, 1), exit_insn()}, "instruction 0 (opcode 0xe7): unknown"},
      {"unknown alu32 opcode", {raw(0xf4, 1), exit_insn()}, "unknown opcode"},
      {"unknown jump opcode", {raw(0xf5, 1), exit_insn()}, "unknown opcode"},
      {"unknown ld mode", {raw(0x00, 1), exit_insn()}, "unknown opcode"},
      {"ld_abs dw", {raw(0x38), exit_insn()}, "unknown opcode"},
      {"ldx bad mode", {raw(0x21, 1, 2), exit_insn()}, "unknown opcode"},
      {"ldsx dw", {raw(0x99, 1, 2), exit_insn()}, "unknown opcode"},
      {"st atomic", {raw(0xc2, 1, 0), exit_insn()}, "unknown opcode"},
      {"alu K with src", {raw(0x07, 1, 2, 0, 1), exit_insn()}, "BPF_K uses reserved fields"},
      {"alu X with imm", {raw(0x0f, 1, 2, 0, 1), exit_insn()}, "BPF_X uses reserved fields"},
      {"alu with offset", {raw(0x07, 1, 0, 1, 1), exit_insn()}, "offset must be 0"},
      {"div offset 2", {raw(0x3f, 1, 2, 2), exit_insn()}, "offset must be 0 or 1"},
      {"movsx K", {raw(0xb7, 1, 0, 8, 1), exit_insn()}, "offset must be 0"},
      {"movsx32 s32", {raw(0xbc, 1, 2, 32), exit_insn()}, "offset must be 0, 8, 16)"},
      {"div by constant zero", {raw(0x37, 1, 0, 0, 0), exit_insn()}, "division by zero"},
      {"shift too far", {raw(0x64, 1, 0, 0, 32), exit_insn()}, "invalid shift 32"},
      {"neg with src", {raw(0x87, 1, 2), exit_insn()}, "BPF_NEG uses reserved fields"},
      {"neg by register", {raw(0x8f, 1), exit_insn()}, "BPF_NEG uses reserved fields"},
      {"end width 8", {raw(0xd4, 1, 0, 0, 8), exit_insn()}, "BPF_END uses reserved fields"},
      {"bswap X", {raw(0xdf, 1, 0, 0, 16), exit_insn()}, "bswap"},
      {"dst r11", {raw(0xb7, 11, 0, 0, 0), exit_insn()}, "invalid destination register r11"},
      {"src r15", {raw(0xbf, 1, 15), exit_insn()}, "invalid source register r15"},
      {"alu writes r10", {raw(0xb7, 10, 0, 0, 0), exit_insn()}, "r10 (the frame pointer)"},
      {"ldx writes r10", {raw(0x79, 10, 1), exit_insn()}, "r10 (the frame pointer)"},
      {"ldx with imm", {raw(0x79, 1, 1, 0, 1), exit_insn()}, "BPF_LDX uses reserved fields"},
      {"st with src", {raw(0x7a, 10, 1, -8, 1), exit_insn()}, "BPF_ST uses reserved fields"},
      {"stx with imm", {raw(0x7b, 10, 1, -8, 1), exit_insn()}, "BPF_STX uses reserved fields"},
      {"atomic byte", {raw(0xd3, 1, 2), exit_insn()}, "invalid atomic operand size"},
      {"atomic unknown op", {raw(0xdb, 1, 2, 0, 0x10), exit_insn()}, "unknown atomic operation"},
      {"xchg without fetch", {raw(0xdb, 1, 2, 0, 0xe0), exit_insn()}, "need BPF_FETCH"},
      {"fetch into r10", {raw(0xdb, 1, 10, 0, 0x01), exit_insn()}, "r10 (the frame pointer)"},
      {"ld_abs with dst", {raw(0x20, 1, 0, 0, 1), exit_insn()}, "BPF_LD_[ABS|IND] uses reserved"},
      {"ld_abs with src", {raw(0x20, 0, 1, 0, 1), exit_insn()}, "BPF_LD_[ABS|IND] uses reserved"},
      {"ld_ind bad index", {raw(0x40, 0, 12, 0, 1), exit_insn()}, "invalid index register r12"},
      {"exit with imm", {raw(0x95, 0, 0, 0, 1)}, "BPF_EXIT uses reserved fields"},
      {"exit with dst", {raw(0x95, 1)}, "BPF_EXIT uses reserved fields"},
      {"exit with offset", {raw(0x95, 0, 0, 1)}, "BPF_EXIT uses reserved fields"},
      {"exit jmp32", {raw(0x96)}, "unknown opcode 0x96"},
      {"exit by register", {raw(0x9d)}, "unknown opcode 0x9d"},
      {"call with dst", {raw(0x85, 1, 0, 0, 1), exit_insn()}, "BPF_CALL uses reserved fields"},
      {"call with offset", {raw(0x85, 0, 0, 1, 1), exit_insn()}, "BPF_CALL uses reserved fields"},
      {"call unknown kind", {raw(0x85, 0, 3, 0, 1), exit_insn()}, "unknown source 3"},
      {"callx", {raw(0x8d, 0, 1), exit_insn()}, "unknown opcode 0x8d"},
      {"call jmp32", {raw(0x86, 0, 0, 0, 1), exit_insn()}, "unknown opcode 0x86"},
      {"local call out of range", {raw(0x85, 0, 1, 0, 5), exit_insn()}, "call target 6"},
      {"ja with imm", {raw(0x05, 0, 0, 0, 1)}, "BPF_JA uses reserved fields"},
      {"gotol with offset", {raw(0x06, 0, 0, 1, 0), exit_insn()}, "BPF_JA uses reserved fields"},
      {"ja X", {raw(0x0d), exit_insn()}, "BPF_JA uses reserved fields"},
      {"jump K with src", {raw(0x15, 1, 2, 0, 1), exit_insn()}, "BPF_K uses reserved fields"},
      {"jump X with imm", {raw(0x1d, 1, 2, 0, 1), exit_insn()}, "BPF_X uses reserved fields"},
      {"jump bad dst", {raw(0x15, 11, 0, 0, 1), exit_insn()}, "invalid destination register"},
      {"jump forward out", {raw(0x15, 1, 0, 1, 1), exit_insn()}, "jump target 2 is outside"},
      {"jump backward out", {raw(0x05, 0, 0, -2)}, "jump target -1 is outside"},
      {"jump into ld_imm64",
       {raw(0x15, 1, 0, 1, 1), raw(0x18, 1), raw(0), exit_insn()},
       "instruction 0: target 2 is the second slot of the ld_imm64 at 1"},
      {"may_goto src 1", {raw(0xe5, 0, 1), exit_insn()}, "unknown source 1"},
      {"may_goto with imm", {raw(0xe5, 0, 0, 0, 1), exit_insn()}, "may_goto uses reserved"},
      {"jcond jmp32", {raw(0xe6), exit_insn()}, "unknown opcode 0xe6"},
      {"ld_imm64 last slot", {exit_insn(), raw(0x18, 1)}, "missing its second slot"},
      {"ld_imm64 second opcode", {raw(0x18, 1), raw(0x18), exit_insn()}, "second slot"},
      {"ld_imm64 second regs", {raw(0x18, 1), raw(0, 1), exit_insn()}, "second slot"},
      {"ld_imm64 second offset", {raw(0x18, 1), raw(0, 0, 0, 4), exit_insn()}, "second slot"},
      {"ld_imm64 pseudo 7", {raw(0x18, 1, 7), raw(0), exit_insn()}, "unknown pseudo source 7"},
      {"ld_imm64 map fd hi", {raw(0x18, 1, 1), raw(0, 0, 0, 0, 1), exit_insn()}, "second slot's"},
      {"ld_imm64 offset", {raw(0x18, 1, 0, 1), raw(0), exit_insn()}, "offset must be 0"},
      {"ld_imm64 into r10", {raw(0x18, 10), raw(0), exit_insn()}, "r10 (the frame pointer)"},
      {"func out of range", {raw(0x18, 1, 4, 0, 9), raw(0), exit_insn()}, "function target 10"},
      {"falls off the end", {test::mov64_imm(0, 0)}, "falls off the end"},
      {"cond jump last", {raw(0x15, 1, 0, -1, 0)}, "falls off the end"},
      {"error names the slot", {raw(0x18, 1), raw(0), raw(0xff), exit_insn()}, "instruction 2"},
  };
  return cases;
}

TEST_CASE("every invalid encoding is rejected with its reason") {
  for (const InvalidCase &invalid : invalid_cases()) {
    CAPTURE(invalid.name);
    auto decoded = decode(invalid.slots);
    REQUIRE_FALSE(decoded.ok());
    CHECK_MESSAGE(decoded.error().find(invalid.reason) != std::string::npos, decoded.error());
  }
}

TEST_CASE("a decoded program maps slots to instructions") {
  std::vector<RawInstruction> slots = {raw(0x18, 1, 0, 0, 5), raw(0), test::mov64_imm(0, 0),
                                       test::exit_insn()};
  auto decoded = decode(slots);
  REQUIRE(decoded.ok());
  CHECK(decoded->instructions.size() == 3);
  CHECK(decoded->index_of_slot ==
        std::vector<std::uint32_t>{0, DecodedProgram::kNoInstruction, 1, 2});
  CHECK(decoded->instructions[1].pc == 2);
}

TEST_CASE("random 8-byte patterns never crash the decoder") {
  std::mt19937_64 random(12345);
  std::vector<RawInstruction> slots(4);
  int accepted = 0;
  for (int round = 0; round < 200000; ++round) {
    std::uint64_t bits = random();
    // Bias towards plausible opcodes: random classes with few set reserved fields.
    slots[0] = raw(static_cast<std::uint8_t>(bits), static_cast<std::uint8_t>((bits >> 8) & 0xf),
                   static_cast<std::uint8_t>((bits >> 12) & 0xf),
                   static_cast<std::int16_t>((bits >> 16) % 8) - 4,
                   (bits >> 40) & 1 ? static_cast<std::int32_t>(bits >> 32) : 0);
    slots[1] = raw(static_cast<std::uint8_t>(random() & 1 ? 0 : random()));
    slots[2] = test::exit_insn();
    slots[3] = test::exit_insn();
    accepted += decode(slots).ok() ? 1 : 0;
  }
  CHECK(accepted > 0);
}

} // namespace
} // namespace bpfcheck
