// Line tables: from .BTF.ext line_info for clang objects (checked record by record against the
// DWARF lines llvm-objdump-16 -l prints for the same section offsets, and the source text
// against the file), from DWARF for bpf-gcc -g objects, shifted for appended subprograms.
#include "fixture_util.h"
#include "tool_util.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

// What llvm-objdump -d -l says: function name -> first slot, and (function, slot) -> line.
struct ObjdumpLines {
  std::map<std::string, std::uint64_t> function_start;
  std::map<std::pair<std::string, std::uint64_t>, std::uint32_t> line_at; // by function, slot
};

std::optional<ObjdumpLines> run_objdump(const std::string &object) {
#ifdef LLVM_OBJDUMP_PATH
  const std::string command =
      std::string(LLVM_OBJDUMP_PATH) + " -d -l --no-show-raw-insn " + object + " 2>/dev/null";
  FILE *pipe = popen(command.c_str(), "r");
  if (pipe == nullptr)
    return std::nullopt;
  ObjdumpLines out;
  std::string function;
  std::uint32_t current = 0;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string text(buffer);
    if (!text.empty() && text.back() == '\n')
      text.pop_back();
    const auto open = text.find(" <");
    if (!text.empty() && text[0] != ' ' && open != std::string::npos && text.ends_with(">:")) {
      // "0000000000000018 <twice_plus_one>:"
      function = text.substr(open + 2, text.size() - open - 4);
      out.function_start[function] = std::stoull(text.substr(0, open), nullptr, 16) / 8;
      current = 0;
    } else if (text.starts_with("; ") && text.find(':') != std::string::npos &&
               std::isdigit(static_cast<unsigned char>(text.back()))) {
      // "; /path/to/file.c:25"
      current = static_cast<std::uint32_t>(std::stoul(text.substr(text.rfind(':') + 1)));
    } else if (text.starts_with("  ") && current != 0) {
      // "       2:\tcall 0x2"
      const auto colon = text.find(':');
      const auto first = text.find_first_not_of(' ');
      if (colon != std::string::npos && first < colon &&
          std::all_of(text.begin() + first, text.begin() + colon,
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        out.line_at[{function, std::stoull(text.substr(first, colon - first))}] = current;
    }
  }
  pclose(pipe);
  return out;
#else
  (void)object;
  return std::nullopt;
#endif
}

// Calls f(subprogram, index within the program) for every instruction of every subprogram.
template <typename F> void for_each_slot(const Program &p, F f) {
  for (std::size_t s = 0; s < p.subprograms.size(); ++s) {
    const std::uint32_t end = s + 1 < p.subprograms.size()
                                  ? p.subprograms[s + 1].start
                                  : static_cast<std::uint32_t>(p.instructions.size());
    for (std::uint32_t i = p.subprograms[s].start; i < end; ++i)
      f(p.subprograms[s], i);
  }
}

} // namespace

// Every line record of every program in `path` names a line of its source file with that line's
// text, and where llvm-objdump -l (DWARF) has a row for the same instruction, the same line.
// Returns how many records were compared with DWARF.
int check_lines_against_objdump(const std::string &path, const ObjdumpLines &objdump) {
  const ObjectFile object = load_ok(path);
  int compared = 0;
  std::map<std::string, std::vector<std::string>> sources;
  for (const Program &p : object.programs) {
    CAPTURE(p.name);
    REQUIRE(p.lines.at(0) != nullptr); // the entry instruction has a location
    for_each_slot(p, [&](const Subprogram &sub, std::uint32_t index) {
      const SourceLocation *loc = p.lines.starting_at(index);
      if (loc == nullptr || loc->line == 0)
        return;
      CAPTURE(sub.name);
      CAPTURE(index);
      if (!sources.count(loc->file))
        sources[loc->file] = read_lines(loc->file);
      const auto &source = sources[loc->file];
      REQUIRE(loc->line <= source.size());
      CHECK(loc->text == source[loc->line - 1]); // BTF carries the line itself
      REQUIRE(objdump.function_start.count(sub.name) == 1);
      const std::uint64_t slot = objdump.function_start.at(sub.name) + (index - sub.start);
      const auto dwarf = objdump.line_at.find({sub.name, slot});
      if (dwarf != objdump.line_at.end() && loc->column != 0) {
        CHECK(loc->line == dwarf->second);
        ++compared;
      }
    });
  }
  return compared;
}

TEST_CASE("clang: BTF line_info agrees with llvm-objdump -l on every record") {
  const std::string path = fixture("clang", "subprogs");
  const auto objdump = run_objdump(path);
  if (!objdump) {
    MESSAGE("llvm-objdump-16 not found: skipped");
    return;
  }
  CHECK(load_ok(path).programs.front().lines.at(0)->file.ends_with("fixtures/subprogs.c"));
  CHECK(check_lines_against_objdump(path, *objdump) > 20);
}

TEST_CASE("clang: every corpus object's line_info agrees with llvm-objdump -l") {
  const std::filesystem::path corpus =
      std::filesystem::path(FIXTURE_DIR).parent_path() / "corpus" / "clang";
  std::vector<std::string> objects;
  std::error_code error;
  for (const auto &entry : std::filesystem::directory_iterator(corpus, error))
    if (entry.path().extension() == ".o")
      objects.push_back(entry.path());
  if (objects.empty()) {
    MESSAGE("no corpus objects in " << corpus << " (built with BPFCHECK_CORPUS=ON): skipped");
    return;
  }
  std::sort(objects.begin(), objects.end());
  int compared = 0;
  for (const std::string &path : objects) {
    CAPTURE(path);
    const auto objdump = run_objdump(path);
    if (!objdump) {
      MESSAGE("llvm-objdump-16 not found: skipped");
      return;
    }
    compared += check_lines_against_objdump(path, *objdump);
  }
  CHECK(compared > 500);
}

TEST_CASE("clang: line records of appended subprograms are shifted to their new place") {
  const ObjectFile object = load_ok(fixture("clang", "subprogs"));
  const Program &tc = program(object, "tc_prog");
  // add_one is appended last in tc_prog; its first record is its declaration line (6),
  // its body (line 8) follows.
  const Subprogram &add_one = tc.subprograms.back();
  REQUIRE(add_one.name == "add_one");
  const SourceLocation *head = tc.lines.at(add_one.start);
  REQUIRE(head != nullptr);
  CHECK(head->line == 6);
  const SourceLocation *body = tc.lines.at(add_one.start + 1);
  REQUIRE(body != nullptr);
  CHECK(body->line == 8);
  // The same function in another program has the same lines at a different index.
  const Program &second = program(object, "xdp_second");
  CHECK(second.subprograms.back().start != add_one.start);
  REQUIRE(second.lines.at(second.subprograms.back().start) != nullptr);
  CHECK(second.lines.at(second.subprograms.back().start)->line == 6);
}

#ifdef HAVE_BPF_GCC
TEST_CASE("bpf-gcc -g: the line table comes from DWARF") {
  const ObjectFile object = load_ok(fixture("gcc", "subprogs"));
  const auto source = read_lines(std::string(SOURCE_DIR) + "/fixtures/subprogs.c");
  // Source lines of each function in fixtures/subprogs.c (declaration to closing brace).
  const std::map<std::string, std::pair<std::uint32_t, std::uint32_t>> ranges{
      {"add_one", {6, 9}},     {"twice_plus_one", {11, 14}}, {"global_helper", {16, 19}},
      {"xdp_first", {21, 27}}, {"xdp_second", {28, 33}},     {"tc_prog", {34, 38}}};
  for (const Program &p : object.programs) {
    CAPTURE(p.name);
    CHECK(p.btf == nullptr);
    REQUIRE(p.lines.size() > 2);
    REQUIRE(p.lines.at(0) != nullptr);
    int records = 0;
    for_each_slot(p, [&](const Subprogram &sub, std::uint32_t index) {
      const SourceLocation *loc = p.lines.starting_at(index);
      if (loc == nullptr)
        return;
      CAPTURE(sub.name);
      CAPTURE(index);
      ++records;
      CHECK(loc->file.ends_with("subprogs.c"));
      const auto [first, last] = ranges.at(sub.name);
      // gcc attributes a function's first instructions to the caller's inlined or prologue
      // lines at times; require the line to be in this file and most to be in range.
      CHECK(loc->line >= 1);
      CHECK(loc->line <= source.size());
      if (loc->line >= first && loc->line <= last && !loc->text.empty())
        CHECK(loc->text == source[loc->line - 1]);
    });
    CHECK(records > 2);
    const SourceLocation *entry = p.lines.at(0);
    const auto [first, last] = ranges.at(p.name);
    CHECK(entry->line >= first);
    CHECK(entry->line <= last);
  }
}
#endif
