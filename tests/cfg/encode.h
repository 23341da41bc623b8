// Helpers to hand-encode BPF instruction slots in tests, spelled like the kernel's BPF_* macros.
#pragma once

#include "program.h"

#include <cstdint>

namespace bpfcheck::test {

inline RawInstruction raw(std::uint8_t opcode, std::uint8_t dst = 0, std::uint8_t src = 0,
                          std::int16_t offset = 0, std::int32_t imm = 0) {
  return RawInstruction{opcode, dst, src, offset, imm};
}

inline RawInstruction exit_insn() { return raw(0x95); }
inline RawInstruction mov64_imm(std::uint8_t dst, std::int32_t imm) {
  return raw(0xb7, dst, 0, 0, imm);
}
inline RawInstruction ja(std::int16_t offset) { return raw(0x05, 0, 0, offset); }
// if dst == imm goto +offset
inline RawInstruction jeq_imm(std::uint8_t dst, std::int32_t imm, std::int16_t offset) {
  return raw(0x15, dst, 0, offset, imm);
}

} // namespace bpfcheck::test
