// Applies an executable section's ELF relocations to its instruction slots. Map and global data
// references are final after this step; calls, function addresses and externs depend on the
// program they end up in, so they are recorded per slot for the linker.
#pragma once

#include "elf_image.h"
#include "maps.h"
#include "program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bpfcheck {

inline constexpr std::uint8_t kOpCall = 0x85;    // BPF_JMP | BPF_CALL
inline constexpr std::uint8_t kOpLdImm64 = 0x18; // BPF_LD | BPF_IMM | BPF_DW
inline constexpr std::uint8_t kPseudoMapFd = 1, kPseudoMapValue = 2, kPseudoBtfId = 3,
                              kPseudoFunc = 4;
inline constexpr std::uint8_t kPseudoCall = 1, kPseudoKfuncCall = 2;

struct SlotFixup {
  enum class Kind : std::uint8_t { None, Call, FuncAddr, Kfunc, Ksym, Broken };
  Kind kind = Kind::None;
  std::uint32_t section = 0; // Call, FuncAddr: section of the target
  std::uint64_t slot = 0;    // Call, FuncAddr: target slot within that section
  std::uint32_t symbol = 0;  // Kfunc, Ksym: index into ElfImage::symbols
};

struct SectionError {
  std::uint64_t offset = 0; // byte offset within the section
  std::string message;
};

struct SectionCode {
  std::uint32_t section = 0;
  std::vector<RawInstruction> slots;
  std::vector<SlotFixup> fixups;                 // parallel to slots
  std::vector<SectionError> errors;              // each also marks its slot Broken
  std::vector<LoaderMismatch> loader_mismatches; // slot within the section
};

// Decodes `section` into slots and applies every relocation that targets it.
SectionCode prepare_section(const elf::ElfImage &image, const elf::Section &section,
                            const MapTable &maps);

} // namespace bpfcheck
