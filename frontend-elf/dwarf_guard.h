// A pre-check of .debug_line before LLVM's DWARF reader sees it: LLVM 16 crashes (not an
// Error) on a DWARF 5 line table header whose directory or file entry format names a form
// it does not know, which a fuzzer finds in seconds. Objects failing the check keep no lines.
#pragma once

#include <cstdint>
#include <span>

namespace bpfcheck {

// True when every line table header in `debug_line` uses only forms LLVM parses safely.
bool debug_line_is_safe(std::span<const std::uint8_t> debug_line);

} // namespace bpfcheck
