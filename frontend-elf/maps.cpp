// Collects an object's maps: legacy struct bpf_map_def records of any size, BTF-defined maps,
// and the global data sections libbpf turns into single-entry arrays (why: a pointer into
// .rodata is then an ordinary map value pointer for the analysis).
#include "maps.h"

#include "btf.h"

#include <linux/btf.h>

#include <algorithm>
#include <bit>
#include <tuple>

namespace bpfcheck {
namespace {

constexpr std::uint32_t kMapTypeArray = 2;
constexpr std::uint32_t kMapTypeArrayOfMaps = 12, kMapTypeHashOfMaps = 13;
constexpr std::uint32_t kMapFlagRdonlyProg = 0x80; // BPF_F_RDONLY_PROG: libbpf's .rodata
constexpr std::uint32_t kMapFlagMmapable = 0x400;

void report(std::vector<LoadDiagnostic> &out, const std::string &file, const elf::Section &section,
            std::uint64_t offset, std::string message) {
  out.push_back(LoadDiagnostic{file, section.name, offset, std::move(message)});
}

std::uint32_t read_word(std::span<const std::uint8_t> data, std::uint64_t offset) {
  if (offset + 4 > data.size())
    return 0;
  return static_cast<std::uint32_t>(data[offset]) |
         (static_cast<std::uint32_t>(data[offset + 1]) << 8) |
         (static_cast<std::uint32_t>(data[offset + 2]) << 16) |
         (static_cast<std::uint32_t>(data[offset + 3]) << 24);
}

std::vector<const elf::Symbol *> symbols_in(const elf::ElfImage &image, std::uint32_t section) {
  std::vector<const elf::Symbol *> out;
  for (const elf::Symbol &symbol : image.symbols)
    if (symbol.section == section && symbol.type != elf::kSttSection &&
        symbol.type != elf::kSttFunc && !symbol.name.empty())
      out.push_back(&symbol);
  std::stable_sort(out.begin(), out.end(),
                   [](const elf::Symbol *a, const elf::Symbol *b) { return a->value < b->value; });
  return out;
}

// struct bpf_map_def { type, key_size, value_size, max_entries, map_flags, inner_map_idx, ...}:
// loaders before libbpf 1.0 accepted any record size, the same for every map of a section.
void collect_legacy(const elf::ElfImage &image, const elf::Section &section, MapTable &table,
                    const std::string &file, std::vector<LoadDiagnostic> &diags) {
  table.map_sections.push_back(section.index);
  const auto symbols = symbols_in(image, section.index);
  if (symbols.empty() || section.data.empty()) {
    if (!section.data.empty())
      report(diags, file, section, 0, "legacy maps section has no map symbols");
    return;
  }
  const std::uint64_t record = section.data.size() / symbols.size();
  if (section.data.size() % symbols.size() != 0 || record < 16) {
    report(diags, file, section, 0,
           "legacy maps section of " + std::to_string(section.data.size()) + " bytes does not " +
               "divide into " + std::to_string(symbols.size()) + " map definitions");
    return;
  }
  const auto first = static_cast<std::uint32_t>(table.maps.size());
  for (const elf::Symbol *symbol : symbols) {
    if (symbol->value % 4 != 0 || symbol->value + record > section.data.size()) {
      report(diags, file, section, symbol->value,
             "map '" + symbol->name + "' lies outside its section");
      continue;
    }
    MapDescriptor map;
    map.name = symbol->name;
    map.origin = MapOrigin::Legacy;
    map.type = read_word(section.data, symbol->value);
    map.key_size = read_word(section.data, symbol->value + 4);
    map.value_size = read_word(section.data, symbol->value + 8);
    map.max_entries = read_word(section.data, symbol->value + 12);
    if (record >= 20)
      map.flags = read_word(section.data, symbol->value + 16);
    if (record >= 24 && (map.type == kMapTypeArrayOfMaps || map.type == kMapTypeHashOfMaps)) {
      const std::uint32_t inner = read_word(section.data, symbol->value + 20);
      if (inner < symbols.size())
        map.inner_map = first + inner; // index among this section's maps, by offset
      else
        report(diags, file, section, symbol->value,
               "map '" + symbol->name + "': inner_map_idx " + std::to_string(inner) +
                   " is out of range");
    }
    table.definitions.push_back(
        {section.index, symbol->value, static_cast<std::uint32_t>(table.maps.size())});
    table.maps.push_back(std::move(map));
  }
}

MapDescriptor from_btf(const BtfMapDefinition &def, const std::string &name) {
  MapDescriptor map;
  map.name = name;
  map.origin = MapOrigin::BtfDefined;
  map.type = def.type;
  map.key_size = def.key_size;
  map.value_size = def.value_size;
  map.max_entries = def.max_entries;
  map.flags = def.map_flags;
  map.key_btf_type = def.key_type;
  map.value_btf_type = def.value_type;
  return map;
}

// clang writes 0 for every VAR offset in the .maps DATASEC (libbpf fixes them up from the
// symbol table), so the ELF symbol of the same name gives the real offset.
std::uint64_t btf_map_offset(const elf::ElfImage &image, const elf::Section &section,
                             const BtfMapDefinition &def) {
  for (const elf::Symbol &symbol : image.symbols)
    if (symbol.section == section.index && symbol.name == def.name &&
        symbol.type != elf::kSttSection)
      return symbol.value;
  return def.offset;
}

void collect_btf_maps(const elf::ElfImage &image, const elf::Section &section, const Btf *btf,
                      MapTable &table, const std::string &file,
                      std::vector<LoadDiagnostic> &diags) {
  table.map_sections.push_back(section.index);
  if (btf == nullptr) {
    report(diags, file, section, 0, "BTF-defined maps need the object's .BTF, which is missing");
    return;
  }
  auto defs = btf->map_definitions();
  if (!defs) {
    report(diags, file, section, 0, "map definitions: " + defs.error());
    return;
  }
  for (const BtfMapDefinition &def : *defs) {
    const auto index = static_cast<std::uint32_t>(table.maps.size());
    table.definitions.push_back({section.index, btf_map_offset(image, section, def), index});
    table.maps.push_back(from_btf(def, def.name));
    if (def.inner) {
      // libbpf creates the template as "<outer>.inner" so the kernel can check inner values.
      table.maps[index].inner_map = static_cast<std::uint32_t>(table.maps.size());
      table.maps.push_back(from_btf(*def.inner, def.name + ".inner"));
    }
  }
}

std::optional<MapOrigin> data_origin(const elf::Section &section) {
  auto is = [&](std::string_view base) {
    return section.name == base || section.name.starts_with(std::string(base) + ".");
  };
  if (section.size == 0)
    return std::nullopt; // libbpf makes no map for an empty data section
  if (section.type == elf::kShtProgbits && !section.executable()) {
    if (is(".data"))
      return MapOrigin::Data;
    if (is(".rodata"))
      return MapOrigin::Rodata;
  }
  if (section.type == elf::kShtNobits && is(".bss"))
    return MapOrigin::Bss;
  return std::nullopt;
}

void collect_data(const elf::Section &section, MapOrigin origin, MapTable &table) {
  MapDescriptor map;
  map.name = section.name;
  map.origin = origin;
  map.type = kMapTypeArray;
  map.key_size = 4;
  map.value_size = static_cast<std::uint32_t>(std::min<std::uint64_t>(section.size, UINT32_MAX));
  map.max_entries = 1;
  map.flags = kMapFlagMmapable | (origin == MapOrigin::Rodata ? kMapFlagRdonlyProg : 0);
  if (origin != MapOrigin::Bss)
    map.initial_data.assign(section.data.begin(), section.data.end());
  table.data.emplace_back(section.index, static_cast<std::uint32_t>(table.maps.size()));
  table.maps.push_back(std::move(map));
}

std::uint64_t align_of(const Btf &btf, std::uint32_t id) {
  for (int depth = 0; depth < 32; ++depth) { // arrays of arrays, bounded for hostile BTF
    id = btf.strip_modifiers(id);
    const btf_type *type = btf.type(id);
    if (type == nullptr)
      return 1;
    if (btf.kind(id) != BTF_KIND_ARRAY) {
      const std::uint64_t size = btf.size_of(id).value_or(1);
      return std::clamp<std::uint64_t>(std::bit_floor(size == 0 ? 1 : size), 1, 8);
    }
    const auto *array = reinterpret_cast<const btf_array *>(type + 1);
    id = array->type;
  }
  return 1;
}

// .kconfig externs have no ELF section; libbpf lays them out in a map of its own, sorted by
// alignment (descending), size, then name. We mirror that so offsets agree with libbpf.
void collect_kconfig(const Btf *btf, MapTable &table) {
  if (btf == nullptr)
    return;
  auto vars = btf->datasec_vars(".kconfig");
  if (vars.empty())
    return;
  struct Item {
    std::uint64_t align, size;
    std::string name;
  };
  std::vector<Item> items;
  for (const auto &var : vars) {
    const btf_type *type = btf->type(var.var_type);
    const std::uint32_t target = type != nullptr ? type->type : 0;
    items.push_back({align_of(*btf, target), btf->size_of(target).value_or(var.size), var.name});
  }
  std::sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
    return std::tie(b.align, a.size, a.name) < std::tie(a.align, b.size, b.name);
  });
  std::uint64_t offset = 0;
  for (const Item &item : items) {
    offset = (offset + item.align - 1) / item.align * item.align;
    table.kconfig_offsets.emplace_back(item.name, static_cast<std::uint32_t>(offset));
    offset = std::min<std::uint64_t>(offset + item.size, UINT32_MAX / 2);
  }
  MapDescriptor map;
  map.name = ".kconfig";
  map.origin = MapOrigin::Kconfig;
  map.type = kMapTypeArray;
  map.key_size = 4;
  map.value_size = static_cast<std::uint32_t>(offset);
  map.max_entries = 1;
  map.flags = kMapFlagMmapable | kMapFlagRdonlyProg;
  table.kconfig = static_cast<std::uint32_t>(table.maps.size());
  table.maps.push_back(std::move(map));
}

} // namespace

std::optional<std::uint32_t> MapTable::find_definition(std::uint32_t section,
                                                       std::uint64_t offset) const {
  for (const Placed &placed : definitions)
    if (placed.section == section && placed.offset == offset)
      return placed.index;
  return std::nullopt;
}

std::optional<std::uint32_t> MapTable::find_data(std::uint32_t section) const {
  for (const auto &[data_section, index] : data)
    if (data_section == section)
      return index;
  return std::nullopt;
}

std::optional<std::uint32_t> MapTable::find_kconfig(const std::string &name) const {
  for (const auto &[extern_name, offset] : kconfig_offsets)
    if (extern_name == name)
      return offset;
  return std::nullopt;
}

bool MapTable::is_map_section(std::uint32_t section) const {
  return std::find(map_sections.begin(), map_sections.end(), section) != map_sections.end();
}

MapTable collect_maps(const elf::ElfImage &image, const Btf *btf, const std::string &file,
                      std::vector<LoadDiagnostic> &diagnostics) {
  MapTable table;
  for (const elf::Section &section : image.sections)
    if (section.name == "maps" || section.name.starts_with("maps/"))
      collect_legacy(image, section, table, file, diagnostics);
  for (const elf::Section &section : image.sections)
    if (section.name == ".maps")
      collect_btf_maps(image, section, btf, table, file, diagnostics);
  for (const elf::Section &section : image.sections)
    if (auto origin = data_origin(section))
      collect_data(section, *origin, table);
  collect_kconfig(btf, table);
  return table;
}

} // namespace bpfcheck
