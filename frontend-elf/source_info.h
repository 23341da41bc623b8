// Source information of an object keyed by section (func_info and line_info from .BTF.ext, or
// lines from DWARF when the object has no .BTF.ext), projected onto a linked program's slots.
#pragma once

#include "btf_ext.h"
#include "dwarf_lines.h"
#include "elf_image.h"
#include "linker.h"
#include "object_file.h"

#include <string>
#include <vector>

namespace bpfcheck {

struct SourceInfo {
  std::vector<BtfExtSection> btf_ext;
  std::vector<DwarfSectionLines> dwarf; // used for sections .BTF.ext has no lines for
};

SourceInfo load_source_info(const elf::ElfImage &image, const Btf *btf, const std::string &file,
                            std::vector<LoadDiagnostic> &diagnostics);

// Fills program.lines and program.subprograms from the linked layout.
void attach_source_info(const SourceInfo &info, const elf::ElfImage &image,
                        const LinkedProgram &linked, Program &program);

} // namespace bpfcheck
