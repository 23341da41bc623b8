// corpus_expectations.hpp: what the corpus tests read from the corpus objects (expected
// verdicts from BTF decl tags, program functions, line info) and from the kernel oracle
// (bpfcheck-kernel-verdict's CSV).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace corpus {

// One program's expectation, from its "expect:*" BTF decl tags (see bpfcheck_expect.h).
struct Expectation {
  std::string program;
  bool accept = false;
  bool reject = false;
  std::string rule;
  std::string kernel_msg;
  std::string line;
  std::string caps;
  std::vector<std::string> unknown_tags;
};

// Entry functions of the object: FUNC symbols in executable sections other than .text.
struct ProgramFunction {
  std::string name;
  std::string section;
};

struct ObjectInfo {
  std::vector<ProgramFunction> programs;
  std::map<std::string, Expectation> expectations; // by program name
  bool has_btf = false;
  // Source line text of the BTF line_info records, by section name.
  std::map<std::string, std::vector<std::string>> btf_lines;
  size_t debug_line_bytes = 0; // size of DWARF .debug_line
  std::string error;
};

ObjectInfo read_object(const std::string &path);

// The corpus manifest written by corpus/CMakeLists.txt: lines "clang NAME", "gcc NAME",
// "gcc-excluded NAME".
struct Manifest {
  std::vector<std::string> clang;
  std::vector<std::string> gcc;
  std::vector<std::string> gcc_excluded;
};
std::optional<Manifest> read_manifest(const std::string &path);

struct KernelVerdict {
  std::string program;
  std::string prog_type;
  std::string verdict;
  std::string message;
  std::string line;
};

// Runs the oracle on one object for the given programs, loading with the given capability
// list (empty: unchanged). Returns verdicts by program name; `error` is set on failure.
std::map<std::string, KernelVerdict> kernel_verdicts(const std::string &loader,
                                                     const std::string &object,
                                                     const std::vector<std::string> &programs,
                                                     const std::string &caps, std::string &error);

// Asks the kernel about every program of `expectations` in `object`, loading each with the
// capabilities its expectation names; `error` collects the oracle's failures.
std::map<std::string, KernelVerdict>
kernel_verdicts(const std::string &loader, const std::string &object,
                const std::map<std::string, Expectation> &expectations, std::string &error);

// Why this process cannot ask the kernel for verdicts, or std::nullopt when it can.
std::optional<std::string> kernel_unavailable(const std::string &loader);

const std::set<std::string> &known_rules();

} // namespace corpus
