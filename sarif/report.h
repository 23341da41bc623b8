// The result of verifying programs, as every output format sees it (DESIGN.md section 6): per
// program a verdict and its diagnostics; per diagnostic the rule, the source line, the abstract
// values involved, a hint, and one path of source lines that reaches the failing state.
#pragma once

#include "program.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bpfcheck {

enum class Severity { Error, Warning, Note };

// An abstract value shown to the user, e.g. {"r1", "pkt(off=14,r=0)"}.
struct RegisterValue {
  std::string name;
  std::string value;
};

// One step of the trace: an instruction on the path and its source line when known.
struct TraceStep {
  std::uint32_t instruction = 0;
  std::optional<SourceLocation> location;
  std::string note; // e.g. "branch taken: r3 > r1"
};

struct Diagnostic {
  std::string rule; // stable kebab-case id, e.g. "packet-out-of-bounds"
  Severity severity = Severity::Error;
  std::string message;
  std::uint32_t instruction = 0;
  std::optional<SourceLocation> location;
  std::vector<RegisterValue> registers;
  std::string hint; // empty when none is known
  std::vector<TraceStep> trace;
};

enum class Verdict { Verified, Rejected, Error };

// --print-invariants: the abstract state before one instruction.
struct Invariant {
  std::uint32_t instruction = 0; // slot
  std::string code;              // the instruction, disassembled
  std::string state;             // e.g. "r1=ctx(off=0) r10=stack(off=0)"
};

struct ProgramReport {
  std::string file;
  std::string section;
  std::string name;
  std::string type; // program_type_name()
  Verdict verdict = Verdict::Error;
  std::uint32_t instructions = 0;
  std::uint64_t analysis_microseconds = 0;
  std::uint64_t peak_memory_bytes = 0;
  // Verifier states as veristat counts them; unknown (empty CSV cells, absent JSON keys) until
  // the analyzer reports them.
  std::optional<std::uint64_t> total_states;
  std::optional<std::uint64_t> peak_states;
  std::vector<Diagnostic> diagnostics;
  // --print-invariants: per reachable instruction, in slot order.
  std::vector<Invariant> invariants;
};

struct Report {
  std::vector<ProgramReport> programs;
  std::vector<std::string> input_errors; // one line each, as printed on stderr
};

} // namespace bpfcheck
