// JSON for scripts: every field of the Report, keys in a fixed order (ordered_json keeps
// insertion order) so that diffs between runs show only real changes. The top-level "version" is
// the version of this layout; bump it when a key changes meaning or disappears.
#include "common.h"
#include "render.h"

#include <nlohmann/json.hpp>

namespace bpfcheck {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kJsonLayoutVersion = 1;

// Paths print relative to the current directory, as in the text and CSV formats.
class JsonWriter {
public:
  explicit JsonWriter(const JsonOptions &options)
      : directory_(detail::resolve_directory(options.current_directory)) {}

  Json program_json(const ProgramReport &program) const;

private:
  Json location_json(const std::optional<SourceLocation> &location) const;
  Json diagnostic_json(const Diagnostic &diagnostic) const;
  std::string path(std::string_view file) const { return detail::relative_to(file, directory_); }

  std::string directory_;
};

Json JsonWriter::location_json(const std::optional<SourceLocation> &location) const {
  if (!location) {
    return nullptr;
  }
  return Json{{"file", path(location->file)},
              {"line", location->line},
              {"column", location->column},
              {"text", location->text}};
}

Json JsonWriter::diagnostic_json(const Diagnostic &diagnostic) const {
  Json registers = Json::array();
  for (const RegisterValue &reg : diagnostic.registers) {
    registers.push_back(Json{{"name", reg.name}, {"value", reg.value}});
  }
  Json trace = Json::array();
  for (const TraceStep &step : diagnostic.trace) {
    trace.push_back(Json{{"instruction", step.instruction},
                         {"location", location_json(step.location)},
                         {"note", step.note}});
  }
  return Json{{"rule", diagnostic.rule},
              {"severity", detail::severity_name(diagnostic.severity)},
              {"message", diagnostic.message},
              {"instruction", diagnostic.instruction},
              {"location", location_json(diagnostic.location)},
              {"registers", std::move(registers)},
              {"hint", diagnostic.hint},
              {"trace", std::move(trace)}};
}

Json JsonWriter::program_json(const ProgramReport &program) const {
  Json json{{"file", path(program.file)},
            {"section", program.section},
            {"name", program.name},
            {"type", program.type},
            {"verdict", detail::verdict_name(program.verdict)},
            {"instructions", program.instructions},
            {"analysis_microseconds", program.analysis_microseconds},
            {"peak_memory_bytes", program.peak_memory_bytes}};
  // Absent rather than 0 when unknown, so that consumers cannot mistake "not counted" for none.
  if (program.total_states) {
    json["total_states"] = *program.total_states;
  }
  if (program.peak_states) {
    json["peak_states"] = *program.peak_states;
  }
  Json diagnostics = Json::array();
  for (const Diagnostic &diagnostic : program.diagnostics) {
    diagnostics.push_back(diagnostic_json(diagnostic));
  }
  json["diagnostics"] = std::move(diagnostics);
  if (!program.invariants.empty()) {
    Json invariants = Json::array();
    for (const Invariant &invariant : program.invariants) {
      invariants.push_back(Json{{"instruction", invariant.instruction},
                                {"code", invariant.code},
                                {"state", invariant.state}});
    }
    json["invariants"] = std::move(invariants);
  }
  return json;
}

} // namespace

std::string render_json(const Report &report, const JsonOptions &options) {
  JsonWriter writer(options);
  Json programs = Json::array();
  for (const ProgramReport &program : report.programs) {
    programs.push_back(writer.program_json(program));
  }
  Json json{{"version", kJsonLayoutVersion},
            {"tool", Json{{"name", kToolName}, {"version", options.tool_version}}},
            {"programs", std::move(programs)},
            {"input_errors", report.input_errors}};
  // Invalid UTF-8 in source text (it comes from the object file) must not abort rendering.
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace bpfcheck
