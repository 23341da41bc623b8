// The per-program work of the command line: decode the instructions, then produce the
// requested views (disassembly, DOT files). Kept apart from main.cpp so tests can call it.
#pragma once

#include "options.h"
#include "program.h"

#include <string>

namespace bpfcheck::cli {

struct ModeResult {
  std::string output; // text for stdout
  std::string error;  // one line naming file, program and instruction; empty when fine
};

ModeResult run_program_modes(const Program &program, const Options &options);

// Every view of the program at once (listing row, disassembly, CFG, WTO, DOT of every function,
// then the analysis with its invariants as text) into `output`, for the fuzz target and the
// robustness tests: whatever the input, each stage either produces its view or a one-line error.
ModeResult inspect_everything(const Program &program);

} // namespace bpfcheck::cli
