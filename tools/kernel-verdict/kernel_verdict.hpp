// kernel_verdict.hpp: shared types of bpfcheck-kernel-verdict, the tool that asks the running
// kernel's verifier for a verdict on each program of a BPF object (the oracle of the corpus
// tests). One Verdict per program; loaders for libbpf-readable and legacy-map objects.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kernel_verdict {

struct Verdict {
  std::string program;   // function name of the program
  std::string prog_type; // libbpf's name, e.g. "xdp", "sched_cls"
  std::string verdict;   // accepted | rejected | unloadable
  long insns_processed = -1;
  std::string message; // last verifier error line, or why the program could not be loaded
  std::string line;    // "<source> @ file:NN" of the last line annotation before the error
};

struct Options {
  std::vector<std::string> programs; // only these function names (all when empty)
  uint64_t caps = 0;                 // effective capability mask while loading; 0 = unchanged
  bool verbose = false;              // echo verifier logs to stderr
  int log_level = 1;                 // 2 logs every state (for debugging the corpus)
};

// What a verifier log (level 1) says, reduced to the CSV columns.
struct LogSummary {
  std::string message;
  std::string line;
  long insns_processed = -1;
};
LogSummary summarize_log(const std::string &log);

// Program type from the section name, for names libbpf 1.1 does not know ("socket1", ...).
std::optional<bpf_prog_type> infer_prog_type(const std::string &section);
std::string prog_type_name(bpf_prog_type type);

bool wanted(const Options &options, const std::string &program);

// Verdicts of the programs of one object through libbpf. Returns std::nullopt when libbpf
// cannot open the object because of a legacy "maps" section; the reason is in `why`.
std::optional<std::vector<Verdict>> load_with_libbpf(const std::string &path,
                                                     const Options &options, std::string &why);

// Verdicts through the small fallback loader for objects with a legacy "maps" section.
std::vector<Verdict> load_legacy(const std::string &path, const Options &options);

// Lowers the effective capability set for the lifetime of the object.
class ScopedCapabilities {
public:
  explicit ScopedCapabilities(uint64_t effective);
  ~ScopedCapabilities();
  ScopedCapabilities(const ScopedCapabilities &) = delete;
  ScopedCapabilities &operator=(const ScopedCapabilities &) = delete;
  bool ok() const { return ok_; }

private:
  bool ok_ = true;
  bool changed_ = false;
  uint64_t saved_ = 0;
};

// Parses "bpf,net_admin" into a capability mask; std::nullopt on an unknown name.
std::optional<uint64_t> parse_capabilities(const std::string &list);

} // namespace kernel_verdict
