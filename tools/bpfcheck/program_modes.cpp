// Decoding and the inspector views for one program.
#include "program_modes.h"

#include "decoder.h"
#include "disassembler.h"

#include <fmt/format.h>

namespace bpfcheck::cli {

static std::string qualified_name(const Program &program) {
  return fmt::format("{}: program {}/{}", program.file, program.section, program.name);
}

ModeResult run_program_modes(const Program &program, const Options &options) {
  ModeResult result;
  Result<DecodedProgram> decoded = decode(program);
  if (!decoded) {
    result.error = fmt::format("{}: {}", qualified_name(program), decoded.error());
    return result;
  }
  if (options.asm_listing) {
    DisassemblyOptions disassembly;
    disassembly.source_lines = !options.no_source;
    result.output += fmt::format("\n{}:\tfile format elf64-bpf\n\nDisassembly of section {}:\n\n",
                                 program.file, program.section);
    result.output += disassemble(program, *decoded, disassembly);
  }
  return result;
}

} // namespace bpfcheck::cli
