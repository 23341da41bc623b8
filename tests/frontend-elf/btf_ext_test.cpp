// Tests for frontend-elf/btf_ext.cpp: func_info against the ELF symbol table, line_info against
// `llvm-objdump-16 -l` and the fixture sources, CO-RE records of a clang fixture; hand-built
// hostile .BTF.ext blobs must give an Error, and mutated real ones must never crash.

// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex> when building with
// the sanitizers; the warning is not about this file's code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "btf_ext.h"
#include "fixture_util.h"
#include "tool_util.h"

#include <bpf/btf.h>
#include <doctest/doctest.h>
#include <llvm/Object/ObjectFile.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>

#ifndef LLVM_OBJDUMP_PATH
#define LLVM_OBJDUMP_PATH "llvm-objdump-16"
#endif

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

struct LoadedObject {
  llvm::object::OwningBinary<llvm::object::ObjectFile> binary;
  std::shared_ptr<const Btf> btf;
  std::vector<BtfExtSection> ext;
  std::vector<std::uint8_t> ext_bytes;
};

LoadedObject load(const char *fixture) {
  auto binary =
      llvm::object::ObjectFile::createObjectFile(bpfcheck::test::fixture("clang", fixture));
  REQUIRE_MESSAGE(static_cast<bool>(binary), "cannot open fixture " << fixture);
  LoadedObject loaded{std::move(*binary), nullptr, {}, {}};
  auto btf = Btf::parse(section_bytes(*loaded.binary.getBinary(), ".BTF"));
  REQUIRE_MESSAGE(btf.ok(), (btf.ok() ? "" : btf.error()));
  loaded.btf = *btf;
  loaded.ext_bytes = section_bytes(*loaded.binary.getBinary(), ".BTF.ext");
  auto ext = parse_btf_ext(loaded.ext_bytes, *loaded.btf);
  REQUIRE_MESSAGE(ext.ok(), (ext.ok() ? "" : ext.error()));
  loaded.ext = std::move(ext).value();
  return loaded;
}

// llvm-objdump -l: section -> instruction index -> the source line shown for it.
using ObjdumpLines = std::map<std::string, std::map<std::uint32_t, std::uint32_t>>;

std::optional<ObjdumpLines> objdump_lines(const std::string &object) {
  auto output = run_tool(std::string(LLVM_OBJDUMP_PATH) + " -l -d --no-show-raw-insn " + object);
  if (!output)
    return std::nullopt;
  ObjdumpLines lines;
  const std::regex section(R"(^Disassembly of section (.*):$)"), source(R"(^; .*:(\d+)$)"),
      insn(R"(^\s+(\d+):\t.*)");
  std::string current;
  std::uint32_t line = 0;
  std::istringstream stream(*output);
  for (std::string text; std::getline(stream, text);) {
    std::smatch match;
    if (std::regex_match(text, match, section))
      current = match[1], line = 0;
    else if (std::regex_match(text, match, source))
      line = static_cast<std::uint32_t>(std::stoul(match[1]));
    else if (std::regex_match(text, match, insn))
      lines[current][static_cast<std::uint32_t>(std::stoul(match[1]))] = line;
  }
  return lines;
}

} // namespace

TEST_CASE("btf_ext: func_info names the function symbol at each offset") {
  for (const char *fixture : {"btf_tags", "btf_maps", "btf_core"}) {
    CAPTURE(std::string(fixture));
    auto loaded = load(fixture);
    std::map<std::pair<std::string, std::uint64_t>, std::string> symbols;
    for (const auto &symbol : loaded.binary.getBinary()->symbols()) {
      auto type = symbol.getType();
      auto section = symbol.getSection();
      auto name = symbol.getName();
      if (!type || !section || !name || *type != llvm::object::SymbolRef::ST_Function) {
        llvm::consumeError(type.takeError());
        llvm::consumeError(section.takeError());
        llvm::consumeError(name.takeError());
        continue;
      }
      auto section_name = (*section)->getName();
      REQUIRE(static_cast<bool>(section_name));
      auto value = symbol.getValue();
      REQUIRE(static_cast<bool>(value));
      symbols[{section_name->str(), *value}] = name->str();
    }
    std::size_t funcs = 0;
    for (const auto &section : loaded.ext)
      for (const auto &func : section.funcs) {
        ++funcs;
        auto it = symbols.find({section.name, func.insn_offset});
        REQUIRE(it != symbols.end());
        CHECK(it->second == loaded.btf->name(func.type_id));
      }
    CHECK(funcs == symbols.size());
  }
}

TEST_CASE("btf_ext: line_info agrees with llvm-objdump -l and the source file") {
  for (const char *fixture : {"btf_tags", "btf_maps", "btf_core"}) {
    CAPTURE(std::string(fixture));
    auto loaded = load(fixture);
    auto expected = objdump_lines(bpfcheck::test::fixture("clang", fixture));
    if (!expected) {
      MESSAGE("skipped: " LLVM_OBJDUMP_PATH " is not available");
      return;
    }
    std::size_t lines = 0;
    for (const auto &section : loaded.ext) {
      CAPTURE(section.name);
      for (const auto &record : section.lines) {
        CAPTURE(record.insn_offset);
        ++lines;
        if (record.line == 0) { // compiler-made code; objdump keeps the previous line there
          CHECK(record.text.empty());
          continue;
        }
        CHECK((*expected)[section.name][record.insn_offset / 8] == record.line);
        CHECK(record.file.ends_with(std::string("fixtures/") + fixture + ".c"));
        const auto source = read_lines(record.file);
        REQUIRE(record.line <= source.size());
        CHECK(source[record.line - 1] == record.text);
        CHECK(record.column <= record.text.size() + 1);
      }
    }
    CHECK(lines >= 4);
  }
}

TEST_CASE("btf_ext: CO-RE relocations of field accesses") {
  auto loaded = load("btf_core");
  REQUIRE(loaded.ext.size() == 1);
  const auto &section = loaded.ext.front();
  CHECK(section.name == "tp_btf/sched_switch");
  REQUIRE(section.core_relocations.size() == 2);
  for (const auto &relo : section.core_relocations) {
    CHECK(loaded.btf->describe(relo.type_id) == "struct task_struct");
    CHECK(relo.kind == 0); // BPF_CORE_FIELD_BYTE_OFFSET
    CHECK(relo.insn_offset % 8 == 0);
  }
  CHECK(section.core_relocations[0].access_string == "0:1");   // task->tgid
  CHECK(section.core_relocations[1].access_string == "0:2:1"); // task->times.end
}

// ---- hand-built .BTF.ext against a tiny BTF with strings "xdp", "f.c", "line" and a FUNC [3].
namespace {

std::shared_ptr<const Btf> tiny_btf() {
  const std::string strings = std::string(1, '\0') + "xdp" + '\0' + "f.c" + '\0' + "line" + '\0';
  const std::uint32_t types[] = {
      1, BTF_KIND_INT << 24,        4, 32, // [1] int (named "xdp", harmless)
      0, BTF_KIND_FUNC_PROTO << 24, 1,     // [2] int (void)
      9, BTF_KIND_FUNC << 24,       2,     // [3] FUNC "line"
  };
  std::vector<std::uint8_t> blob(24 + sizeof types + strings.size());
  const std::uint32_t header[6] = {
      0x0001eB9F, 24, 0, sizeof types, sizeof types, static_cast<std::uint32_t>(strings.size())};
  std::memcpy(blob.data(), header, sizeof header);
  std::memcpy(blob.data() + 24, types, sizeof types);
  std::memcpy(blob.data() + 24 + sizeof types, strings.data(), strings.size());
  auto btf = Btf::parse(blob);
  REQUIRE_MESSAGE(btf.ok(), (btf.ok() ? "" : btf.error()));
  return *btf;
}

// Header (32 bytes) then func_info, line_info, core_relo sub-sections given as u32 words.
std::vector<std::uint8_t> ext_blob(const std::vector<std::uint32_t> &funcs,
                                   const std::vector<std::uint32_t> &lines,
                                   const std::vector<std::uint32_t> &cores = {}) {
  std::vector<std::uint32_t> words = {0x0001eB9F, 32};
  const auto f = static_cast<std::uint32_t>(funcs.size() * 4);
  const auto l = static_cast<std::uint32_t>(lines.size() * 4);
  const auto c = static_cast<std::uint32_t>(cores.size() * 4);
  words.insert(words.end(), {0, f, f, l, f + l, c});
  for (const auto *part : {&funcs, &lines, &cores})
    words.insert(words.end(), part->begin(), part->end());
  std::vector<std::uint8_t> bytes(words.size() * 4);
  std::memcpy(bytes.data(), words.data(), bytes.size());
  return bytes;
}

std::string ext_error(const std::vector<std::uint8_t> &blob, const Btf &btf) {
  auto ext = parse_btf_ext(blob, btf);
  return ext.ok() ? std::string("(parsed)") : ext.error();
}

bool contains(const std::string &text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("btf_ext: hand-built records decode, larger records are accepted") {
  auto btf = tiny_btf();
  const std::uint32_t line_col = (42u << 10) | 7;
  SUBCASE("known record sizes") {
    auto ext = parse_btf_ext(ext_blob({8, 1, 1, 0, 3}, {16, 1, 1, 8, 5, 9, line_col}), *btf);
    REQUIRE_MESSAGE(ext.ok(), (ext.ok() ? "" : ext.error()));
    REQUIRE(ext->size() == 1);
    const auto &section = ext->front();
    CHECK(section.name == "xdp");
    REQUIRE((section.funcs.size() == 1 && section.lines.size() == 1));
    CHECK(section.funcs[0].type_id == 3);
    CHECK((section.lines[0].insn_offset == 8 && section.lines[0].file == "f.c"));
    CHECK((section.lines[0].line == 42 && section.lines[0].column == 7));
    CHECK(section.lines[0].text == "line");
  }
  SUBCASE("a newer, larger line record: the tail is skipped") {
    auto ext = parse_btf_ext(
        ext_blob({}, {20, 1, 2, 0, 5, 9, line_col, 0xdead, 16, 5, 9, 1024, 0xbeef}), *btf);
    REQUIRE_MESSAGE(ext.ok(), (ext.ok() ? "" : ext.error()));
    REQUIRE(ext->front().lines.size() == 2);
    CHECK(ext->front().lines[1].insn_offset == 16);
    CHECK(ext->front().lines[1].line == 1);
  }
}

TEST_CASE("btf_ext: hostile blobs give an error") {
  auto btf = tiny_btf();
  const auto good = ext_blob({8, 1, 1, 0, 3}, {});
  CHECK(ext_error(good, *btf) == "(parsed)");
  SUBCASE("truncated") {
    CHECK(contains(ext_error({good.begin(), good.begin() + 6}, *btf), "truncated"));
  }
  SUBCASE("bad magic") {
    auto blob = good;
    blob[1] = 0;
    CHECK(contains(ext_error(blob, *btf), "bad .BTF.ext magic"));
  }
  SUBCASE("header length larger than the section") {
    auto blob = good;
    blob[4] = 200;
    CHECK(contains(ext_error(blob, *btf), "header length 200"));
  }
  SUBCASE("sub-section past the end") {
    auto blob = good;
    blob[12] = 100; // func_info_len
    CHECK(contains(ext_error(blob, *btf), "func_info (offset 0, length 100) lies outside"));
  }
  SUBCASE("record size below the minimum") {
    CHECK(contains(ext_error(ext_blob({4, 1, 1, 0}, {}), *btf), "record size 4 is invalid"));
  }
  SUBCASE("more records than bytes") {
    CHECK(contains(ext_error(ext_blob({8, 1, 1000, 0, 3}, {}), *btf),
                   "claims 1000 records of 8 bytes"));
  }
  SUBCASE("no records") {
    CHECK(contains(ext_error(ext_blob({8, 1, 0}, {}), *btf), "has no records"));
  }
  SUBCASE("section name outside the string table") {
    CHECK(contains(ext_error(ext_blob({8, 999, 1, 0, 3}, {}), *btf), "section name offset 999"));
  }
  SUBCASE("file name outside the string table") {
    CHECK(contains(ext_error(ext_blob({}, {16, 1, 1, 0, 500, 10, 1024}), *btf),
                   "file name offset 500 is outside"));
  }
  SUBCASE("instruction offset inside an instruction") {
    CHECK(contains(ext_error(ext_blob({8, 1, 1, 4, 3}, {}), *btf), "not a multiple of 8"));
  }
  SUBCASE("func_info type that is no FUNC") {
    CHECK(contains(ext_error(ext_blob({8, 1, 1, 0, 77}, {}), *btf), "not a BTF FUNC"));
  }
  SUBCASE("CO-RE type id out of range") {
    CHECK(contains(ext_error(ext_blob({}, {}, {16, 1, 1, 0, 50, 1, 0}), *btf), "out of range"));
  }
}

TEST_CASE("btf_ext: mutated fixture .BTF.ext never crashes") {
  std::mt19937 random(99);
  for (const char *fixture : {"btf_tags", "btf_core"}) {
    auto loaded = load(fixture);
    int parsed = 0;
    for (int round = 0; round < 500; ++round) {
      auto blob = loaded.ext_bytes;
      for (int i = 0, flips = 1 + static_cast<int>(random() % 3); i < flips; ++i)
        blob[random() % blob.size()] = static_cast<std::uint8_t>(random());
      if (round % 8 == 0)
        blob.resize(random() % blob.size());
      auto ext = parse_btf_ext(blob, *loaded.btf);
      parsed += ext.ok();
      if (!ext.ok())
        CHECK(!ext.error().empty());
    }
    MESSAGE(std::string(fixture) << ": " << parsed << " of 500 mutants parsed");
  }
}
