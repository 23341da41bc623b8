// The decoded BPF instruction model (RFC 9669 plus the Linux extensions): one small struct per
// kind of operation, joined in the `Instruction` variant that the analyzer visits with std::visit.
// Jump and call targets are absolute slot indices (the numbering of Program::instructions).
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

namespace bpfcheck {

// A register r0..r10. r10 is the read-only frame pointer.
struct Reg {
  std::uint8_t number = 0;
  friend bool operator==(const Reg &, const Reg &) = default;
};

// A sign-extended immediate; 64 bits so ld_imm64 and 32-bit immediates share one type.
struct Imm {
  std::int64_t value = 0;
  friend bool operator==(const Imm &, const Imm &) = default;
};

// The second operand of ALU, store and conditional-jump instructions.
using Operand = std::variant<Reg, Imm>;

// Binary ALU operations, including the cpu v4 signed division/modulo and the sign-extending
// moves, which the kernel encodes as variants of DIV/MOD/MOV selected by the offset field.
enum class AluOp : std::uint8_t {
  Add,
  Sub,
  Mul,
  Div,  // unsigned
  SDiv, // cpu v4
  Mod,  // unsigned
  SMod, // cpu v4
  Or,
  And,
  Lsh,
  Rsh,
  Arsh,
  Xor,
  Mov,
  MovSx8,  // cpu v4
  MovSx16, // cpu v4
  MovSx32, // cpu v4, 64-bit only
};

// dst = dst <op> src (or dst = src for the moves), on 64 bits or on the 32-bit subregister
// (which zero-extends the result).
struct Alu {
  AluOp op = AluOp::Add;
  bool is64 = true;
  Reg dst;
  Operand src;
  friend bool operator==(const Alu &, const Alu &) = default;
};

// dst = -dst.
struct Neg {
  bool is64 = true;
  Reg dst;
  friend bool operator==(const Neg &, const Neg &) = default;
};

// Byte-order conversions: to little/big endian (class ALU) and the unconditional swap of cpu v4
// (class ALU64). `width` is 16, 32 or 64; the result is zero-extended from `width` bits.
struct Endian {
  enum class Kind : std::uint8_t { ToLittle, ToBig, Swap };
  Kind kind = Kind::ToLittle;
  std::uint8_t width = 64;
  Reg dst;
  friend bool operator==(const Endian &, const Endian &) = default;
};

// dst = *(size *)(base + offset), zero- or (cpu v4) sign-extended. `size` is in bytes.
struct Load {
  std::uint8_t size = 8;
  bool sign_extend = false;
  Reg dst;
  Reg base;
  std::int16_t offset = 0;
  friend bool operator==(const Load &, const Load &) = default;
};

// *(size *)(base + offset) = src, a register (BPF_STX) or an immediate (BPF_ST).
struct Store {
  std::uint8_t size = 8;
  Reg base;
  std::int16_t offset = 0;
  Operand src;
  friend bool operator==(const Store &, const Store &) = default;
};

// Atomic read-modify-write on 4 or 8 bytes. With `fetch`, src receives the old value; xchg and
// cmpxchg always fetch, and cmpxchg compares with and writes the old value to r0.
struct Atomic {
  enum class Op : std::uint8_t { Add, Or, And, Xor, Xchg, CmpXchg };
  Op op = Op::Add;
  bool fetch = false;
  std::uint8_t size = 8;
  Reg base;
  std::int16_t offset = 0;
  Reg src;
  friend bool operator==(const Atomic &, const Atomic &) = default;
};

// The source field of ld_imm64 (BPF_PSEUDO_* in <linux/bpf.h>): what the 64-bit value means.
enum class ImmKind : std::uint8_t {
  Value = 0,       // a plain 64-bit constant
  MapFd = 1,       // imm = map (fd, or index after the frontend's resolution)
  MapValue = 2,    // imm = map, next_imm = offset into its value
  BtfId = 3,       // imm = ksym (BTF id, or extern index after resolution)
  Func = 4,        // imm = relative slot offset of a callback function
  MapIdx = 5,      // imm = index into the fd array
  MapIdxValue = 6, // imm = index into the fd array, next_imm = offset
};

// The two-slot 64-bit load. `imm`/`next_imm` keep the raw halves; `target` is the absolute slot
// of the function for ImmKind::Func.
struct LoadImm64 {
  Reg dst;
  ImmKind kind = ImmKind::Value;
  std::int32_t imm = 0;
  std::int32_t next_imm = 0;
  std::uint32_t target = 0;
  // The plain constant for ImmKind::Value: imm is the low half, next_imm the high half.
  std::uint64_t value() const {
    return (std::uint64_t{static_cast<std::uint32_t>(next_imm)} << 32) |
           static_cast<std::uint32_t>(imm);
  }
  friend bool operator==(const LoadImm64 &, const LoadImm64 &) = default;
};

// Legacy packet access (BPF_LD | BPF_ABS/BPF_IND): r0 = ntoh(*(size *)(skb->data + [index +]
// imm)); clobbers r1-r5 and may exit the program when out of bounds.
struct LoadPacket {
  std::uint8_t size = 4;
  bool indirect = false;
  Reg index; // only for indirect
  std::int32_t imm = 0;
  friend bool operator==(const LoadPacket &, const LoadPacket &) = default;
};

// goto target: `ja` (16-bit offset) or cpu v4 `gotol` (32-bit offset in imm).
struct Goto {
  bool long_form = false;
  std::int32_t offset = 0;
  std::uint32_t target = 0;
  friend bool operator==(const Goto &, const Goto &) = default;
};

enum class Condition : std::uint8_t { Eq, Ne, Gt, Ge, Lt, Le, SGt, SGe, SLt, SLe, Set };

// if (dst <cond> src) goto target, comparing 64-bit registers or 32-bit subregisters.
struct CondJump {
  Condition cond = Condition::Eq;
  bool is64 = true;
  Reg left;
  Operand right;
  std::int16_t offset = 0;
  std::uint32_t target = 0;
  friend bool operator==(const CondJump &, const CondJump &) = default;
};

// may_goto (JMP | JCOND, src 0): a branch the kernel takes once a per-program loop budget runs
// out, so a loop containing it terminates; it falls through otherwise.
struct MayGoto {
  std::int16_t offset = 0;
  std::uint32_t target = 0;
  friend bool operator==(const MayGoto &, const MayGoto &) = default;
};

// call: a helper by number, a bpf2bpf subprogram (target = pc + imm + 1), or a kfunc (imm = BTF
// id, or extern index after the frontend's resolution; offset = module BTF fd index).
struct Call {
  enum class Kind : std::uint8_t { Helper, Local, Kfunc };
  Kind kind = Kind::Helper;
  std::int32_t imm = 0;
  std::int16_t offset = 0;
  std::uint32_t target = 0; // Local only
  friend bool operator==(const Call &, const Call &) = default;
};

struct Exit {
  friend bool operator==(const Exit &, const Exit &) = default;
};

using Instruction = std::variant<Alu, Neg, Endian, Load, Store, Atomic, LoadImm64, LoadPacket, Goto,
                                 CondJump, MayGoto, Call, Exit>;

// One decoded instruction and the slot it starts at (ld_imm64 covers `pc` and `pc + 1`).
struct DecodedInstruction {
  std::uint32_t pc = 0;
  Instruction instruction;
  friend bool operator==(const DecodedInstruction &, const DecodedInstruction &) = default;
};

// A decoded instruction stream. `index_of_slot[pc]` is the position in `instructions` of the
// instruction starting at slot `pc`, or kNoInstruction for the second slot of an ld_imm64.
struct DecodedProgram {
  static constexpr std::uint32_t kNoInstruction = UINT32_MAX;
  std::vector<DecodedInstruction> instructions;
  std::vector<std::uint32_t> index_of_slot;
  std::uint32_t slot_count() const { return static_cast<std::uint32_t>(index_of_slot.size()); }
};

// Whether control can continue to the next instruction / which slot it may jump to.
bool falls_through(const Instruction &instruction);
// The jump target slot of Goto, CondJump and MayGoto; nullopt-like sentinel otherwise.
inline constexpr std::uint32_t kNoTarget = UINT32_MAX;
std::uint32_t jump_target(const Instruction &instruction);
// The number of slots an instruction occupies (2 for ld_imm64, else 1).
std::uint32_t slot_size(const Instruction &instruction);

} // namespace bpfcheck
