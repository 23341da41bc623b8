// Verification of one program for the command line: the analyzer's verdict and diagnostics as a
// ProgramReport with its analysis time and peak heap use, and the invariants on request.
#pragma once

#include "program.h"
#include "report.h"

#include <string>

namespace bpfcheck::cli {

struct Verification {
  ProgramReport report;
  std::string error; // one line naming file, program and instruction when it cannot be analyzed
};

Verification verify_program(const Program &program, bool print_invariants);

} // namespace bpfcheck::cli
