// CSV with veristat's column names (file_name, prog_name, verdict, duration in microseconds,
// total_insns, total_states, peak_states) so that kernel developers' scripts and veristat's
// compare habits carry over, then our own columns. Quoting follows RFC 4180; lines end in "\n"
// as veristat's do. Input errors have no program row: the CLI prints them on stderr.
#include "common.h"
#include "render.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace bpfcheck {
namespace {

constexpr std::array<std::string_view, 12> kColumns = {
    "file_name",   "prog_name", "verdict",   "duration",   "total_insns", "total_states",
    "peak_states", "section",   "prog_type", "first_rule", "first_line",  "first_message"};

// Quotes only when needed, so that plain rows stay as readable as veristat's.
std::string quote(std::string_view field) {
  bool needs_quotes = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                      (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!needs_quotes) {
    return std::string(field);
  }
  std::string quoted = "\"";
  for (char c : field) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  quoted += '"';
  return quoted;
}

std::string optional_count(const std::optional<std::uint64_t> &count) {
  return count ? std::to_string(*count) : std::string();
}

// The first error explains a rejection (later ones often follow from it); a warning stands in
// when there is no error.
const Diagnostic *first_diagnostic(const ProgramReport &program) {
  for (const Diagnostic &diagnostic : program.diagnostics) {
    if (diagnostic.severity == Severity::Error) {
      return &diagnostic;
    }
  }
  return program.diagnostics.empty() ? nullptr : &program.diagnostics.front();
}

} // namespace

std::string render_csv(const Report &report, const CsvOptions &options) {
  std::string directory = detail::resolve_directory(options.current_directory);
  std::string out = fmt::format("{}\n", fmt::join(kColumns, ","));
  for (const ProgramReport &program : report.programs) {
    const Diagnostic *first = first_diagnostic(program);
    std::string line;
    if (first != nullptr && first->location && first->location->line != 0) {
      line = fmt::format("{}:{}", detail::relative_to(first->location->file, directory),
                         first->location->line);
    }
    std::array<std::string, kColumns.size()> fields = {
        detail::relative_to(program.file, directory),
        program.name,
        program.verdict == Verdict::Verified ? "success" : "failure",
        std::to_string(program.analysis_microseconds),
        std::to_string(program.instructions),
        optional_count(program.total_states),
        optional_count(program.peak_states),
        program.section,
        program.type,
        first != nullptr ? first->rule : std::string(),
        line,
        first != nullptr ? first->message : std::string()};
    for (std::size_t i = 0; i < fields.size(); ++i) {
      out += i == 0 ? "" : ",";
      out += quote(fields[i]);
    }
    out += '\n';
  }
  return out;
}

} // namespace bpfcheck
