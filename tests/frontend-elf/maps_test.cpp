// Maps: legacy struct bpf_map_def sections of two record sizes (20 and 28 bytes), BTF-defined
// maps including a map-in-map template, and the maps an ld_imm64 resolves to.
#include "fixture_util.h"

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

const MapDescriptor &map(const ObjectFile &object, const std::string &name) {
  const auto index = map_index(object, name);
  REQUIRE_MESSAGE(index.has_value(), "no map " << name);
  return object.maps[*index];
}

std::vector<std::string> compilers() {
  std::vector<std::string> out{"clang"};
#ifdef HAVE_BPF_GCC
  out.push_back("gcc");
#endif
  return out;
}

// The map a BPF_PSEUDO_MAP_FD load names, in instruction order.
std::vector<std::string> loaded_maps(const Program &p) {
  std::vector<std::string> out;
  for (std::size_t pc : find_insns(p, 0x18, 1))
    out.push_back(p.maps.at(static_cast<std::size_t>(p.instructions[pc].imm)).name);
  return out;
}

} // namespace

TEST_CASE("legacy maps section with 20-byte records") {
  for (const std::string &compiler : compilers()) {
    CAPTURE(compiler);
    const ObjectFile object = load_ok(fixture(compiler, "legacy_maps20"));
    CHECK(object.diagnostics.empty());
    REQUIRE(object.maps.size() == 2);
    const MapDescriptor &first = map(object, "first_map");
    CHECK(first.origin == MapOrigin::Legacy);
    CHECK(first.type == 2);
    CHECK(first.key_size == 4);
    CHECK(first.value_size == 8);
    CHECK(first.max_entries == 16);
    CHECK(first.flags == 0);
    const MapDescriptor &second = map(object, "second_map");
    CHECK(second.type == 1);
    CHECK(second.key_size == 8);
    CHECK(second.value_size == 16);
    CHECK(second.max_entries == 128);
    CHECK(second.flags == 1);
    const Program &p = program(object, "legacy_socket");
    CHECK(p.type == ProgramType::SocketFilter); // "socket1": a legacy prefix match
    CHECK(loaded_maps(p) == std::vector<std::string>{"first_map", "second_map"});
    CHECK(p.license == "GPL");
    CHECK(object.license == "GPL");
  }
}

TEST_CASE("legacy maps/* section with 28-byte records and inner_map_idx") {
  for (const std::string &compiler : compilers()) {
    CAPTURE(compiler);
    const ObjectFile object = load_ok(fixture(compiler, "legacy_maps28"));
    CHECK(object.diagnostics.empty());
    REQUIRE(object.maps.size() == 3);
    const MapDescriptor &outer = map(object, "outer_hash");
    CHECK(outer.type == 13);
    CHECK(outer.key_size == 4);
    CHECK(outer.max_entries == 8);
    REQUIRE(outer.inner_map.has_value());
    // inner_map_idx 0 is the first definition in the section by offset, as samples/bpf's
    // loader counted: clang lays maps out in source order, bpf-gcc 12 in reverse.
    CHECK(object.maps.at(*outer.inner_map).name == (compiler == "clang" ? "inner_array" : "stats"));
    CHECK_FALSE(map(object, "stats").inner_map.has_value());
    CHECK(map(object, "stats").type == 6);
    CHECK(map(object, "stats").value_size == 8);
    const Program &p = program(object, "legacy_kprobe");
    CHECK(p.type == ProgramType::Kprobe);
    CHECK(p.attach_target == "sys_write");
    CHECK(loaded_maps(p) == std::vector<std::string>{"outer_hash", "stats"});
  }
}

TEST_CASE("BTF-defined maps, with the inner map template of a map-in-map") {
  std::vector<std::string> objects{fixture("clang", "maps_btf")};
#ifdef HAVE_BPF_GCC
  objects.push_back(fixture("gcc-btf", "maps_btf"));
#endif
  for (const std::string &path : objects) {
    CAPTURE(path);
    const ObjectFile object = load_ok(path);
    CHECK(object.diagnostics.empty());
    const MapDescriptor &counts = map(object, "counts");
    CHECK(counts.origin == MapOrigin::BtfDefined);
    CHECK(counts.type == 1);
    CHECK(counts.key_size == 4);
    CHECK(counts.value_size == 8);
    CHECK(counts.max_entries == 64);
    CHECK(counts.key_btf_type != 0);
    CHECK(counts.value_btf_type != 0);
    const MapDescriptor &outer = map(object, "outer");
    CHECK(outer.type == 12);
    REQUIRE(outer.inner_map.has_value());
    const MapDescriptor &inner = object.maps.at(*outer.inner_map);
    CHECK(inner.name == "outer.inner");
    CHECK(inner.type == 2);
    CHECK(inner.max_entries == 4);
    CHECK(map(object, "inner0").type == 2);
    const Program &p = program(object, "use_maps");
    CHECK(p.maps.size() == object.maps.size());
    CHECK(p.btf != nullptr);
  }
}

#ifdef HAVE_BPF_GCC
TEST_CASE("BTF-defined maps without BTF are reported and their users rejected") {
  const ObjectFile object = load_ok(fixture("gcc", "maps_btf")); // -g: DWARF only
  CHECK(object.programs.empty());
  REQUIRE(object.diagnostics.size() == 2);
  CHECK(object.diagnostics[0].section == ".maps");
  CHECK(object.diagnostics[1].section == "xdp");
  CHECK(object.diagnostics[1].message.find("use_maps") != std::string::npos);
}
#endif

TEST_CASE("a legacy maps section that does not divide into records is reported") {
  ElfPatcher elf(read_bytes(fixture("clang", "legacy_maps20")));
  const auto symtab = elf.section(".symtab");
  const auto maps = elf.section("maps");
  REQUIRE(symtab);
  REQUIRE(maps);
  // Grow nothing, but claim the section is 41 bytes: 41 is not a multiple of two records.
  const auto shoff = elf.read<std::uint64_t>(0x28);
  const auto shnum = elf.read<std::uint16_t>(0x3c);
  for (std::uint16_t i = 0; i < shnum; ++i)
    if (elf.read<std::uint64_t>(shoff + i * 64ull + 0x18) == maps->offset &&
        elf.read<std::uint32_t>(shoff + i * 64ull + 4) == maps->type)
      elf.write<std::uint64_t>(shoff + i * 64ull + 0x20, 41);
  auto loaded = load_object(elf.bytes(), "odd.o");
  REQUIRE(loaded.ok());
  CHECK(loaded->maps.empty());
  REQUIRE(loaded->diagnostics.size() >= 1);
  CHECK(loaded->diagnostics[0].section == "maps");
  CHECK(loaded->diagnostics[0].message.find("does not divide") != std::string::npos);
}
