// A plain, validated copy of what the loader needs from a BPF ELF object (sections, symbols,
// relocations), read once with LLVM's Object library. Later stages index these vectors only
// after range checks, so a hostile file can not lead them out of bounds.
#pragma once

#include "result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace llvm::object {
class ObjectFile;
}

namespace bpfcheck::elf {

inline constexpr std::uint32_t kShtProgbits = 1;
inline constexpr std::uint32_t kShtNobits = 8;
inline constexpr std::uint64_t kShfExecinstr = 0x4;
inline constexpr std::uint8_t kSttNotype = 0, kSttObject = 1, kSttFunc = 2, kSttSection = 3;
inline constexpr std::uint8_t kStbLocal = 0, kStbGlobal = 1, kStbWeak = 2;

struct Section {
  std::uint32_t index = 0;
  std::string name;
  std::uint32_t type = 0; // SHT_*
  std::uint64_t flags = 0;
  std::uint64_t size = 0;             // sh_size (NOBITS sections have no bytes in the file)
  std::span<const std::uint8_t> data; // empty for NOBITS
  bool executable() const { return (flags & kShfExecinstr) != 0 && type == kShtProgbits; }
};

struct Symbol {
  std::string name;
  std::uint64_t value = 0;
  std::uint64_t size = 0;
  std::uint8_t type = 0;     // STT_*
  std::uint8_t binding = 0;  // STB_*
  std::uint32_t section = 0; // st_shndx; 0 for undefined, >= 0xff00 for special indices
  bool undefined() const { return section == 0; }
};

struct Relocation {
  std::uint64_t offset = 0; // byte offset within the target section
  std::uint32_t type = 0;   // R_BPF_*
  std::uint32_t symbol = 0; // index into ElfImage::symbols
  std::int64_t addend = 0;  // RELA only; REL keeps the addend in the instruction
  bool rela = false;
};

struct RelocationSection {
  std::string name;
  std::uint32_t target = 0; // sh_info: the section the relocations apply to
  std::vector<Relocation> entries;
};

struct ElfImage {
  std::vector<Section> sections; // sections[i].index == i
  std::vector<Symbol> symbols;   // symbols[0] is the null symbol
  std::vector<RelocationSection> relocations;
  std::unique_ptr<llvm::object::ObjectFile> object; // kept for DWARF; views `bytes`
  std::vector<std::string> problems; // non-fatal: unreadable relocation sections, names
  // gcc-bpf 12 (binutils 2.40) writes the symbol's value into the instruction of a REL
  // relocation against a non-section symbol, on top of the addend; see relocations.cpp.
  bool gcc_folds_symbol_values = false;
  // LLVM's DWARFContext resolves relocations itself and calls report_fatal_error (abort) on
  // a relocation section with a bad sh_link, sh_entsize or symbol index; DWARF is read only
  // when every relocation section passed those checks.
  bool relocations_consistent = true;
  // SHF_COMPRESSED sections declare their inflated size; LLVM allocates it up front (and
  // aborts when it cannot), so DWARF is read only when every declared size is plausible.
  bool compressed_sizes_plausible = true;

  ElfImage();
  ElfImage(ElfImage &&) noexcept;
  ElfImage &operator=(ElfImage &&) noexcept;
  ~ElfImage();

  const Section *section(std::uint64_t index) const {
    return index < sections.size() ? &sections[index] : nullptr;
  }
  const Section *find_section(std::string_view name) const;
};

// Reads `bytes` (which must outlive the image). Errors are the reason only, without the file
// name: "not ELF64", "e_machine is 62, not EM_BPF (247)", ...
Result<ElfImage> read_elf_image(std::span<const std::uint8_t> bytes);

} // namespace bpfcheck::elf
