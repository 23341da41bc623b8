// The whole input path (ELF, BTF, .BTF.ext, DWARF, relocations, decoder, disassembler and the
// analyzer) on truncated and mutated corpus objects and on every input the fuzzer ever crashed
// on: each must give a result or a one-line error naming the input, never a crash (ASan/UBSan
// build in CI).
#include "object_file.h"
#include "program_modes.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <random>

namespace bpfcheck::test {
namespace {

// Runs every stage a user's command would run; returns the load error, or "" when it loaded.
std::string exercise(const std::vector<std::uint8_t> &bytes, const std::string &name) {
  Result<ObjectFile> object = load_object(std::span<const std::uint8_t>(bytes), name);
  if (!object)
    return object.error();
  for (const LoadDiagnostic &diagnostic : object->diagnostics)
    CHECK(diagnostic.to_string().find('\n') == std::string::npos);
  for (const Program &program : object->programs) {
    cli::ModeResult result = cli::inspect_everything(program);
    CHECK(result.error.find('\n') == std::string::npos);
    CHECK_FALSE(result.output.empty());
  }
  return "";
}

void check_one_line_naming(const std::string &error, const std::string &name) {
  if (error.empty())
    return;
  CHECK(error.find('\n') == std::string::npos);
  CHECK(error.find(name) != std::string::npos);
}

std::vector<std::string> corpus_objects() { return files_below(CORPUS_DIR, ".o"); }

} // namespace

TEST_CASE("truncated objects are rejected with one line naming the input") {
  std::vector<std::string> objects = corpus_objects();
  REQUIRE_FALSE(objects.empty());
  for (const std::string &path : objects) {
    std::vector<std::uint8_t> bytes = read_bytes(path);
    REQUIRE(bytes.size() > 64);
    // Every length in the headers, then 32 evenly spaced cuts through the rest.
    std::vector<std::size_t> lengths;
    for (std::size_t length = 0; length < 64; ++length)
      lengths.push_back(length);
    for (std::size_t step = 1; step < 32; ++step)
      lengths.push_back(bytes.size() * step / 32);
    lengths.push_back(bytes.size() - 1);
    for (std::size_t length : lengths) {
      CAPTURE(path);
      CAPTURE(length);
      std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(length));
      std::string error = exercise(cut, "cut.o");
      // Section headers sit at the end of an ELF relocatable: every cut loses some.
      CHECK_FALSE(error.empty());
      check_one_line_naming(error, "cut.o");
    }
  }
}

TEST_CASE("mutated objects load or fail with one line, never crash") {
  std::mt19937_64 random(20261122);
  for (const std::string &path : corpus_objects()) {
    std::vector<std::uint8_t> bytes = read_bytes(path);
    for (int round = 0; round < 60; ++round) {
      std::vector<std::uint8_t> mutated = bytes;
      int flips = 1 + static_cast<int>(random() % 8);
      for (int flip = 0; flip < flips; ++flip)
        mutated[random() % mutated.size()] = static_cast<std::uint8_t>(random());
      CAPTURE(path);
      CAPTURE(round);
      check_one_line_naming(exercise(mutated, "mutated.o"), "mutated.o");
    }
  }
}

TEST_CASE("inputs the fuzzer once crashed on stay fixed") {
  for (const std::string &path : files_below(FUZZ_REGRESSIONS_DIR, "")) {
    if (path.ends_with(".md"))
      continue;
    CAPTURE(path);
    check_one_line_naming(exercise(read_bytes(path), "regression.o"), "regression.o");
  }
}

} // namespace bpfcheck::test
