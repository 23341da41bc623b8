// Decoder for RFC 9669 instruction slots plus the Linux extensions (cpu v4, atomics, pseudo
// ld_imm64 sources, legacy packet loads, kfunc calls, may_goto). The reserved-field rules follow
// the kernel's checks, so that what we accept is what BPF_PROG_LOAD would accept syntactically.
#include "decoder.h"

#include <cstdio>
#include <string>

namespace bpfcheck {
namespace {

// Instruction classes (low three bits of the opcode).
constexpr std::uint8_t kClassLd = 0x00, kClassLdx = 0x01, kClassSt = 0x02, kClassStx = 0x03,
                       kClassAlu = 0x04, kClassJmp32 = 0x06, kClassAlu64 = 0x07;
// Source bit of ALU and jump opcodes; load/store modes and sizes.
constexpr std::uint8_t kSrcX = 0x08;
constexpr std::uint8_t kModeAbs = 0x20, kModeInd = 0x40, kModeMem = 0x60, kModeMemSx = 0x80,
                       kModeAtomic = 0xc0;
constexpr std::uint8_t kSizeDw = 0x18;
constexpr std::uint8_t kLdImm64 = 0x18; // BPF_LD | BPF_IMM | BPF_DW
constexpr std::uint8_t kFrameRegister = 10;
constexpr std::int32_t kAtomicFetch = 0x01;

std::string hex(std::int64_t value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
  return buffer;
}

Error fail(std::string reason) { return Error{std::move(reason)}; }

std::uint8_t size_in_bytes(std::uint8_t opcode) {
  static constexpr std::uint8_t kBytes[4] = {4, 2, 1, 8}; // BPF_W, BPF_H, BPF_B, BPF_DW
  return kBytes[(opcode >> 3) & 3];
}

// A register the instruction only reads (r10 allowed).
std::optional<Error> check_read(std::uint8_t reg, const char *role) {
  if (reg > kFrameRegister)
    return fail(std::string("invalid ") + role + " register r" + std::to_string(reg));
  return std::nullopt;
}

// A register the instruction writes: r10 is the read-only frame pointer.
std::optional<Error> check_write(std::uint8_t reg, const char *role) {
  if (auto error = check_read(reg, role))
    return error;
  if (reg == kFrameRegister)
    return fail(std::string(role) + " register r10 (the frame pointer) is read-only");
  return std::nullopt;
}

// The absolute slot of a pc-relative target, or an error when it lies outside the program.
Result<std::uint32_t> relative_target(std::uint32_t pc, std::int64_t delta, std::size_t count,
                                      const char *what) {
  std::int64_t target = std::int64_t{pc} + delta + 1;
  if (target < 0 || target >= static_cast<std::int64_t>(count))
    return fail(std::string(what) + " target " + std::to_string(target) +
                " is outside the program (0.." + std::to_string(count - 1) + ")");
  return static_cast<std::uint32_t>(target);
}

Result<Instruction> decode_neg_or_end(const RawInstruction &raw, bool is64) {
  bool by_register = raw.opcode & kSrcX;
  if ((raw.opcode & 0xf0) == 0x80) {
    if (by_register || raw.src != 0 || raw.offset != 0 || raw.imm != 0)
      return fail("BPF_NEG uses reserved fields (source bit, src, offset and imm must be 0)");
    if (auto error = check_write(raw.dst, "destination"))
      return *error;
    return Instruction{Neg{is64, Reg{raw.dst}}};
  }
  if (raw.src != 0 || raw.offset != 0 || (raw.imm != 16 && raw.imm != 32 && raw.imm != 64))
    return fail("BPF_END uses reserved fields (src and offset must be 0, imm 16, 32 or 64)");
  if (is64 && by_register)
    return fail("BPF_END in class ALU64 (bswap) uses reserved fields (source bit must be 0)");
  if (auto error = check_write(raw.dst, "destination"))
    return *error;
  Endian::Kind kind =
      is64 ? Endian::Kind::Swap : (by_register ? Endian::Kind::ToBig : Endian::Kind::ToLittle);
  return Instruction{Endian{kind, static_cast<std::uint8_t>(raw.imm), Reg{raw.dst}}};
}

// The operation of an ALU opcode, refined by the offset field (cpu v4 signed div/mod, movsx).
Result<AluOp> alu_operation(const RawInstruction &raw, bool is64) {
  static constexpr AluOp kOps[16] = {
      AluOp::Add,  AluOp::Sub,         AluOp::Mul,         AluOp::Div, AluOp::Or,  AluOp::And,
      AluOp::Lsh,  AluOp::Rsh,         AluOp::Add /*neg*/, AluOp::Mod, AluOp::Xor, AluOp::Mov,
      AluOp::Arsh, AluOp::Add /*end*/, AluOp::Add,         AluOp::Add};
  std::uint8_t code = raw.opcode >> 4;
  if (code >= 0xe)
    return fail("unknown opcode " + hex(raw.opcode));
  AluOp op = kOps[code];
  bool by_register = raw.opcode & kSrcX;
  if (op == AluOp::Div || op == AluOp::Mod) {
    if (raw.offset != 0 && raw.offset != 1)
      return fail("BPF_DIV/BPF_MOD uses reserved fields (offset must be 0 or 1)");
    if (raw.offset == 1)
      op = op == AluOp::Div ? AluOp::SDiv : AluOp::SMod;
    return op;
  }
  if (op == AluOp::Mov && by_register && raw.offset != 0) {
    switch (raw.offset) {
    case 8:
      return AluOp::MovSx8;
    case 16:
      return AluOp::MovSx16;
    case 32:
      if (is64)
        return AluOp::MovSx32;
      break;
    default:
      break;
    }
    return fail("BPF_MOV uses reserved fields (offset must be 0, 8, 16" +
                std::string(is64 ? " or 32)" : ")"));
  }
  if (raw.offset != 0)
    return fail("BPF_ALU uses reserved fields (offset must be 0)");
  return op;
}

Result<Instruction> decode_alu(const RawInstruction &raw, bool is64) {
  std::uint8_t code = raw.opcode & 0xf0;
  if (code == 0x80 || code == 0xd0)
    return decode_neg_or_end(raw, is64);
  auto op = alu_operation(raw, is64);
  if (!op)
    return Error{op.error()};
  Operand source;
  if (raw.opcode & kSrcX) {
    if (raw.imm != 0)
      return fail("BPF_ALU with BPF_X uses reserved fields (imm must be 0)");
    if (auto error = check_read(raw.src, "source"))
      return *error;
    source = Reg{raw.src};
  } else {
    if (raw.src != 0)
      return fail("BPF_ALU with BPF_K uses reserved fields (src must be 0)");
    bool divides =
        *op == AluOp::Div || *op == AluOp::SDiv || *op == AluOp::Mod || *op == AluOp::SMod;
    if (divides && raw.imm == 0)
      return fail("division by zero");
    bool shifts = *op == AluOp::Lsh || *op == AluOp::Rsh || *op == AluOp::Arsh;
    if (shifts && (raw.imm < 0 || raw.imm >= (is64 ? 64 : 32)))
      return fail("invalid shift " + std::to_string(raw.imm));
    source = Imm{raw.imm};
  }
  if (auto error = check_write(raw.dst, "destination"))
    return *error;
  return Instruction{Alu{*op, is64, Reg{raw.dst}, source}};
}

Result<Instruction> decode_call(const RawInstruction &raw, std::uint32_t pc, std::size_t count) {
  if (raw.src > 2)
    return fail("BPF_CALL has an unknown source " + std::to_string(raw.src) +
                " (0 helper, 1 subprogram, 2 kfunc)");
  if (raw.dst != 0 || (raw.src != 2 && raw.offset != 0))
    return fail("BPF_CALL uses reserved fields (dst must be 0, offset 0 except for kfuncs)");
  Call call{static_cast<Call::Kind>(raw.src), raw.imm, raw.offset, 0};
  if (call.kind == Call::Kind::Local) {
    auto target = relative_target(pc, raw.imm, count, "call");
    if (!target)
      return Error{target.error()};
    call.target = *target;
  }
  return Instruction{call};
}

// if dst <cond> src goto +offset, on 64-bit registers (JMP) or subregisters (JMP32).
Result<Instruction> decode_conditional(const RawInstruction &raw, std::uint32_t pc,
                                       std::size_t count) {
  static constexpr Condition kConditions[16] = {
      Condition::Eq /*ja*/,   Condition::Eq,          Condition::Gt,           Condition::Ge,
      Condition::Set,         Condition::Ne,          Condition::SGt,          Condition::SGe,
      Condition::Eq /*call*/, Condition::Eq /*exit*/, Condition::Lt,           Condition::Le,
      Condition::SLt,         Condition::SLe,         Condition::Eq /*jcond*/, Condition::Eq};
  bool is32 = (raw.opcode & 7) == kClassJmp32;
  Operand right;
  if (raw.opcode & kSrcX) {
    if (raw.imm != 0)
      return fail("conditional jump with BPF_X uses reserved fields (imm must be 0)");
    if (auto error = check_read(raw.src, "source"))
      return *error;
    right = Reg{raw.src};
  } else {
    if (raw.src != 0)
      return fail("conditional jump with BPF_K uses reserved fields (src must be 0)");
    right = Imm{raw.imm};
  }
  if (auto error = check_read(raw.dst, "destination"))
    return *error;
  auto target = relative_target(pc, raw.offset, count, "jump");
  if (!target)
    return Error{target.error()};
  return Instruction{
      CondJump{kConditions[raw.opcode >> 4], !is32, Reg{raw.dst}, right, raw.offset, *target}};
}

Result<Instruction> decode_jump(const RawInstruction &raw, std::uint32_t pc, std::size_t count) {
  bool is32 = (raw.opcode & 7) == kClassJmp32;
  bool by_register = raw.opcode & kSrcX;
  std::uint8_t code = raw.opcode & 0xf0;
  if (code == 0x00) { // ja / gotol
    if (by_register || raw.src != 0 || raw.dst != 0 || (is32 ? raw.offset : raw.imm) != 0)
      return fail("BPF_JA uses reserved fields");
    std::int32_t delta = is32 ? raw.imm : raw.offset;
    auto target = relative_target(pc, delta, count, "jump");
    if (!target)
      return Error{target.error()};
    return Instruction{Goto{is32, delta, *target}};
  }
  if (code == 0x80 || code == 0x90 || code == 0xe0) {
    if (is32 || by_register)
      return fail("unknown opcode " + hex(raw.opcode));
    if (code == 0x80)
      return decode_call(raw, pc, count);
    if (code == 0x90) {
      if (raw.src != 0 || raw.dst != 0 || raw.offset != 0 || raw.imm != 0)
        return fail("BPF_EXIT uses reserved fields (dst, src, offset and imm must be 0)");
      return Instruction{Exit{}};
    }
    if (raw.src != 0)
      return fail("BPF_JCOND has an unknown source " + std::to_string(raw.src) +
                  " (only 0, may_goto, is defined)");
    if (raw.dst != 0 || raw.imm != 0)
      return fail("may_goto uses reserved fields (dst and imm must be 0)");
    auto target = relative_target(pc, raw.offset, count, "jump");
    if (!target)
      return Error{target.error()};
    return Instruction{MayGoto{raw.offset, *target}};
  }
  if (code == 0xf0)
    return fail("unknown opcode " + hex(raw.opcode));
  return decode_conditional(raw, pc, count);
}

Result<Instruction> decode_ld_imm64(std::span<const RawInstruction> slots, std::uint32_t pc) {
  const RawInstruction &raw = slots[pc];
  if (raw.src > 6)
    return fail("ld_imm64 has an unknown pseudo source " + std::to_string(raw.src));
  if (raw.offset != 0)
    return fail("ld_imm64 uses reserved fields (offset must be 0)");
  if (auto error = check_write(raw.dst, "destination"))
    return *error;
  if (pc + 1 >= slots.size())
    return fail("ld_imm64 is missing its second slot");
  const RawInstruction &next = slots[pc + 1];
  if (next.opcode != 0 || next.dst != 0 || next.src != 0 || next.offset != 0)
    return fail("the second slot of ld_imm64 must have zero opcode, registers and offset");
  LoadImm64 load{Reg{raw.dst}, static_cast<ImmKind>(raw.src), raw.imm, next.imm, 0};
  if ((load.kind == ImmKind::MapFd || load.kind == ImmKind::MapIdx || load.kind == ImmKind::Func) &&
      next.imm != 0)
    return fail("ld_imm64 uses reserved fields (the second slot's imm must be 0 for this source)");
  if (load.kind == ImmKind::Func) {
    auto target = relative_target(pc, raw.imm, slots.size(), "function");
    if (!target)
      return Error{target.error()};
    load.target = *target;
  }
  return Instruction{load};
}

Result<Instruction> decode_ld(std::span<const RawInstruction> slots, std::uint32_t pc) {
  const RawInstruction &raw = slots[pc];
  if (raw.opcode == kLdImm64)
    return decode_ld_imm64(slots, pc);
  std::uint8_t mode = raw.opcode & 0xe0;
  if ((mode != kModeAbs && mode != kModeInd) || (raw.opcode & kSizeDw) == kSizeDw)
    return fail("unknown opcode " + hex(raw.opcode));
  bool indirect = mode == kModeInd;
  if (raw.dst != 0 || raw.offset != 0 || (!indirect && raw.src != 0))
    return fail("BPF_LD_[ABS|IND] uses reserved fields (dst and offset must be 0" +
                std::string(indirect ? ")" : ", and src for BPF_ABS)"));
  if (auto error = check_read(raw.src, "index"))
    return *error;
  return Instruction{LoadPacket{size_in_bytes(raw.opcode), indirect, Reg{raw.src}, raw.imm}};
}

Result<Instruction> decode_atomic(const RawInstruction &raw) {
  std::uint8_t size = size_in_bytes(raw.opcode);
  if (size != 4 && size != 8)
    return fail("invalid atomic operand size (only BPF_W and BPF_DW)");
  Atomic atomic{Atomic::Op::Add, (raw.imm & kAtomicFetch) != 0, size, Reg{raw.dst}, raw.offset,
                Reg{raw.src}};
  switch (raw.imm & ~kAtomicFetch) {
  case 0x00:
    atomic.op = Atomic::Op::Add;
    break;
  case 0x40:
    atomic.op = Atomic::Op::Or;
    break;
  case 0x50:
    atomic.op = Atomic::Op::And;
    break;
  case 0xa0:
    atomic.op = Atomic::Op::Xor;
    break;
  case 0xe0:
    atomic.op = Atomic::Op::Xchg;
    break;
  case 0xf0:
    atomic.op = Atomic::Op::CmpXchg;
    break;
  default:
    return fail("unknown atomic operation " + hex(raw.imm));
  }
  if ((atomic.op == Atomic::Op::Xchg || atomic.op == Atomic::Op::CmpXchg) && !atomic.fetch)
    return fail("unknown atomic operation " + hex(raw.imm) + " (xchg and cmpxchg need BPF_FETCH)");
  if (auto error = check_read(raw.dst, "base"))
    return *error;
  if (auto error = atomic.fetch ? check_write(raw.src, "source") : check_read(raw.src, "source"))
    return *error;
  return Instruction{atomic};
}

Result<Instruction> decode_memory(const RawInstruction &raw) {
  std::uint8_t cls = raw.opcode & 7;
  std::uint8_t mode = raw.opcode & 0xe0;
  std::uint8_t size = size_in_bytes(raw.opcode);
  if (cls == kClassLdx) {
    if (mode != kModeMem && !(mode == kModeMemSx && size != 8))
      return fail("unknown opcode " + hex(raw.opcode));
    if (raw.imm != 0)
      return fail("BPF_LDX uses reserved fields (imm must be 0)");
    if (auto error = check_write(raw.dst, "destination"))
      return *error;
    if (auto error = check_read(raw.src, "base"))
      return *error;
    return Instruction{Load{size, mode == kModeMemSx, Reg{raw.dst}, Reg{raw.src}, raw.offset}};
  }
  if (cls == kClassStx && mode == kModeAtomic)
    return decode_atomic(raw);
  if (mode != kModeMem)
    return fail("unknown opcode " + hex(raw.opcode));
  if (auto error = check_read(raw.dst, "base"))
    return *error;
  if (cls == kClassSt) {
    if (raw.src != 0)
      return fail("BPF_ST uses reserved fields (src must be 0)");
    return Instruction{Store{size, Reg{raw.dst}, raw.offset, Imm{raw.imm}}};
  }
  if (raw.imm != 0)
    return fail("BPF_STX uses reserved fields (imm must be 0)");
  if (auto error = check_read(raw.src, "source"))
    return *error;
  return Instruction{Store{size, Reg{raw.dst}, raw.offset, Reg{raw.src}}};
}

Result<Instruction> decode_unprefixed(std::span<const RawInstruction> slots, std::uint32_t pc) {
  const RawInstruction &raw = slots[pc];
  switch (raw.opcode & 7) {
  case kClassLd:
    return decode_ld(slots, pc);
  case kClassLdx:
  case kClassSt:
  case kClassStx:
    return decode_memory(raw);
  case kClassAlu:
  case kClassAlu64:
    return decode_alu(raw, (raw.opcode & 7) == kClassAlu64);
  default:
    return decode_jump(raw, pc, slots.size());
  }
}

} // namespace

Result<Instruction> decode_instruction(std::span<const RawInstruction> slots, std::uint32_t pc) {
  auto decoded = decode_unprefixed(slots, pc);
  if (!decoded)
    return Error{"instruction " + std::to_string(pc) + " (opcode " + hex(slots[pc].opcode) +
                 "): " + decoded.error()};
  return decoded;
}

namespace {

// The slot a decoded instruction transfers control to, beyond falling through.
std::uint32_t transfer_target(const Instruction &instruction) {
  if (const auto *call = std::get_if<Call>(&instruction))
    return call->kind == Call::Kind::Local ? call->target : kNoTarget;
  if (const auto *load = std::get_if<LoadImm64>(&instruction))
    return load->kind == ImmKind::Func ? load->target : kNoTarget;
  return jump_target(instruction);
}

} // namespace

Result<DecodedProgram> decode(std::span<const RawInstruction> slots) {
  if (slots.empty())
    return Error{"the program has no instructions"};
  if (slots.size() >= DecodedProgram::kNoInstruction)
    return Error{"the program has too many instructions"};
  DecodedProgram program;
  program.index_of_slot.assign(slots.size(), DecodedProgram::kNoInstruction);
  for (std::uint32_t pc = 0; pc < slots.size();) {
    auto decoded = decode_instruction(slots, pc);
    if (!decoded)
      return Error{decoded.error()};
    program.index_of_slot[pc] = static_cast<std::uint32_t>(program.instructions.size());
    std::uint32_t size = slot_size(*decoded);
    program.instructions.push_back(DecodedInstruction{pc, std::move(*decoded)});
    pc += size;
  }
  for (const DecodedInstruction &decoded : program.instructions) {
    std::uint32_t target = transfer_target(decoded.instruction);
    if (target != kNoTarget && program.index_of_slot[target] == DecodedProgram::kNoInstruction)
      return Error{"instruction " + std::to_string(decoded.pc) + ": target " +
                   std::to_string(target) + " is the second slot of the ld_imm64 at " +
                   std::to_string(target - 1)};
  }
  const DecodedInstruction &last = program.instructions.back();
  if (falls_through(last.instruction))
    return Error{"instruction " + std::to_string(last.pc) +
                 ": the last instruction is neither exit nor goto, so control falls off the end"};
  return program;
}

} // namespace bpfcheck
