// libFuzzer target over everything that parses untrusted input: ELF, BTF, .BTF.ext, DWARF line
// tables, relocations and linking, the decoder, and the listing/disassembly built on them.
#include "decoder.h"
#include "disassembler.h"
#include "listing.h"
#include "object_file.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace bpfcheck;
  Result<ObjectFile> object = load_object(std::span<const std::uint8_t>(data, size), "fuzz.o");
  if (!object)
    return 0;
  for (const LoadDiagnostic &diagnostic : object->diagnostics)
    (void)diagnostic.to_string();
  for (const Program &program : object->programs) {
    cli::ProgramTable table;
    table.add(program);
    (void)table.render();
    Result<DecodedProgram> decoded = decode(program);
    if (decoded)
      (void)disassemble(program, *decoded);
  }
  return 0;
}
