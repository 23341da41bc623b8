// Decoding of raw BPF instruction slots into the `Instruction` model, with the encoding checks
// the kernel makes before verification (reserved fields, registers, jump ranges, ld_imm64 pairs).
// Every 8-byte pattern either decodes or yields an error naming the slot and the reason.
#pragma once

#include "instruction.h"
#include "program.h"
#include "result.h"

#include <span>

namespace bpfcheck {

// Decodes the instruction starting at slot `pc` of `slots` (ld_imm64 also reads `pc + 1`).
// Checks that jump and call targets lie inside `slots`, but not that they avoid the second slot
// of an ld_imm64: that needs the whole stream (see decode()).
Result<Instruction> decode_instruction(std::span<const RawInstruction> slots, std::uint32_t pc);

// Decodes a whole instruction stream: every slot, every target on an instruction boundary, and
// the last instruction an exit or goto so that control cannot fall off the end.
Result<DecodedProgram> decode(std::span<const RawInstruction> slots);

inline Result<DecodedProgram> decode(const Program &program) {
  return decode(std::span<const RawInstruction>(program.instructions));
}

} // namespace bpfcheck
