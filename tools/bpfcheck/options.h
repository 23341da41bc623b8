// Command-line options of the bpfcheck executable, filled by main.cpp's CLI11 parser and read by
// the modes (list, asm, dot) and by verification, the default.
#pragma once

#include "program.h"
#include "render.h"

#include <optional>
#include <string>
#include <vector>

namespace bpfcheck::cli {

struct Options {
  std::vector<std::string> inputs;   // files and directories
  std::vector<std::string> programs; // globs over "name" or "section/name"; empty: all
  std::optional<ProgramType> type;   // overrides the section's program type
  bool list = false;
  bool asm_listing = false;
  std::string dot_dir; // empty: no DOT output
  bool no_source = false;
  OutputFormat format = OutputFormat::Text;
  std::string output_file; // empty: stdout
  bool print_invariants = false;

  // --list, --asm and --dot inspect objects instead of verifying them.
  bool inspecting() const { return list || asm_listing || !dot_dir.empty(); }
};

// Exit codes of DESIGN.md section 6.
inline constexpr int kExitVerified = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitInputError = 2;

} // namespace bpfcheck::cli
