// .BTF.ext: per-section func_info, line_info and CO-RE relocation records, keyed by section name
// and byte offset within that section. frontend-elf maps them onto linked programs.
#pragma once

#include "btf.h"
#include "result.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace bpfcheck {

struct FuncInfoRecord {
  std::uint32_t insn_offset = 0; // bytes within the section
  std::uint32_t type_id = 0;     // BTF FUNC
};

// Also produced from DWARF .debug_line when .BTF.ext is absent (dwarf_lines.h).
struct LineInfoRecord {
  std::uint32_t insn_offset = 0; // bytes within the section
  std::string file;
  std::string text;       // the source line, may be empty
  std::uint32_t line = 0; // 0: no source position (clang emits these for compiler-made code)
  std::uint32_t column = 0;
};

struct CoreRelocationRecord {
  std::uint32_t insn_offset = 0;
  std::uint32_t type_id = 0;
  std::string access_string; // e.g. "0:1:2"
  std::uint32_t kind = 0;    // enum bpf_core_relo_kind
};

struct BtfExtSection {
  std::string name; // ELF section name
  std::vector<FuncInfoRecord> funcs;
  std::vector<LineInfoRecord> lines;
  std::vector<CoreRelocationRecord> core_relocations;
};

// Parses .BTF.ext against the object's .BTF (names live in the .BTF string section).
Result<std::vector<BtfExtSection>> parse_btf_ext(std::span<const std::uint8_t> bytes,
                                                 const Btf &btf);

} // namespace bpfcheck
