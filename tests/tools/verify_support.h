// Running bpfcheck's verification as a user does from the top of the repository: objects named
// relative to it (build/corpus/clang/x.o), so that every path in the output is relative; and
// turning the output into golden text (no timings, no absolute paths, one build directory name).
#pragma once

#include "test_support.h"

#include <regex>

namespace bpfcheck::test {

inline const std::string kSourceDir = SOURCE_DIR;

// The corpus directory as seen from the source directory, e.g. "build/corpus".
inline std::string relative_corpus() {
  return std::filesystem::path(CORPUS_DIR).lexically_relative(kSourceDir).string();
}

inline std::string corpus_object(const std::string &compiler, const std::string &name) {
  return relative_corpus() + "/" + compiler + "/" + name + ".o";
}

// `bpfcheck ARGS` in the source directory; stderr is dropped unless `with_stderr`.
inline CommandResult bpfcheck_in_source(const std::string &args, bool with_stderr = true) {
  std::string command = "cd '" + kSourceDir + "' && " + std::string(BPFCHECK_BIN) + " " + args;
  return run_command(with_stderr ? command : "(" + command + " 2>/dev/null)");
}

inline std::string replace_all(std::string text, const std::string &from, const std::string &to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// What may differ between runs and machines becomes a fixed placeholder: durations and heap
// sizes, the build directory's name, the checkout's absolute path (SARIF's %SRCROOT%).
inline std::string normalize_output(std::string text) {
  text = replace_all(text, relative_corpus() + "/", "build/corpus/");
  text = replace_all(text, kSourceDir + "/", "/src/");
  text = std::regex_replace(text, std::regex(R"(, [0-9.]+ (us|ms|s)\))"), ", <time>)");
  text = std::regex_replace(
      text, std::regex(R"re("(analysis_microseconds|peak_memory_bytes)": \d+)re"), "\"$1\": 0");
  // CSV: the duration column (fourth) of every row but the header.
  text = std::regex_replace(
      text, std::regex(R"(^([^,\n]*,[^,\n]*,[^,\n]*,)\d+,)", std::regex::multiline), "$1<us>,");
  return text;
}

} // namespace bpfcheck::test
