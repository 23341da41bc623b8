// Tests for frontend-elf/btf.cpp: types, decl tags, spellings and .maps definitions of compiled
// fixtures, cross-checked against `bpftool btf dump file`; hostile hand-built blobs must give an
// Error with a useful message, and mutated real BTF must never crash a query.

// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex> when building with
// the sanitizers; the warning is not about this file's code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "btf.h"
#include "fixture_util.h"
#include "tool_util.h"

#include <bpf/btf.h>
#include <doctest/doctest.h>
#include <llvm/Object/ObjectFile.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <sstream>

#ifndef FIXTURE_DIR
#error "FIXTURE_DIR must point at the compiled fixtures"
#endif
#ifndef BPFTOOL_PATH
#define BPFTOOL_PATH "/usr/sbin/bpftool"
#endif

using bpfcheck::Btf;
using bpfcheck::test::elf_section;
using bpfcheck::test::run_tool;

namespace {

std::shared_ptr<const Btf> load_btf(const char *fixture) {
  const auto bytes = elf_section(bpfcheck::test::fixture("clang", fixture), ".BTF");
  REQUIRE_MESSAGE(!bytes.empty(), "fixture " << fixture << " has no .BTF");
  auto btf = Btf::parse(bytes);
  REQUIRE_MESSAGE(btf.ok(), (btf.ok() ? "" : btf.error()));
  return *btf;
}

// One "[id] KIND 'name' key=value ..." line of bpftool's plain-text dump.
struct BpftoolType {
  std::string kind, name;
  std::map<std::string, std::string> fields;
};

std::optional<std::map<std::uint32_t, BpftoolType>> bpftool_types(const std::string &object) {
  auto output = run_tool(std::string(BPFTOOL_PATH) + " btf dump file " + object);
  if (!output)
    return std::nullopt;
  std::map<std::uint32_t, BpftoolType> types;
  // Names may hold quotes (decl tag strings do): the name runs up to the quote that the
  // key=value fields follow.
  const std::regex header(R"(^\[(\d+)\] (\w+) '(.*)'((?: \w+=\S*)*)$)");
  const std::regex field(R"((\w+)=(-?\w+))");
  std::istringstream lines(*output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, header))
      continue;
    BpftoolType type{match[2], match[3], {}};
    const std::string rest = match[4];
    for (std::sregex_iterator it(rest.begin(), rest.end(), field), end; it != end; ++it)
      type.fields.emplace((*it)[1], (*it)[2]); // first occurrence wins: the type's own fields
    types.emplace(std::stoul(match[1]), std::move(type));
  }
  return types;
}

const char *kind_name(std::uint32_t kind) {
  static const char *const names[] = {"UNKN",    "INT",      "PTR",      "ARRAY",      "STRUCT",
                                      "UNION",   "ENUM",     "FWD",      "TYPEDEF",    "VOLATILE",
                                      "CONST",   "RESTRICT", "FUNC",     "FUNC_PROTO", "VAR",
                                      "DATASEC", "FLOAT",    "DECL_TAG", "TYPE_TAG",   "ENUM64"};
  return kind < std::size(names) ? names[kind] : "?";
}

std::uint32_t find_var(const Btf &btf, std::string_view name) {
  auto id = btf.find(name, BTF_KIND_VAR);
  REQUIRE_MESSAGE(id.has_value(), "no VAR " << name);
  return *id;
}

// Every fixture object with BTF (clang's, and bpf-gcc -gbtf's where built), this suite's and
// the other frontend suites', and every corpus object when the corpus is built, so that real
// compiler output of many shapes is covered.
std::vector<std::string> fixture_objects_with_btf() {
  std::vector<std::string> objects;
  const std::filesystem::path fixtures(FIXTURE_DIR);
  const std::filesystem::path corpus = fixtures.parent_path() / "corpus";
  for (const std::filesystem::path &dir :
       {fixtures / "clang", fixtures / "gcc-btf", corpus / "clang", corpus / "gcc"}) {
    std::error_code error;
    for (const auto &entry : std::filesystem::directory_iterator(dir, error))
      if (entry.path().extension() == ".o" && !elf_section(entry.path(), ".BTF").empty())
        objects.push_back(entry.path());
  }
  std::sort(objects.begin(), objects.end());
  return objects;
}

void check_against_bpftool(const Btf &btf, const std::map<std::uint32_t, BpftoolType> &expected) {
  REQUIRE(btf.type_count() == expected.size() + 1);
  for (const auto &[id, want] : expected) {
    CAPTURE(id);
    CHECK(kind_name(btf.kind(id)) == want.kind);
    CHECK(std::string(btf.name(id).empty() ? "(anon)" : btf.name(id)) == want.name);
    if (auto it = want.fields.find("type_id"); it != want.fields.end()) {
      const btf_type *t = btf.type(id);
      const std::uint32_t ref = want.kind == "ARRAY" ? btf_array(t)->type : t->type;
      CHECK(std::to_string(ref) == it->second);
    }
    if (auto it = want.fields.find("size"); it != want.fields.end() && want.kind != "DATASEC")
      CHECK(std::to_string(*btf.size_of(id)) == it->second);
    if (want.kind == "DECL_TAG") {
      const int component = std::stoi(want.fields.at("component_idx"));
      const auto tags = btf.decl_tags(btf.type(id)->type, component);
      CHECK(std::find(tags.begin(), tags.end(), want.name) != tags.end());
    }
  }
}

} // namespace

TEST_CASE("btf: every fixture and corpus object's types agree with bpftool, its maps parse") {
  const auto objects = fixture_objects_with_btf();
  REQUIRE(objects.size() >= 3);
  for (const std::string &object : objects) {
    CAPTURE(object);
    auto btf = Btf::parse(elf_section(object, ".BTF"));
    REQUIRE_MESSAGE(btf.ok(), (btf.ok() ? "" : btf.error()));
    if (auto maps = (*btf)->map_definitions(); !maps.ok())
      FAIL_CHECK(maps.error());
    auto expected = bpftool_types(object);
    if (!expected) {
      MESSAGE("skipped: " BPFTOOL_PATH " is not available");
      return;
    }
    check_against_bpftool(**btf, *expected);
  }
}

TEST_CASE("btf: decl tags on functions, parameters, members and variables") {
  auto btf = load_btf("btf_tags");
  const auto accept = btf->find("xdp_accept", BTF_KIND_FUNC);
  const auto reject = btf->find("tc_reject", BTF_KIND_FUNC);
  const auto helper = btf->find("helper", BTF_KIND_FUNC);
  const auto tagged = btf->find("tagged_struct", BTF_KIND_STRUCT);
  REQUIRE((accept && reject && helper && tagged));
  CHECK(btf->decl_tags(*accept) == std::vector<std::string>{"expect:accept"});
  CHECK(btf->decl_tags(*reject) ==
        std::vector<std::string>{"expect:reject", "rule:packet-out-of-bounds"});
  CHECK(btf->decl_tags(*helper, 0) == std::vector<std::string>{"param-tag"});
  CHECK(btf->decl_tags(*helper).empty());
  CHECK(btf->decl_tags(*tagged, 1) == std::vector<std::string>{"member-tag"});
  CHECK(btf->decl_tags(*tagged, 0).empty());
  CHECK(btf->decl_tags(find_var(*btf, "tagged_global")) == std::vector<std::string>{"var-tag"});
  CHECK(btf->decl_tags(0).empty());
  CHECK(btf->decl_tags(1'000'000).empty());
}

TEST_CASE("btf: kfunc externs, ENUM64, TYPE_TAG and C spellings") {
  auto btf = load_btf("btf_tags");
  const auto ksyms = btf->datasec_vars(".ksyms");
  REQUIRE(ksyms.size() == 2);
  std::vector<std::string> spelled;
  for (const auto &var : ksyms) {
    CHECK(btf->kind(var.var_type) == BTF_KIND_FUNC);
    spelled.push_back(btf->describe(var.var_type));
  }
  std::sort(spelled.begin(), spelled.end());
  // clang names the parameters of definitions only, not of extern declarations.
  CHECK(spelled[0] == "int bpf_kfunc_example(struct xdp_md *, int)");
  CHECK(spelled[1] == "unsigned long long bpf_kfunc_wide(enum wide)");

  const auto wide = btf->find("wide", BTF_KIND_ENUM64);
  REQUIRE(wide);
  CHECK(btf->size_of(*wide) == 8u);
  CHECK(btf->describe(find_var(*btf, "user_pointer")) ==
        "__attribute__((btf_type_tag(\"user\"))) int *user_pointer");
  const std::uint32_t user_ptr = btf->type(find_var(*btf, "user_pointer"))->type;
  CHECK(btf->kind(btf->type(user_ptr)->type) == BTF_KIND_TYPE_TAG);
  CHECK(btf->kind(btf->strip_modifiers(btf->type(user_ptr)->type)) == BTF_KIND_INT);

  const auto accept = btf->find("xdp_accept", BTF_KIND_FUNC);
  CHECK(btf->describe(btf->type(*accept)->type) == "int (struct xdp_md *)");
  CHECK(btf->describe(*accept) == "int xdp_accept(struct xdp_md *ctx)");
  CHECK(btf->describe(0) == "void");
  CHECK(btf->describe(1'000'000) == "<invalid type>");
}

TEST_CASE("btf: global data sections list their variables") {
  auto btf = load_btf("btf_maps");
  auto names = [&](std::string_view section) {
    std::vector<std::string> result;
    for (const auto &var : btf->datasec_vars(section))
      result.push_back(var.name);
    return result;
  };
  CHECK(names(".bss") == std::vector<std::string>{"counter"});
  CHECK(names(".data") == std::vector<std::string>{"threshold"});
  CHECK(names(".rodata") == std::vector<std::string>{"limit"});
  CHECK(names(".nothing").empty());
  CHECK(btf->describe(find_var(*btf, "limit")) == "const volatile unsigned int limit");
}

TEST_CASE("btf: .maps definitions of every shape") {
  auto btf = load_btf("btf_maps");
  auto maps = btf->map_definitions();
  REQUIRE_MESSAGE(maps.ok(), (maps.ok() ? "" : maps.error()));
  std::map<std::string, bpfcheck::BtfMapDefinition> by_name;
  for (const auto &map : *maps)
    by_name[map.name] = map;
  REQUIRE(by_name.size() == 7);

  const auto &flows = by_name.at("flows");
  CHECK(flows.type == 1);
  CHECK(flows.max_entries == 1024);
  CHECK(flows.key_size == 12);
  CHECK(flows.value_size == 16);
  CHECK(flows.map_flags == 1);
  CHECK(btf->describe(flows.key_type) == "struct flow_key");
  CHECK(btf->describe(flows.value_type) == "struct flow_stats");

  const auto &sized = by_name.at("sized");
  CHECK((sized.type == 2 && sized.key_size == 4 && sized.value_size == 64));
  CHECK((sized.max_entries == 8 && sized.pinning == 1 && sized.key_type == 0));

  const auto &events = by_name.at("events");
  CHECK((events.type == 27 && events.max_entries == 4096 && events.key_size == 0));

  const auto &outer = by_name.at("outer");
  CHECK((outer.type == 12 && outer.max_entries == 4 && outer.key_size == 4));
  CHECK(outer.value_size == 4);
  REQUIRE(outer.inner);
  CHECK(outer.inner->name == "outer.inner");
  CHECK((outer.inner->type == 2 && outer.inner->max_entries == 16));
  CHECK((outer.inner->key_size == 4 && outer.inner->value_size == 8));

  const auto &outer_hash = by_name.at("outer_hash");
  REQUIRE(outer_hash.inner);
  CHECK((outer_hash.type == 13 && outer_hash.inner->type == 1));
  CHECK((outer_hash.inner->max_entries == 32 && outer_hash.inner->value_size == 16));

  const auto &jumps = by_name.at("jumps");
  CHECK((jumps.type == 3 && jumps.key_size == 4 && jumps.value_size == 4));
  CHECK_FALSE(jumps.inner);

  CHECK(by_name.at("inner_instance").max_entries == 16);
}

// ---- hostile blobs, built by hand: header, type words, then the string section.
namespace {

struct BlobBuilder {
  std::vector<std::uint32_t> types;
  std::string strings = std::string(1, '\0') + "int" + '\0' + "x" + '\0'; // "int" at 1, "x" at 5

  static std::uint32_t info(std::uint32_t kind, std::uint32_t vlen, bool kflag = false) {
    return (kind << 24) | vlen | (kflag ? 1u << 31 : 0);
  }
  BlobBuilder &add(std::initializer_list<std::uint32_t> words) {
    types.insert(types.end(), words);
    return *this;
  }
  BlobBuilder &add_int() { return add({1, info(BTF_KIND_INT, 0), 4, 32}); } // int, 32 bits
  std::vector<std::uint8_t> build() const {
    const std::uint32_t type_len = static_cast<std::uint32_t>(types.size() * 4);
    const std::uint32_t header[6] = {
        0x0001eB9F, 24, 0, type_len, type_len, static_cast<std::uint32_t>(strings.size())};
    std::vector<std::uint8_t> blob(sizeof header + type_len + strings.size());
    std::memcpy(blob.data(), header, sizeof header);
    std::memcpy(blob.data() + sizeof header, types.data(), type_len);
    std::memcpy(blob.data() + sizeof header + type_len, strings.data(), strings.size());
    return blob;
  }
};

std::string parse_error(const std::vector<std::uint8_t> &blob) {
  auto btf = Btf::parse(blob);
  return btf.ok() ? std::string("(parsed)") : btf.error();
}

bool contains(const std::string &text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("btf: a small hand-built blob parses") {
  BlobBuilder blob;
  blob.add_int()
      .add({0, BlobBuilder::info(BTF_KIND_CONST, 0), 1})           // [2] const int
      .add({0, BlobBuilder::info(BTF_KIND_PTR, 0), 2})             // [3] const int *
      .add({0, BlobBuilder::info(BTF_KIND_ARRAY, 0), 0, 1, 1, 7}); // [4] int[7]
  auto btf = Btf::parse(blob.build());
  REQUIRE_MESSAGE(btf.ok(), (btf.ok() ? "" : btf.error()));
  CHECK((*btf)->type_count() == 5);
  CHECK((*btf)->describe(3) == "const int *");
  CHECK((*btf)->describe(4) == "int[7]");
  CHECK((*btf)->size_of(4) == 28u);
  CHECK((*btf)->strip_modifiers(2) == 1);
  CHECK((*btf)->name(1) == "int");
}

TEST_CASE("btf: hostile blobs give an error, never a crash") {
  const auto good = BlobBuilder{}.add_int().build();
  SUBCASE("truncated header") {
    CHECK(contains(parse_error({good.begin(), good.begin() + 10}), "truncated"));
  }
  SUBCASE("bad magic") {
    auto blob = good;
    blob[0] = 0x12;
    CHECK(contains(parse_error(blob), "bad BTF magic"));
  }
  SUBCASE("string section past the end") {
    auto blob = good;
    blob.pop_back();
    CHECK(contains(parse_error(blob), "string section"));
  }
  SUBCASE("type id out of range") {
    auto blob = BlobBuilder{}.add_int().add({0, BlobBuilder::info(BTF_KIND_PTR, 0), 99}).build();
    CHECK(contains(parse_error(blob), "type [2] PTR target refers to type id 99"));
  }
  SUBCASE("string offset out of range") {
    auto blob = BlobBuilder{}.add({1000, BlobBuilder::info(BTF_KIND_INT, 0), 4, 32}).build();
    CHECK(contains(parse_error(blob), "name offset 1000 is outside the string section"));
  }
  SUBCASE("modifier cycle") {
    auto blob = BlobBuilder{}
                    .add({0, BlobBuilder::info(BTF_KIND_CONST, 0), 2})
                    .add({5, BlobBuilder::info(BTF_KIND_TYPEDEF, 0), 1})
                    .build();
    CHECK(contains(parse_error(blob), "reference cycle"));
  }
  SUBCASE("pointer to itself") {
    auto blob = BlobBuilder{}.add({0, BlobBuilder::info(BTF_KIND_PTR, 0), 1}).build();
    CHECK(contains(parse_error(blob), "reference cycle"));
  }
  SUBCASE("huge vlen") {
    auto blob =
        BlobBuilder{}.add_int().add({5, BlobBuilder::info(BTF_KIND_STRUCT, 0xffff), 8}).build();
    CHECK(contains(parse_error(blob), "invalid BTF"));
    MESSAGE(parse_error(blob));
  }
  SUBCASE("unknown kind") {
    auto blob = BlobBuilder{}.add({0, BlobBuilder::info(25, 0), 0}).build();
    CHECK(contains(parse_error(blob), "invalid BTF"));
  }
  SUBCASE("FUNC whose type is not a prototype") {
    auto blob = BlobBuilder{}.add_int().add({5, BlobBuilder::info(BTF_KIND_FUNC, 0), 1}).build();
    CHECK(contains(parse_error(blob), "not a FUNC_PROTO"));
  }
  SUBCASE("decl tag component out of range") {
    auto blob = BlobBuilder{}
                    .add({5, BlobBuilder::info(BTF_KIND_STRUCT, 1), 4, 5, 2, 0}) // [1] struct x
                    .add_int()                                                   // [2]
                    .add({5, BlobBuilder::info(BTF_KIND_DECL_TAG, 0), 1, 3})
                    .build();
    CHECK(contains(parse_error(blob), "component index 3 is out of range"));
  }
  SUBCASE("decl tag on a parameter of a FUNC checked later, whose prototype is missing") {
    auto blob = BlobBuilder{}
                    .add({5, BlobBuilder::info(BTF_KIND_DECL_TAG, 0), 2, 0}) // [1] -> [2] param 0
                    .add({5, BlobBuilder::info(BTF_KIND_FUNC, 0), 99})       // [2] -> [99]
                    .build();
    CHECK(contains(parse_error(blob), "type [1] DECL_TAG component index 0 is out of range"));
  }
  SUBCASE("array of itself") {
    auto blob =
        BlobBuilder{}.add_int().add({0, BlobBuilder::info(BTF_KIND_ARRAY, 0), 0, 2, 1, 4}).build();
    CHECK(contains(parse_error(blob), "reference cycle"));
  }
}

TEST_CASE("btf: hostile .maps definitions name the map and the member") {
  // [1] int, [2] int[5], [3] int (*)[5], [4] struct { type; max_entries; }, [5] VAR x,
  // [6] DATASEC .maps; max_entries is a plain int instead of __uint's pointer to an array.
  BlobBuilder blob;
  blob.strings += std::string("type") + '\0' + "max_entries" + '\0' + ".maps" + '\0'; // 7, 12, 24
  blob.add_int()
      .add({0, BlobBuilder::info(BTF_KIND_ARRAY, 0), 0, 1, 1, 5})
      .add({0, BlobBuilder::info(BTF_KIND_PTR, 0), 2})
      .add({0, BlobBuilder::info(BTF_KIND_STRUCT, 2), 16, 7, 3, 0, 12, 1, 64})
      .add({5, BlobBuilder::info(BTF_KIND_VAR, 0), 4, 1})
      .add({24, BlobBuilder::info(BTF_KIND_DATASEC, 1), 0, 5, 0, 16});
  auto btf = Btf::parse(blob.build());
  REQUIRE_MESSAGE(btf.ok(), (btf.ok() ? "" : btf.error()));
  auto maps = (*btf)->map_definitions();
  REQUIRE_FALSE(maps.ok());
  CHECK(maps.error() ==
        "map 'x': member 'max_entries': expected a pointer to an array (__uint), found int");
}

TEST_CASE("btf: mutated fixture BTF never crashes a query") {
  std::mt19937 random(1234);
  for (const char *fixture : {"btf_maps", "btf_tags"}) {
    const auto original = elf_section(bpfcheck::test::fixture("clang", fixture), ".BTF");
    REQUIRE(!original.empty());
    int parsed = 0;
    for (int round = 0; round < 400; ++round) {
      auto blob = original;
      const int flips = 1 + static_cast<int>(random() % 4);
      for (int i = 0; i < flips; ++i)
        blob[24 + random() % (blob.size() - 24)] = static_cast<std::uint8_t>(random());
      if (round % 10 == 0)
        blob.resize(random() % blob.size());
      auto btf = Btf::parse(blob);
      if (!btf) {
        CHECK(!btf.error().empty());
        continue;
      }
      ++parsed;
      for (std::uint32_t id = 0; id < (*btf)->type_count() + 2; ++id) {
        (void)(*btf)->describe(id);
        (void)(*btf)->size_of(id);
        (void)(*btf)->strip_modifiers(id);
        (void)(*btf)->decl_tags(id);
      }
      (void)(*btf)->map_definitions();
      (void)(*btf)->datasec_vars(".ksyms");
    }
    MESSAGE(std::string(fixture) << ": " << parsed << " of 400 mutants parsed");
  }
}

TEST_CASE("btf: bpf-gcc -gbtf and clang read the same .maps definitions") {
  const std::filesystem::path gcc_dir = std::filesystem::path(FIXTURE_DIR) / "gcc-btf";
  std::error_code error;
  int compared = 0;
  for (const auto &entry : std::filesystem::directory_iterator(gcc_dir, error)) {
    const std::string clang_object = bpfcheck::test::fixture("clang", entry.path().stem().c_str());
    auto gcc_btf = Btf::parse(elf_section(entry.path(), ".BTF"));
    auto clang_btf = Btf::parse(elf_section(clang_object, ".BTF"));
    REQUIRE((gcc_btf.ok() && clang_btf.ok()));
    auto gcc_maps = (*gcc_btf)->map_definitions();
    auto clang_maps = (*clang_btf)->map_definitions();
    REQUIRE((gcc_maps.ok() && clang_maps.ok()));
    auto key = [](const bpfcheck::BtfMapDefinition &map) {
      return std::make_tuple(map.name, map.type, map.key_size, map.value_size, map.max_entries,
                             map.map_flags, map.pinning, map.inner != nullptr);
    };
    std::vector<decltype(key(gcc_maps->front()))> from_gcc, from_clang;
    for (const auto &map : *gcc_maps)
      from_gcc.push_back(key(map));
    for (const auto &map : *clang_maps)
      from_clang.push_back(key(map));
    std::sort(from_gcc.begin(), from_gcc.end());
    std::sort(from_clang.begin(), from_clang.end());
    CHECK(from_gcc == from_clang);
    ++compared;
  }
  if (compared == 0)
    MESSAGE("skipped: no bpf-gcc -gbtf fixtures were built");
}
