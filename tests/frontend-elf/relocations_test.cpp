// Relocations: ld_imm64 of maps (BPF_PSEUDO_MAP_FD + map index) and of global data
// (BPF_PSEUDO_MAP_VALUE + map index, offset in the second slot), against object symbols and
// against section symbols; one broken relocation spoils only its own program.
#include "fixture_util.h"

#include <algorithm>
#include <set>

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

constexpr std::uint8_t kLdImm64 = 0x18;

// (map name, offset) of every BPF_PSEUDO_MAP_VALUE load, and map names of BPF_PSEUDO_MAP_FD.
std::multiset<std::pair<std::string, std::int32_t>> value_loads(const Program &p) {
  std::multiset<std::pair<std::string, std::int32_t>> out;
  for (std::size_t pc : find_insns(p, kLdImm64, 2)) {
    REQUIRE(p.instructions[pc].imm >= 0);
    REQUIRE(static_cast<std::size_t>(p.instructions[pc].imm) < p.maps.size());
    out.emplace(p.maps[p.instructions[pc].imm].name, p.instructions[pc + 1].imm);
  }
  return out;
}

std::multiset<std::string> map_loads(const Program &p) {
  std::multiset<std::string> out;
  for (std::size_t pc : find_insns(p, kLdImm64, 1)) {
    REQUIRE(static_cast<std::size_t>(p.instructions[pc].imm) < p.maps.size());
    CHECK(p.instructions[pc + 1].imm == 0);
    out.insert(p.maps[p.instructions[pc].imm].name);
  }
  return out;
}

using Loads = std::multiset<std::pair<std::string, std::int32_t>>;

} // namespace

TEST_CASE("clang: map and global data relocations against object symbols") {
  const ObjectFile object = load_ok(fixture("clang", "maps_btf"));
  CHECK(object.diagnostics.empty());
  const Program &p = program(object, "use_maps");
  CHECK(map_loads(p) == std::multiset<std::string>{"counts", "outer"});
  // data_b is .data+8, ro_table .rodata+0 (element 2 via the load's offset), bss_x .bss+4.
  CHECK(value_loads(p) ==
        Loads{{".data", 0}, {".data", 8}, {".rodata", 0}, {".bss", 0}, {".bss", 4}});
}

TEST_CASE("section-symbol relocations carry the variable's offset in the instruction") {
  const ObjectFile clang = load_ok(fixture("clang", "static_data"));
  CHECK(clang.diagnostics.empty());
  // counter_b at .bss+0 (read and written), counter_a at .bss+4, table at .data+8 (after the
  // global `visible`), limits at .rodata+0.
  CHECK(value_loads(program(clang, "static_data")) ==
        Loads{{".data", 8}, {".rodata", 0}, {".bss", 0}, {".bss", 4}, {".data", 0}});
#ifdef HAVE_BPF_GCC
  // bpf-gcc keeps const volatile data in .data: limits at +8, table at +0x18, visible at +0.
  const ObjectFile gcc = load_ok(fixture("gcc", "static_data"));
  CHECK(gcc.diagnostics.empty());
  CHECK(value_loads(program(gcc, "static_data")) ==
        Loads{{".data", 0x18}, {".data", 8}, {".bss", 0}, {".bss", 4}, {".data", 0}});
#endif
}

#ifdef HAVE_BPF_GCC
TEST_CASE("bpf-gcc: relocations whose instruction already holds the symbol value") {
  // gcc-bpf 12 writes the symbol's offset into the imm of REL relocations against object
  // symbols; the loader must not add it twice.
  const ObjectFile object = load_ok(fixture("gcc-btf", "maps_btf"));
  CHECK(object.diagnostics.empty());
  const Program &p = program(object, "use_maps");
  CHECK(map_loads(p) == std::multiset<std::string>{"counts", "outer"});
  CHECK(value_loads(p) ==
        Loads{{".data", 0}, {".data", 16}, {".data", 24}, {".bss", 0}, {".bss", 4}});
  // libbpf does add it twice, so the kernel would see .data+32 and +48 and .bss+8: each such load
  // is named, for the analyzer to reject the program there.
  std::vector<std::string> mismatches;
  for (const LoaderMismatch &m : p.loader_mismatches) {
    REQUIRE(m.slot < p.instructions.size());
    CHECK(p.instructions[m.slot].opcode == 0x18); // ld_imm64;
    mismatches.push_back(m.message.substr(m.message.find("addresses")));
  }
  std::sort(mismatches.begin(), mismatches.end());
  CHECK(mismatches == std::vector<std::string>{"addresses .bss+8 instead of .bss+4",
                                               "addresses .data+32 instead of .data+16",
                                               "addresses .data+48 instead of .data+24"});
}
#endif

TEST_CASE("global data maps: one single-entry array per section, .rodata contents kept") {
  const ObjectFile object = load_ok(fixture("clang", "maps_btf"));
  const auto rodata = map_index(object, ".rodata");
  const auto data = map_index(object, ".data");
  const auto bss = map_index(object, ".bss");
  REQUIRE(rodata);
  REQUIRE(data);
  REQUIRE(bss);
  const MapDescriptor &ro = object.maps[*rodata];
  CHECK(ro.origin == MapOrigin::Rodata);
  CHECK(ro.type == 2);
  CHECK(ro.max_entries == 1);
  CHECK(ro.key_size == 4);
  CHECK(ro.value_size == 16);
  REQUIRE(ro.initial_data.size() == 16);
  CHECK(ro.initial_data[8] == 30); // ro_table[2]
  CHECK(object.maps[*data].origin == MapOrigin::Data);
  CHECK(object.maps[*data].initial_data.size() == 16);
  CHECK(object.maps[*bss].origin == MapOrigin::Bss);
  CHECK(object.maps[*bss].value_size == 8);
  CHECK(object.maps[*bss].initial_data.empty());
}

TEST_CASE("one bad relocation makes only its program unusable") {
  ElfPatcher elf(read_bytes(fixture("clang", "subprogs")));
  const auto rel = elf.section(".relxdp");
  REQUIRE(rel.has_value());
  REQUIRE(rel->size >= 16);
  // The last relocation of section xdp belongs to xdp_second (the section's second function):
  // point it at a symbol that does not exist.
  const std::uint64_t entry = rel->offset + rel->size - 16;
  const std::uint64_t offset = elf.read<std::uint64_t>(entry);
  const std::uint64_t info = elf.read<std::uint64_t>(entry + 8);
  elf.write<std::uint64_t>(entry + 8, (std::uint64_t{0xfffff} << 32) | (info & 0xffffffff));
  auto loaded = load_object(elf.bytes(), "bad_reloc.o");
  REQUIRE(loaded.ok());
  CHECK(find_program(*loaded, "xdp_first") != nullptr);
  CHECK(find_program(*loaded, "tc_prog") != nullptr);
  CHECK(find_program(*loaded, "xdp_second") == nullptr);
  REQUIRE(loaded->diagnostics.size() == 1);
  const LoadDiagnostic &diag = loaded->diagnostics[0];
  CHECK(diag.file == "bad_reloc.o");
  CHECK(diag.section == "xdp");
  CHECK(diag.offset == offset);
  CHECK(diag.message.find("xdp_second") != std::string::npos);
  CHECK(diag.to_string().starts_with("bad_reloc.o: section xdp+0x"));
}

TEST_CASE("a relocation against a non-instruction is reported, not applied") {
  ElfPatcher elf(read_bytes(fixture("clang", "maps_btf")));
  const auto rel = elf.section(".relxdp");
  REQUIRE(rel.has_value());
  // Move the first relocation onto the instruction before it (not an ld_imm64 or call).
  const std::uint64_t offset = elf.read<std::uint64_t>(rel->offset);
  REQUIRE(offset >= 8);
  elf.write<std::uint64_t>(rel->offset, offset - 8);
  auto loaded = load_object(elf.bytes(), "moved.o");
  REQUIRE(loaded.ok());
  CHECK(loaded->programs.empty());
  REQUIRE(loaded->diagnostics.size() == 1);
  CHECK(loaded->diagnostics[0].offset == offset - 8);
  CHECK(loaded->diagnostics[0].message.find("expected a call or ld_imm64") != std::string::npos);
}
