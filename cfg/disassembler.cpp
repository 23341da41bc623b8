// Disassembler in llvm-objdump-16's syntax. The spellings were checked against llvm-objdump-16
// on hand-encoded objects (tests/cfg/disassembler_test.cpp holds the table); the objdump
// agreement test compares whole objects instruction by instruction.
#include "disassembler.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace bpfcheck {
namespace {

class Formatter {
public:
  explicit Formatter(const DisassemblyOptions &options) : options_(options) {}

  // A signed number as objdump prints operands: `0x10`, `-0x5`, or decimal.
  std::string number(std::int64_t value) const {
    char buffer[32];
    bool hex = options_.immediates == DisassemblyOptions::Immediates::Hex;
    std::uint64_t magnitude =
        value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    std::snprintf(buffer, sizeof buffer, hex ? "%s0x%" PRIx64 : "%s%" PRIu64, value < 0 ? "-" : "",
                  magnitude);
    return buffer;
  }

  // A jump offset always carries its sign: `+0x3`, `-0x1`.
  std::string offset(std::int64_t value) const {
    return value < 0 ? number(value) : "+" + number(value);
  }

  // `(r6 + 0x8)`, `(r10 - 0x8)`.
  std::string address(Reg base, std::int16_t displacement) const {
    std::string text = "(" + reg(base, true);
    if (displacement < 0)
      return text + " - " + number(-std::int64_t{displacement}) + ")";
    return text + " + " + number(displacement) + ")";
  }

  static std::string reg(Reg reg, bool is64) {
    return (is64 ? "r" : "w") + std::to_string(reg.number);
  }

  std::string operand(const Operand &operand, bool is64) const {
    if (const auto *reg_operand = std::get_if<Reg>(&operand))
      return reg(*reg_operand, is64);
    return number(std::get<Imm>(operand).value);
  }

  std::string operator()(const Alu &alu) const {
    std::string dst = reg(alu.dst, alu.is64);
    std::string src = operand(alu.src, alu.is64);
    switch (alu.op) {
    case AluOp::Mov:
      return dst + " = " + src;
    case AluOp::MovSx8:
      return dst + " = (s8)" + src;
    case AluOp::MovSx16:
      return dst + " = (s16)" + src;
    case AluOp::MovSx32:
      return dst + " = (s32)" + src;
    default:
      return dst + " " + symbol(alu.op) + "= " + src;
    }
  }

  std::string operator()(const Neg &neg) const {
    return reg(neg.dst, neg.is64) + " = -" + reg(neg.dst, neg.is64);
  }

  std::string operator()(const Endian &endian) const {
    static constexpr const char *kNames[] = {"le", "be", "bswap"};
    std::string dst = reg(endian.dst, true);
    return dst + " = " + kNames[static_cast<int>(endian.kind)] + std::to_string(endian.width) +
           " " + dst;
  }

  std::string operator()(const Load &load) const {
    return reg(load.dst, true) + " = *(" + width(load.size, load.sign_extend) + " *)" +
           address(load.base, load.offset);
  }

  std::string operator()(const Store &store) const {
    return "*(" + width(store.size, false) + " *)" + address(store.base, store.offset) + " = " +
           operand(store.src, true);
  }

  std::string operator()(const Atomic &atomic) const;

  std::string operator()(const LoadImm64 &load) const {
    if (load.kind == ImmKind::Value)
      return reg(load.dst, true) + " = " + number(static_cast<std::int64_t>(load.value())) + " ll";
    // objdump-16 prints only the first slot's imm of a pseudo load.
    return "ld_pseudo\t" + reg(load.dst, true) + ", " + number(static_cast<int>(load.kind)) + ", " +
           number(load.imm);
  }

  std::string operator()(const LoadPacket &load) const {
    // objdump-16 does not print the constant of an indirect load.
    std::string index = load.indirect ? reg(load.index, true) : number(load.imm);
    return "r0 = *(" + width(load.size, false) + " *)skb[" + index + "]";
  }

  std::string operator()(const Goto &go) const {
    return (go.long_form ? "gotol " : "goto ") + offset(go.offset);
  }

  std::string operator()(const CondJump &jump) const {
    return "if " + reg(jump.left, jump.is64) + " " + symbol(jump.cond) + " " +
           operand(jump.right, jump.is64) + " goto " + offset(jump.offset);
  }

  std::string operator()(const MayGoto &may_goto) const {
    return "may_goto " + offset(may_goto.offset);
  }

  std::string operator()(const Call &call) const { return "call " + number(call.imm); }

  std::string operator()(const Exit &) const { return "exit"; }

private:
  static std::string width(std::uint8_t size, bool sign_extend) {
    return (sign_extend ? "s" : "u") + std::to_string(size * 8);
  }

  static std::string symbol(AluOp op) {
    static constexpr const char *kSymbols[] = {"+", "-", "*",  "/",  "s/",  "%", "s%",
                                               "|", "&", "<<", ">>", "s>>", "^"};
    return kSymbols[static_cast<int>(op)];
  }

  static std::string symbol(Condition cond) {
    static constexpr const char *kSymbols[] = {
        "==", "!=", ">", ">=", "<", "<=", "s>", "s>=", "s<", "s<=", "&"};
    return kSymbols[static_cast<int>(cond)];
  }

  const DisassemblyOptions &options_;
};

std::string Formatter::operator()(const Atomic &atomic) const {
  bool is64 = atomic.size == 8;
  // Without +alu32, objdump-16 decodes the 32-bit add with 64-bit register names; the other
  // 32-bit atomics exist only in its alu32 tables, which name subregisters.
  bool wide_names = is64 || (atomic.op == Atomic::Op::Add && !atomic.fetch);
  std::string src = reg(atomic.src, wide_names);
  std::string mem = "(" + width(atomic.size, false) + " *)" + address(atomic.base, atomic.offset);
  std::string place = address(atomic.base, atomic.offset);
  place = place.substr(1, place.size() - 2); // xchg/cmpxchg take `r1 + 0x0` unparenthesized
  static constexpr const char *kNames[] = {"add", "or", "and", "xor"};
  static constexpr const char *kSymbols[] = {"+", "|", "&", "^"};
  switch (atomic.op) {
  case Atomic::Op::Xchg:
    return src + " = xchg" + (is64 ? "_64(" : "32_32(") + place + ", " + src + ")";
  case Atomic::Op::CmpXchg: {
    std::string r0 = reg(Reg{0}, is64);
    return r0 + " = cmpxchg" + (is64 ? "_64(" : "32_32(") + place + ", " + r0 + ", " + src + ")";
  }
  default:
    break;
  }
  int index = static_cast<int>(atomic.op);
  if (atomic.fetch)
    return src + " = atomic_fetch_" + kNames[index] + "(" + mem + ", " + src + ")";
  return "lock *" + mem + " " + kSymbols[index] + "= " + src;
}

// The subprogram names by start slot, for function headers in listings.
std::vector<std::pair<std::uint32_t, std::string>> function_starts(const Program &program) {
  std::vector<std::pair<std::uint32_t, std::string>> starts;
  for (const Subprogram &subprogram : program.subprograms)
    starts.emplace_back(subprogram.start, subprogram.name);
  if (starts.empty())
    starts.emplace_back(0, program.name);
  std::sort(starts.begin(), starts.end());
  return starts;
}

} // namespace

std::string format_instruction(const Instruction &instruction, const DisassemblyOptions &options) {
  return std::visit(Formatter(options), instruction);
}

std::string SourceLinePrinter::before(const Program &program, std::uint32_t slot) {
  const SourceLocation *location = program.lines.starting_at(slot);
  if (location == nullptr || location->line == 0)
    return "";
  if (last_ != nullptr && location->line == last_->line && location->file == last_->file)
    return "";
  last_ = location;
  return location->text.empty() ? location->file + ":" + std::to_string(location->line)
                                : location->text;
}

std::string disassemble(const Program &program, const DecodedProgram &decoded,
                        const DisassemblyOptions &options) {
  auto starts = function_starts(program);
  std::size_t next_function = 0;
  SourceLinePrinter source_lines;
  std::string out;
  for (const DecodedInstruction &insn : decoded.instructions) {
    while (next_function < starts.size() && starts[next_function].first <= insn.pc) {
      out += (out.empty() ? "" : "\n") + ("<" + starts[next_function].second + ">:\n");
      ++next_function;
    }
    if (options.source_lines) {
      std::string source = source_lines.before(program, insn.pc);
      if (!source.empty())
        out += "; " + source + "\n";
    }
    char index[16];
    std::snprintf(index, sizeof index, "%8u:\t", insn.pc);
    out += index + format_instruction(insn.instruction, options);
    std::uint32_t target = jump_target(insn.instruction);
    if (const auto *call = std::get_if<Call>(&insn.instruction);
        call != nullptr && call->kind == Call::Kind::Local)
      target = call->target;
    if (options.target_slots && target != kNoTarget)
      out += " <" + std::to_string(target) + ">";
    out += "\n";
  }
  return out;
}

} // namespace bpfcheck
