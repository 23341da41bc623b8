// The maps of one object, in libbpf's order: legacy `maps`/`maps/*` definitions, BTF-defined
// `.maps`, then global data sections (.data*, .rodata*, .bss*) and .kconfig as single-entry
// array maps. Relocations look maps up by (section, offset) or by data section.
#pragma once

#include "elf_image.h"
#include "object_file.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bpfcheck {

class Btf;

struct MapTable {
  std::vector<MapDescriptor> maps;

  struct Placed {
    std::uint32_t section = 0;
    std::uint64_t offset = 0; // of the definition inside its section
    std::uint32_t index = 0;  // into maps
  };
  std::vector<Placed> definitions;                           // legacy and .maps
  std::vector<std::pair<std::uint32_t, std::uint32_t>> data; // section -> map index
  std::vector<std::uint32_t> map_sections; // sections holding definitions (even if broken)
  std::optional<std::uint32_t> kconfig;    // map index of .kconfig
  std::vector<std::pair<std::string, std::uint32_t>> kconfig_offsets; // extern -> offset

  std::optional<std::uint32_t> find_definition(std::uint32_t section, std::uint64_t offset) const;
  std::optional<std::uint32_t> find_data(std::uint32_t section) const;
  std::optional<std::uint32_t> find_kconfig(const std::string &name) const;
  bool is_map_section(std::uint32_t section) const;
};

// Problems (a legacy section whose size is not a multiple of its symbol count, .maps without
// BTF, ...) become diagnostics; the maps that could be read are still returned.
MapTable collect_maps(const elf::ElfImage &image, const Btf *btf, const std::string &file,
                      std::vector<LoadDiagnostic> &diagnostics);

} // namespace bpfcheck
