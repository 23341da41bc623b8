// Golden files: read, compare, and on mismatch print which lines differ (a changed line, an
// insertion or a deletion shows as -expected/+actual lines around the first difference).
#include "golden.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace bpfcheck::test {
namespace {

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(line);
  }
  return lines;
}

bool update_requested() {
  const char *value = std::getenv("BPFCHECK_UPDATE_GOLDEN");
  return value != nullptr && std::string_view(value) == "1";
}

} // namespace

std::string line_diff(const std::string &expected, const std::string &actual) {
  auto want = split_lines(expected);
  auto got = split_lines(actual);
  std::size_t head = 0;
  while (head < want.size() && head < got.size() && want[head] == got[head]) {
    ++head;
  }
  std::size_t tail = 0;
  while (tail < want.size() - head && tail < got.size() - head &&
         want[want.size() - 1 - tail] == got[got.size() - 1 - tail]) {
    ++tail;
  }
  std::ostringstream out;
  out << "first difference at line " << head + 1 << "\n";
  for (std::size_t i = head; i < want.size() - tail; ++i) {
    out << "-" << i + 1 << ": " << want[i] << "\n";
  }
  for (std::size_t i = head; i < got.size() - tail; ++i) {
    out << "+" << i + 1 << ": " << got[i] << "\n";
  }
  if (expected.size() != actual.size() && want == got) {
    out << "(the texts differ only in line endings or a final newline)\n";
  }
  return out.str();
}

void check_golden(std::string_view name, const std::string &actual) {
  std::string path = std::string(GOLDEN_DIR) + "/" + std::string(name);
  if (update_requested()) {
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("rewrote " << path);
    return;
  }
  std::ifstream file(path, std::ios::binary);
  REQUIRE_MESSAGE(file.good(), path << " is missing; run with BPFCHECK_UPDATE_GOLDEN=1");
  std::string expected((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (expected != actual) {
    FAIL_CHECK(path << " differs (BPFCHECK_UPDATE_GOLDEN=1 rewrites it):\n"
                    << line_diff(expected, actual));
  }
}

} // namespace bpfcheck::test
