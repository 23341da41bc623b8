// program_builder.h: writes BPF instruction slots in memory for the analyzer benchmarks, one
// call per instruction (spelled after the kernel's BPF_* macros), with labels so that the
// generators can emit jumps forwards and backwards without counting slots.
#pragma once

#include "program.h"

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace bpfcheck::bench {

// Opcode fields of <linux/bpf_common.h> and <linux/bpf.h>.
enum Alu : std::uint8_t {
  kAdd = 0x00,
  kSub = 0x10,
  kMul = 0x20,
  kOr = 0x40,
  kAnd = 0x50,
  kLsh = 0x60,
  kRsh = 0x70,
  kXor = 0xa0,
  kMov = 0xb0,
};
enum Jmp : std::uint8_t {
  kJeq = 0x10,
  kJgt = 0x20,
  kJge = 0x30,
  kJset = 0x40,
  kJne = 0x50,
  kJlt = 0xa0,
};
enum Helper : std::int32_t { kMapLookupElem = 1 };
constexpr std::uint8_t kFp = 10; // the frame pointer r10

class Builder {
public:
  using Label = std::uint32_t;

  Label label() {
    bound_.push_back(kUnbound);
    return static_cast<Label>(bound_.size() - 1);
  }
  // The label names the next instruction emitted.
  void bind(Label l) { bound_.at(l) = size(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(slots_.size()); }

  void alu(Alu op, std::uint8_t dst, std::int32_t imm) { emit(op | 0x07, dst, 0, 0, imm); }
  void alu_reg(Alu op, std::uint8_t dst, std::uint8_t src) { emit(op | 0x0f, dst, src, 0, 0); }
  void mov(std::uint8_t dst, std::int32_t imm) { alu(kMov, dst, imm); }
  void mov_reg(std::uint8_t dst, std::uint8_t src) { alu_reg(kMov, dst, src); }
  // dst = *(size *)(src + off)
  void load(int size, std::uint8_t dst, std::uint8_t src, std::int16_t off) {
    emit(0x61 | size_bits(size), dst, src, off, 0);
  }
  // *(size *)(dst + off) = src
  void store(int size, std::uint8_t dst, std::int16_t off, std::uint8_t src) {
    emit(0x63 | size_bits(size), dst, src, off, 0);
  }
  // if (dst <op> imm) goto target
  void jump(Jmp op, std::uint8_t dst, std::int32_t imm, Label target) {
    fixups_.push_back({size(), target});
    emit(op | 0x05, dst, 0, 0, imm);
  }
  void jump_reg(Jmp op, std::uint8_t dst, std::uint8_t src, Label target) {
    fixups_.push_back({size(), target});
    emit(op | 0x0d, dst, src, 0, 0);
  }
  void jump_always(Label target) {
    fixups_.push_back({size(), target});
    emit(0x05, 0, 0, 0, 0);
  }
  // dst = &maps[map] (ld_imm64 with src = BPF_PSEUDO_MAP_FD, as frontend-elf resolves it)
  void load_map(std::uint8_t dst, std::int32_t map) {
    emit(0x18, dst, 1, 0, map);
    emit(0x00, 0, 0, 0, 0);
  }
  void call(Helper helper) { emit(0x85, 0, 0, 0, helper); }
  void exit() { emit(0x95, 0, 0, 0, 0); }

  // The slots with every jump offset resolved.
  std::vector<RawInstruction> finish() const {
    auto slots = slots_;
    for (const auto &[pc, target] : fixups_) {
      const std::int64_t off = static_cast<std::int64_t>(bound_.at(target)) - pc - 1;
      if (bound_.at(target) == kUnbound || off < INT16_MIN || off > INT16_MAX)
        throw std::logic_error("unbound label or jump out of range");
      slots[pc].offset = static_cast<std::int16_t>(off);
    }
    return slots;
  }

private:
  static constexpr std::uint32_t kUnbound = UINT32_MAX;
  static std::uint8_t size_bits(int size) {
    return size == 1 ? 0x10 : size == 2 ? 0x08 : size == 4 ? 0x00 : 0x18;
  }
  void emit(int opcode, std::uint8_t dst, std::uint8_t src, std::int16_t off, std::int32_t imm) {
    slots_.push_back({static_cast<std::uint8_t>(opcode), dst, src, off, imm});
  }

  struct Fixup {
    std::uint32_t pc;
    Label target;
  };
  std::vector<RawInstruction> slots_;
  std::vector<std::uint32_t> bound_;
  std::vector<Fixup> fixups_;
};

} // namespace bpfcheck::bench
