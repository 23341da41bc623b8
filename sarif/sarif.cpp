// SARIF 2.1.0 for code-scanning services (GitHub reads tool.driver.rules, ruleId, message.text,
// the first location's relative URI and region, codeFlows and partialFingerprints). Artifact
// URIs are relative to %SRCROOT% so that results match the repository checkout, and the
// fingerprint hashes the source text instead of the line number so alerts survive edits above.
#include "common.h"
#include "render.h"
#include "rules.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

namespace bpfcheck {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kSourceRoot = "%SRCROOT%";

// RFC 3986: keep unreserved characters and the path separator, percent-encode the rest.
std::string percent_encode(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// FNV-1a: tiny, and fixed forever, which is what a fingerprint needs (std::hash is neither
// specified nor stable across library versions).
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) {
    hash = (hash ^ c) * 0x100000001b3ULL;
  }
  return hash;
}

std::string without_whitespace(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isspace(c) == 0) {
      out += static_cast<char>(c);
    }
  }
  return out;
}

class SarifWriter {
public:
  explicit SarifWriter(const SarifOptions &options)
      : options_(options), directory_(detail::resolve_directory(options.current_directory)),
        root_(detail::absolute_against(options.source_root ? *options.source_root : directory_,
                                       directory_)) {}

  std::string render(const Report &report);

private:
  void collect_rules(const Report &report);
  Json rules_json() const;
  Json result_json(const ProgramReport &program, const Diagnostic &diagnostic);
  Json artifact(std::string_view file) const;
  Json physical_location(const SourceLocation &location, bool with_column) const;
  Json code_flow(const std::vector<TraceStep> &trace) const;
  std::string fingerprint(const Json &artifact, const Diagnostic &diagnostic);
  Json invocation(const Report &report) const;

  const SarifOptions &options_;
  std::string directory_;
  std::string root_;
  std::vector<std::string> rule_ids_; // in ruleIndex order
  std::map<std::string, std::size_t> occurrences_;
};

std::string SarifWriter::render(const Report &report) {
  collect_rules(report);
  Json results = Json::array();
  for (const ProgramReport &program : report.programs) {
    for (const Diagnostic &diagnostic : program.diagnostics) {
      results.push_back(result_json(program, diagnostic));
    }
  }
  std::string root_uri = "file://" + percent_encode(root_);
  if (root_uri.back() != '/') {
    root_uri += '/'; // a base URI must end in a slash or the last segment is dropped
  }
  Json driver{{"name", kToolName},
              {"version", options_.tool_version},
              {"semanticVersion", options_.tool_version},
              {"informationUri", options_.information_uri},
              {"rules", rules_json()}};
  Json run{{"tool", Json{{"driver", std::move(driver)}}},
           {"invocations", Json::array({invocation(report)})},
           {"originalUriBaseIds", Json{{kSourceRoot, Json{{"uri", root_uri}}}}},
           {"results", std::move(results)}};
  Json log{{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", Json::array({std::move(run)})}};
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// Only the rules that results use, in catalogue order (then unknown ids alphabetically), so that
// ruleIndex is stable for a given set of findings.
void SarifWriter::collect_rules(const Report &report) {
  std::vector<std::string> unknown;
  std::vector<bool> used(all_rules().size(), false);
  for (const ProgramReport &program : report.programs) {
    for (const Diagnostic &diagnostic : program.diagnostics) {
      if (const RuleInfo *rule = find_rule(diagnostic.rule)) {
        used[static_cast<std::size_t>(rule - all_rules().data())] = true;
      } else if (std::find(unknown.begin(), unknown.end(), diagnostic.rule) == unknown.end()) {
        unknown.push_back(diagnostic.rule);
      }
    }
  }
  for (std::size_t i = 0; i < used.size(); ++i) {
    if (used[i]) {
      rule_ids_.emplace_back(all_rules()[i].id);
    }
  }
  std::sort(unknown.begin(), unknown.end());
  rule_ids_.insert(rule_ids_.end(), unknown.begin(), unknown.end());
}

Json SarifWriter::rules_json() const {
  Json rules = Json::array();
  for (const std::string &id : rule_ids_) {
    const RuleInfo *rule = find_rule(id);
    std::string generic = fmt::format("bpfcheck rule '{}'.", id);
    auto text = [&](std::string_view field) {
      return Json{{"text", rule != nullptr ? std::string(field) : generic}};
    };
    Severity level = rule != nullptr ? rule->level : Severity::Error;
    rules.push_back(Json{{"id", id},
                         {"name", rule_display_name(id)},
                         {"shortDescription", text(rule != nullptr ? rule->short_description : "")},
                         {"fullDescription", text(rule != nullptr ? rule->full_description : "")},
                         {"help", text(rule != nullptr ? rule->help : "")},
                         {"defaultConfiguration", Json{{"level", detail::severity_name(level)}}},
                         {"properties", Json{{"tags", Json::array({"ebpf", "verifier"})}}}});
  }
  return rules;
}

// A path under the source root becomes a relative URI against %SRCROOT%; anything else an
// absolute file URI, which code scanning shows but cannot link to the repository.
Json SarifWriter::artifact(std::string_view file) const {
  std::string absolute = detail::absolute_against(file, directory_);
  std::string relative = detail::relative_to(absolute, root_);
  if (!relative.empty() && relative.front() != '/') {
    return Json{{"uri", percent_encode(relative)}, {"uriBaseId", kSourceRoot}};
  }
  return Json{{"uri", "file://" + percent_encode(absolute)}};
}

Json SarifWriter::physical_location(const SourceLocation &location, bool with_column) const {
  Json physical{{"artifactLocation", artifact(location.file)}};
  if (location.line != 0) {
    Json region{{"startLine", location.line}};
    if (with_column && location.column != 0) {
      region["startColumn"] = location.column;
    }
    if (!location.text.empty()) {
      region["snippet"] = Json{{"text", location.text}};
    }
    physical["region"] = std::move(region);
  }
  return physical;
}

Json SarifWriter::code_flow(const std::vector<TraceStep> &trace) const {
  Json locations = Json::array();
  for (const TraceStep &step : trace) {
    Json location = Json::object();
    if (step.location && !step.location->file.empty()) {
      location["physicalLocation"] = physical_location(*step.location, true);
    }
    location["message"] =
        Json{{"text", step.note.empty()
                          ? fmt::format("instruction {}", step.instruction)
                          : fmt::format("{} (instruction {})", step.note, step.instruction)}};
    locations.push_back(Json{{"location", std::move(location)}});
  }
  return Json{{"threadFlows", Json::array({Json{{"locations", std::move(locations)}}})}};
}

// GitHub's primaryLocationLineHash form, "<hash>:<occurrence>": the hash covers the rule and
// the whitespace-free source text, the occurrence tells apart identical lines of one file.
std::string SarifWriter::fingerprint(const Json &artifact, const Diagnostic &diagnostic) {
  std::string text = diagnostic.location && !diagnostic.location->text.empty()
                         ? without_whitespace(diagnostic.location->text)
                         : diagnostic.message;
  std::uint64_t hash = fnv1a(text, fnv1a(std::string_view("\0", 1), fnv1a(diagnostic.rule)));
  std::string key = fmt::format("{}\n{}", artifact.dump(), hash);
  std::size_t occurrence = ++occurrences_[key];
  return fmt::format("{:016x}:{}", hash, occurrence);
}

Json SarifWriter::result_json(const ProgramReport &program, const Diagnostic &diagnostic) {
  std::string message = diagnostic.message;
  for (const RegisterValue &reg : diagnostic.registers) {
    message += fmt::format("\n{} = {}", reg.name, reg.value);
  }
  if (!diagnostic.hint.empty()) {
    message += "\nhint: " + diagnostic.hint;
  }
  bool has_source = diagnostic.location && !diagnostic.location->file.empty();
  Json physical = has_source ? physical_location(*diagnostic.location, true)
                             : Json{{"artifactLocation", artifact(program.file)}};
  std::string hash = fingerprint(physical["artifactLocation"], diagnostic);
  Json logical{{"name", program.name},
               {"fullyQualifiedName", fmt::format("{}:{}", detail::relative_to(program.file, root_),
                                                  detail::program_label(program))},
               {"kind", "function"}};
  auto index = std::find(rule_ids_.begin(), rule_ids_.end(), diagnostic.rule) - rule_ids_.begin();
  Json result{{"ruleId", diagnostic.rule},
              {"ruleIndex", index},
              {"level", detail::severity_name(diagnostic.severity)},
              {"message", Json{{"text", message}}},
              {"locations", Json::array({Json{{"physicalLocation", std::move(physical)},
                                              {"logicalLocations", Json::array({logical})}}})},
              {"partialFingerprints", Json{{"primaryLocationLineHash", hash}}}};
  if (!diagnostic.trace.empty()) {
    result["codeFlows"] = Json::array({code_flow(diagnostic.trace)});
  }
  result["properties"] = Json{{"instruction", diagnostic.instruction},
                              {"programType", program.type},
                              {"section", program.section}};
  return result;
}

// Input errors are not findings in source: SARIF's place for them is the invocation.
Json SarifWriter::invocation(const Report &report) const {
  bool complete = report.input_errors.empty() &&
                  std::none_of(report.programs.begin(), report.programs.end(),
                               [](const ProgramReport &p) { return p.verdict == Verdict::Error; });
  Json invocation{{"executionSuccessful", complete}};
  if (!report.input_errors.empty()) {
    Json notifications = Json::array();
    for (const std::string &line : report.input_errors) {
      notifications.push_back(Json{{"level", "error"}, {"message", Json{{"text", line}}}});
    }
    invocation["toolExecutionNotifications"] = std::move(notifications);
  }
  return invocation;
}

} // namespace

std::string render_sarif(const Report &report, const SarifOptions &options) {
  return SarifWriter(options).render(report);
}

} // namespace bpfcheck
