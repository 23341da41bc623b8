// Tests for frontend-elf/dwarf_lines.cpp: rows of bpf-gcc -g fixtures (several code sections)
// against `llvm-dwarfdump-16 --debug-line` and the functions' source spans, clang fixtures
// against `llvm-objdump-16 -l`; corrupted DWARF must never crash.

// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex> when building with
// the sanitizers; the warning is not about this file's code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "dwarf_lines.h"
#include "fixture_util.h"
#include "tool_util.h"

#include <doctest/doctest.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#ifndef LLVM_OBJDUMP_PATH
#define LLVM_OBJDUMP_PATH "llvm-objdump-16"
#endif
#ifndef LLVM_DWARFDUMP_PATH
#define LLVM_DWARFDUMP_PATH "llvm-dwarfdump-16"
#endif

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

const char *const kFixtures[] = {"btf_tags", "btf_maps", "btf_core"};

llvm::object::OwningBinary<llvm::object::ObjectFile> open_object(const std::string &path) {
  auto binary = llvm::object::ObjectFile::createObjectFile(path);
  REQUIRE_MESSAGE(static_cast<bool>(binary), "cannot open " << path);
  return std::move(*binary);
}

using Rows = std::map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>>; // addr -> line, col

// The sequences of `llvm-dwarfdump --debug-line`, each reduced as we reduce rows: line 0 and
// end_sequence dropped, the last row at an address wins.
std::optional<std::vector<Rows>> dwarfdump_sequences(const std::string &object) {
  auto output = run_tool(std::string(LLVM_DWARFDUMP_PATH) + " --debug-line " + object);
  if (!output)
    return std::nullopt;
  const std::regex row(R"(^0x([0-9a-f]+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s*(.*)$)");
  std::vector<Rows> sequences(1);
  std::istringstream lines(*output);
  for (std::string text; std::getline(lines, text);) {
    std::smatch match;
    if (!std::regex_match(text, match, row))
      continue;
    if (std::string(match[4]).find("end_sequence") != std::string::npos) {
      sequences.emplace_back();
      continue;
    }
    const auto line = static_cast<std::uint32_t>(std::stoul(match[2]));
    if (line != 0)
      sequences.back()[static_cast<std::uint32_t>(std::stoul(match[1], nullptr, 16))] = {
          line, static_cast<std::uint32_t>(std::stoul(match[3]))};
  }
  sequences.pop_back();
  return sequences;
}

// Lines [first, last] of function `name` in the fixture source: from the line naming it to the
// next line that closes a top-level brace.
std::pair<std::uint32_t, std::uint32_t> function_span(const std::vector<std::string> &source,
                                                      const std::string &name) {
  for (std::size_t i = 0; i < source.size(); ++i)
    if (source[i].find(" " + name + "(") != std::string::npos &&
        source[i].find(';') == std::string::npos)
      for (std::size_t j = i; j < source.size(); ++j)
        if (source[j].rfind('}', 0) == 0)
          return {static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(j + 1)};
  return {0, 0};
}

// Section name -> name of the function symbol at offset 0.
std::map<std::string, std::string> first_functions(const llvm::object::ObjectFile &object) {
  std::map<std::string, std::string> result;
  for (const auto &symbol : object.symbols()) {
    auto type = symbol.getType();
    auto value = symbol.getValue();
    auto section = symbol.getSection();
    auto name = symbol.getName();
    if (type && value && section && name && *type == llvm::object::SymbolRef::ST_Function &&
        *value == 0 && *section != object.section_end())
      if (auto section_name = (*section)->getName())
        result[section_name->str()] = name->str();
    llvm::consumeError(type.takeError());
    llvm::consumeError(value.takeError());
    llvm::consumeError(section.takeError());
    llvm::consumeError(name.takeError());
  }
  return result;
}

} // namespace

TEST_CASE("dwarf_lines: bpf-gcc -g rows agree with llvm-dwarfdump and land in their sections") {
  for (const char *fixture : kFixtures) {
    CAPTURE(std::string(fixture));
    const std::string path = bpfcheck::test::fixture("gcc", fixture);
    if (!std::ifstream(path)) {
      MESSAGE("skipped: no bpf-gcc fixture " << path);
      return;
    }
    auto object = open_object(path);
    const auto sections = read_dwarf_lines(*object.getBinary());
    REQUIRE(!sections.empty());
    const auto functions = first_functions(*object.getBinary());
    std::size_t records = 0;
    for (const auto &section : sections) {
      CAPTURE(section.section);
      REQUIRE(functions.count(section.section) == 1);
      REQUIRE(!section.lines.empty());
      const auto source = read_lines(section.lines.front().file);
      const auto [first, last] = function_span(source, functions.at(section.section));
      for (const auto &record : section.lines) {
        CAPTURE(record.insn_offset);
        ++records;
        CHECK(record.file.ends_with(std::string("fixtures/") + fixture + ".c"));
        CHECK((record.line >= first && record.line <= last)); // the right section's function
        REQUIRE(record.line <= source.size());
        CHECK(record.text == source[record.line - 1]);
      }
    }
    auto sequences = dwarfdump_sequences(path);
    if (!sequences) {
      MESSAGE("skipped: " LLVM_DWARFDUMP_PATH " is not available");
      continue;
    }
    // Every dwarfdump sequence is exactly the rows of one of our sections (within its range).
    std::size_t expected_records = 0;
    for (const Rows &sequence : *sequences) {
      expected_records += sequence.size();
      bool found = false;
      for (const auto &section : sections) {
        Rows ours;
        for (const auto &record : section.lines)
          if (sequence.count(record.insn_offset) != 0)
            ours[record.insn_offset] = {record.line, record.column};
        found = found || ours == sequence;
      }
      CHECK(found);
    }
    CHECK(records == expected_records);
  }
}

TEST_CASE("dwarf_lines: clang rows agree with llvm-objdump -l") {
  for (const char *fixture : kFixtures) {
    CAPTURE(std::string(fixture));
    const std::string path = bpfcheck::test::fixture("clang", fixture);
    auto output = run_tool(std::string(LLVM_OBJDUMP_PATH) + " -l -d --no-show-raw-insn " + path);
    if (!output) {
      MESSAGE("skipped: " LLVM_OBJDUMP_PATH " is not available");
      return;
    }
    std::map<std::string, std::map<std::uint32_t, std::uint32_t>> shown; // section, insn -> line
    const std::regex section_re(R"(^Disassembly of section (.*):$)"), source_re(R"(^; .*:(\d+)$)"),
        insn_re(R"(^\s+(\d+):\t.*)");
    std::string current;
    std::uint32_t line = 0;
    std::istringstream stream(*output);
    for (std::string text; std::getline(stream, text);) {
      std::smatch match;
      if (std::regex_match(text, match, section_re))
        current = match[1], line = 0;
      else if (std::regex_match(text, match, source_re))
        line = static_cast<std::uint32_t>(std::stoul(match[1]));
      else if (std::regex_match(text, match, insn_re))
        shown[current][static_cast<std::uint32_t>(std::stoul(match[1]))] = line;
    }
    auto object = open_object(path);
    std::size_t records = 0;
    for (const auto &section : read_dwarf_lines(*object.getBinary()))
      for (const auto &record : section.lines) {
        CAPTURE(section.section);
        CAPTURE(record.insn_offset);
        ++records;
        CHECK(shown[section.section][record.insn_offset / 8] == record.line);
        CHECK(!record.text.empty());
      }
    CHECK(records >= 4);
  }
}

TEST_CASE("dwarf_lines: corrupted DWARF never crashes") {
  std::mt19937 random(7);
  const std::set<std::string> targets = {".debug_line", ".debug_info",     ".debug_abbrev",
                                         ".debug_str",  ".rel.debug_line", ".debug_line_str"};
  for (const char *compiler : {"gcc", "clang"}) {
    const std::string path = bpfcheck::test::fixture(compiler, "btf_tags");
    if (!std::ifstream(path))
      continue;
    auto original = open_object(path);
    const llvm::StringRef data = original.getBinary()->getData();
    std::vector<std::pair<std::size_t, std::size_t>> ranges; // file offset, size
    for (const auto &section : original.getBinary()->sections()) {
      auto name = section.getName();
      auto contents = section.getContents();
      if (name && contents && targets.count(name->str()) != 0 && !contents->empty())
        ranges.emplace_back(contents->data() - data.data(), contents->size());
      llvm::consumeError(name.takeError());
      llvm::consumeError(contents.takeError());
    }
    REQUIRE(!ranges.empty());
    for (int round = 0; round < 300; ++round) {
      std::string bytes = data.str();
      const auto [offset, size] = ranges[random() % ranges.size()];
      for (int i = 0, flips = 1 + static_cast<int>(random() % 8); i < flips; ++i)
        bytes[offset + random() % size] = static_cast<char>(random());
      auto object =
          llvm::object::ObjectFile::createObjectFile(llvm::MemoryBufferRef(bytes, "corrupted"));
      if (!object) {
        llvm::consumeError(object.takeError());
        continue;
      }
      for (const auto &section : read_dwarf_lines(**object))
        CHECK(!section.section.empty());
    }
  }
}
