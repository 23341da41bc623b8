// Compiler-style text: `file:line:col: error: message [rule]`, the source line with a caret, the
// abstract values involved, a hint and the path that reaches the failure; then one summary line
// per program. Laid out like clang's diagnostics so that editors and people parse it the same way.
#include "common.h"
#include "render.h"

#include <fmt/format.h>

#include <string_view>

namespace bpfcheck {
namespace {

using detail::program_label;
using detail::relative_to;
using detail::severity_name;
using detail::verdict_name;

// Long traces keep their start and their end: the failing end matters most.
constexpr std::size_t kTraceHead = 6;
constexpr std::size_t kTraceTail = 8;

class TextWriter {
public:
  explicit TextWriter(const TextOptions &options)
      : options_(options), directory_(detail::resolve_directory(options.current_directory)) {}

  std::string render(const Report &report);

private:
  void program(const ProgramReport &program);
  void diagnostic(const ProgramReport &program, const Diagnostic &diagnostic);
  void excerpt(const SourceLocation &location, bool caret);
  void compact_trace(const std::vector<TraceStep> &trace);
  void verbose_trace(const std::vector<TraceStep> &trace);
  void summary(const ProgramReport &program);
  std::string position(const SourceLocation &location) const;
  std::string paint(std::string_view text, std::string_view code) const;
  std::string path(std::string_view file) const { return relative_to(file, directory_); }

  const TextOptions &options_;
  std::string directory_;
  std::string out_;
};

std::string_view severity_color(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return "1;31";
  case Severity::Warning:
    return "1;35";
  case Severity::Note:
    break;
  }
  return "1;36";
}

std::string format_duration(std::uint64_t microseconds) {
  if (microseconds < 100) {
    return fmt::format("{} us", microseconds); // "0.0 ms" would read as "not measured"
  }
  if (microseconds >= 10'000'000) {
    return fmt::format("{:.2f} s", static_cast<double>(microseconds) / 1e6);
  }
  return fmt::format("{:.1f} ms", static_cast<double>(microseconds) / 1e3);
}

std::string plural(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string TextWriter::render(const Report &report) {
  std::size_t counts[3] = {0, 0, 0}; // by Verdict
  for (const ProgramReport &each : report.programs) {
    program(each);
    ++counts[static_cast<std::size_t>(each.verdict)];
  }
  for (const std::string &line : report.input_errors) {
    out_ += line;
    out_ += '\n';
  }
  if (report.programs.size() > 1) {
    std::string errors = counts[2] == 0 ? "" : fmt::format(", {}", plural(counts[2], "error"));
    out_ += fmt::format("{}, {} verified, {} rejected{}\n",
                        plural(report.programs.size(), "program"), counts[0], counts[1], errors);
  }
  return std::move(out_);
}

std::string TextWriter::paint(std::string_view text, std::string_view code) const {
  if (!options_.color) {
    return std::string(text);
  }
  return fmt::format("\033[{}m{}\033[0m", code, text);
}

std::string TextWriter::position(const SourceLocation &location) const {
  std::string result = path(location.file);
  if (location.line != 0) {
    result += fmt::format(":{}", location.line);
    if (location.column != 0) {
      result += fmt::format(":{}", location.column);
    }
  }
  return result;
}

void TextWriter::program(const ProgramReport &program) {
  if (options_.verbose) {
    out_ += fmt::format("{}: program '{}' ({}, {}):\n", path(program.file), program_label(program),
                        program.type.empty() ? "unknown type" : program.type,
                        plural(program.instructions, "instruction"));
  } else if (!program.diagnostics.empty() || !program.invariants.empty()) {
    out_ += fmt::format("{}: In program '{}':\n", path(program.file), program_label(program));
  }
  for (const Diagnostic &each : program.diagnostics) {
    diagnostic(program, each);
  }
  if (!program.invariants.empty()) {
    out_ += "  invariants:\n";
    for (const Invariant &invariant : program.invariants) {
      out_ += fmt::format("  {:>5}: {}\n", invariant.instruction, invariant.state);
      out_ += fmt::format("  {:>5}  {}\n", "", invariant.code);
    }
  }
  summary(program);
}

void TextWriter::diagnostic(const ProgramReport &program, const Diagnostic &diagnostic) {
  std::string where = diagnostic.location && !diagnostic.location->file.empty()
                          ? position(*diagnostic.location)
                          : fmt::format("{}: insn {}", path(program.file), diagnostic.instruction);
  out_ += fmt::format("{} {} {}", paint(where + ":", "1"),
                      paint(std::string(severity_name(diagnostic.severity)) + ":",
                            severity_color(diagnostic.severity)),
                      diagnostic.message);
  out_ += diagnostic.rule.empty() ? "\n" : fmt::format(" [{}]\n", diagnostic.rule);
  if (diagnostic.location) {
    excerpt(*diagnostic.location, true);
  }
  if (options_.verbose && diagnostic.location) {
    out_ += fmt::format("  at instruction {}\n", diagnostic.instruction);
  }
  for (const RegisterValue &reg : diagnostic.registers) {
    out_ += fmt::format("  {} = {}\n", reg.name, reg.value);
  }
  if (!diagnostic.hint.empty()) {
    out_ += fmt::format("  {} {}\n", paint("hint:", "1;36"), diagnostic.hint);
  }
  if (options_.verbose) {
    verbose_trace(diagnostic.trace);
  } else {
    compact_trace(diagnostic.trace);
  }
}

void TextWriter::excerpt(const SourceLocation &location, bool caret) {
  if (location.text.empty() || location.line == 0) {
    return;
  }
  out_ += fmt::format("{:>5} | {}\n", location.line, location.text);
  if (!caret || location.column == 0) {
    return;
  }
  // Copy tabs from the source so that the caret lines up however the terminal expands them.
  std::string padding;
  for (std::size_t i = 0; i + 1 < location.column; ++i) {
    padding += i < location.text.size() && location.text[i] == '\t' ? '\t' : ' ';
  }
  out_ += fmt::format("{:>5} | {}{}\n", "", padding, paint("^", "1;32"));
}

// One line, e.g. `trace: xdp_parse.c:12 -> :15 (branch taken) -> :21`: the file is repeated
// only when it changes, and consecutive steps on the same line collapse into one.
void TextWriter::compact_trace(const std::vector<TraceStep> &trace) {
  std::vector<std::string> tokens;
  std::string last_file;
  std::uint32_t last_line = 0;
  for (const TraceStep &step : trace) {
    std::string token;
    if (step.location && step.location->line != 0) {
      const SourceLocation &location = *step.location;
      if (location.file == last_file && location.line == last_line && step.note.empty()) {
        continue;
      }
      token = location.file == last_file ? fmt::format(":{}", location.line)
                                         : fmt::format("{}:{}", path(location.file), location.line);
      last_file = location.file;
      last_line = location.line;
    } else {
      token = fmt::format("insn {}", step.instruction);
    }
    if (!step.note.empty()) {
      token += fmt::format(" ({})", step.note);
    }
    tokens.push_back(std::move(token));
  }
  if (tokens.empty()) {
    return;
  }
  if (tokens.size() > kTraceHead + kTraceTail + 1) {
    std::size_t hidden = tokens.size() - kTraceHead - kTraceTail;
    tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(kTraceHead),
                 tokens.end() - static_cast<std::ptrdiff_t>(kTraceTail));
    tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(kTraceHead),
                  fmt::format("... {} more ...", hidden));
  }
  out_ += fmt::format("  trace: {}\n", fmt::join(tokens, " -> "));
}

// One `note:` per step with its source line, as compilers print the notes of a diagnostic.
void TextWriter::verbose_trace(const std::vector<TraceStep> &trace) {
  const SourceLocation *previous = nullptr;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const TraceStep &step = trace[i];
    const SourceLocation *location =
        step.location && step.location->line != 0 ? &*step.location : nullptr;
    if (location != nullptr && previous != nullptr && step.note.empty() &&
        location->file == previous->file && location->line == previous->line) {
      continue;
    }
    std::string note = !step.note.empty() ? step.note
                       : i == 0           ? std::string("path starts here")
                                          : std::string("path continues here");
    std::string where = location != nullptr ? position(*location) : "insn";
    out_ += fmt::format("{} {} {} [insn {}]\n", paint(where + ":", "1"),
                        paint("note:", severity_color(Severity::Note)), note, step.instruction);
    if (location != nullptr) {
      excerpt(*location, false);
    }
    previous = location;
  }
}

void TextWriter::summary(const ProgramReport &program) {
  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const Diagnostic &each : program.diagnostics) {
    errors += each.severity == Severity::Error ? 1 : 0;
    warnings += each.severity == Severity::Warning ? 1 : 0;
  }
  std::string details;
  if (errors != 0) {
    details += plural(errors, "error") + ", ";
  }
  if (warnings != 0) {
    details += plural(warnings, "warning") + ", ";
  }
  details += fmt::format("{}, {}", plural(program.instructions, "instruction"),
                         format_duration(program.analysis_microseconds));
  std::string_view verdict = verdict_name(program.verdict);
  out_ +=
      fmt::format("{}: {}: {} ({})\n", path(program.file), program_label(program),
                  paint(verdict, program.verdict == Verdict::Verified ? "1;32" : "1;31"), details);
}

} // namespace

std::string render_text(const Report &report, const TextOptions &options) {
  return TextWriter(options).render(report);
}

} // namespace bpfcheck
