// libFuzzer target over everything that reads untrusted input: ELF, BTF, .BTF.ext, DWARF line
// tables, relocations and linking, the decoder, the CFG, its WTO, every text view, and the
// analyzer with its diagnostics, traces and invariants.
#include "object_file.h"
#include "program_modes.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace bpfcheck;
  Result<ObjectFile> object = load_object(std::span<const std::uint8_t>(data, size), "fuzz.o");
  if (!object)
    return 0;
  for (const LoadDiagnostic &diagnostic : object->diagnostics)
    (void)diagnostic.to_string();
  for (const Program &program : object->programs)
    (void)cli::inspect_everything(program);
  return 0;
}
