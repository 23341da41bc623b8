// Text form of decoded instructions in the syntax of llvm-objdump-16 (and the kernel log), and
// program listings interleaved with source lines like `llvm-objdump -S`. Forms that objdump-16
// cannot decode (cpu v4, BPF_ST, jset, 32-bit atomics without +alu32, may_goto) use the spelling
// of later LLVM releases.
#pragma once

#include "instruction.h"
#include "program.h"

#include <string>

namespace bpfcheck {

struct DisassemblyOptions {
  // llvm-objdump prints immediates in hex by default since LLVM 15; Decimal matches
  // `--no-print-imm-hex` and older kernels' logs.
  enum class Immediates { Hex, Decimal };
  Immediates immediates = Immediates::Hex;
  // In listings: `; source line` before the first instruction of each new line record.
  bool source_lines = true;
  // In listings: ` <12>` after jumps and local calls, naming the absolute target slot.
  bool target_slots = false;
};

// One instruction, e.g. `r1 = *(u32 *)(r6 + 0x0)` or `if r1 > 0x10 goto +0x3`.
std::string format_instruction(const Instruction &instruction,
                               const DisassemblyOptions &options = {});

// Tracks which source line was printed last, so that listings show a `; source` line only
// where the line changes, as llvm-objdump -S does. Records for line 0 (code the compiler made
// up, with no source line) are never printed.
class SourceLinePrinter {
public:
  // The text to print before the instruction at `slot` ("" for none), without the "; ".
  std::string before(const Program &program, std::uint32_t slot);

private:
  const SourceLocation *last_ = nullptr;
};

// A listing of the whole program, one function per subprogram:
//   <name>:
//   ; source text
//          0:	r1 = *(u32 *)(r1 + 0x0)
std::string disassemble(const Program &program, const DecodedProgram &decoded,
                        const DisassemblyOptions &options = {});

} // namespace bpfcheck
