// Fallback line table from DWARF .debug_line (bpf-gcc -g emits DWARF and no .BTF.ext), read
// with LLVM's DebugInfo library. Source text is read from the file on disk when it exists.
#pragma once

#include "btf_ext.h"

#include <string>
#include <vector>

namespace llvm::object {
class ObjectFile;
}

namespace bpfcheck {

struct DwarfSectionLines {
  std::string section; // ELF section name
  std::vector<LineInfoRecord> lines;
};

// Empty when the object has no usable DWARF line program; never fails hard.
std::vector<DwarfSectionLines> read_dwarf_lines(const llvm::object::ObjectFile &object);

} // namespace bpfcheck
