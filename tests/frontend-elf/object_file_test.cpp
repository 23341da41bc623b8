// load_object on input that is not a usable BPF object: empty, garbage, other architectures,
// truncated at every length, and randomly corrupted copies of the fixtures. The loader must
// return an Error or diagnostics, never crash (run under ASan too).
#include "fixture_util.h"

#include <algorithm>
#include <filesystem>
#include <random>

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

std::vector<std::string> all_fixture_objects() {
  std::vector<std::string> out;
  for (const char *compiler : {"clang", "gcc", "gcc-btf"}) {
    const std::filesystem::path dir = std::filesystem::path(FIXTURE_DIR) / compiler;
    if (!std::filesystem::exists(dir))
      continue;
    for (const auto &entry : std::filesystem::directory_iterator(dir))
      if (entry.path().extension() == ".o")
        out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Touches everything a later stage would read, so ASan sees any dangling or short buffer.
std::size_t walk(const ObjectFile &object) {
  std::size_t sum = object.maps.size() + object.diagnostics.size();
  for (const Program &p : object.programs) {
    for (const RawInstruction &insn : p.instructions)
      sum += insn.opcode;
    for (const Subprogram &sub : p.subprograms)
      sum += sub.name.size() + sub.start;
    for (std::uint32_t i = 0; i < p.instructions.size(); ++i)
      if (const SourceLocation *loc = p.lines.at(i))
        sum += loc->file.size() + loc->text.size();
    for (const ExternSymbol &ext : p.externs)
      sum += ext.name.size();
  }
  for (const LoadDiagnostic &diag : object.diagnostics)
    sum += diag.to_string().size();
  return sum;
}

} // namespace

TEST_CASE("input that is not a BPF ELF object is one Error naming the file") {
  const std::vector<std::uint8_t> empty;
  auto result = load_object(empty, "empty.o");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().starts_with("empty.o: not a BPF ELF object: "));

  std::vector<std::uint8_t> text(200, 'x');
  result = load_object(text, "text.o");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error() == "text.o: not a BPF ELF object: no ELF magic");

  // A valid object with e_machine patched to x86-64.
  auto bytes = read_bytes(fixture("clang", "subprogs"));
  bytes[18] = 62;
  bytes[19] = 0;
  result = load_object(bytes, "x86.o");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().find("e_machine is 62, not EM_BPF (247)") != std::string::npos);

  auto missing = load_object(std::string(FIXTURE_DIR) + "/does/not/exist.o");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find("does/not/exist.o: cannot open") != std::string::npos);
}

TEST_CASE("truncated objects give an Error or diagnostics, never a crash") {
  for (const std::string &path : all_fixture_objects()) {
    CAPTURE(path);
    const auto bytes = read_bytes(path);
    REQUIRE(load_object(bytes, path).ok());
    const std::size_t step = std::max<std::size_t>(1, bytes.size() / 300);
    for (std::size_t length = 0; length < bytes.size(); length += step) {
      const std::vector<std::uint8_t> prefix(bytes.begin(), bytes.begin() + length);
      auto result = load_object(prefix, "truncated.o");
      if (result.ok())
        walk(*result);
      else
        CHECK(result.error().starts_with("truncated.o: not a BPF ELF object: "));
    }
  }
}

TEST_CASE("randomly corrupted objects never crash the loader") {
  std::mt19937_64 random(20261122);
  for (const std::string &path : all_fixture_objects()) {
    CAPTURE(path);
    const auto bytes = read_bytes(path);
    for (int round = 0; round < 150; ++round) {
      auto copy = bytes;
      const int flips = 1 + static_cast<int>(random() % 16);
      for (int i = 0; i < flips; ++i) {
        // Half the flips hit the headers and tables where structure lives.
        const std::size_t limit =
            (random() % 2 == 0) ? std::min<std::size_t>(copy.size(), 64) : copy.size();
        copy[random() % limit] ^= static_cast<std::uint8_t>(1u << (random() % 8));
      }
      if (random() % 4 == 0) { // also corrupt the section header table
        const std::uint64_t shoff = ElfPatcher(copy).read<std::uint64_t>(0x28);
        if (shoff < copy.size())
          for (int i = 0; i < 8; ++i)
            copy[shoff + random() % (copy.size() - shoff)] = static_cast<std::uint8_t>(random());
      }
      auto result = load_object(copy, "corrupt.o");
      if (result.ok())
        walk(*result);
    }
  }
}

TEST_CASE("a program in an unknown section is loaded as Unspec with a diagnostic") {
  const ObjectFile object = load_ok(fixture("clang", "unknown_section"));
  const Program &custom = program(object, "custom");
  CHECK(custom.type == ProgramType::Unspec);
  CHECK_FALSE(custom.expected_attach_type.has_value());
  CHECK(program(object, "ordinary").type == ProgramType::Xdp);
  CHECK(object.license == "Dual BSD/GPL");
  REQUIRE(object.diagnostics.size() == 1);
  CHECK(object.diagnostics[0].section == "my_custom_hook");
  CHECK(object.diagnostics[0].message ==
        "unknown section name 'my_custom_hook': pass --type to set the program type");
}
