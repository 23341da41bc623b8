// SARIF validated by Microsoft's offline validator (@microsoft/sarif-multitool from npm), which
// checks the 2.1.0 schema plus its SARIF1xxx rules. tools/setup.sh installs it into <build>/npm;
// BPFCHECK_SARIF_MULTITOOL overrides the path. Without it the test prints "skipped: ...".
// The validator exits 0 even when the log is invalid, so its own SARIF output is read and every
// result of level "error" fails the test; a known-bad log checks that errors are detected at all.
#include "render.h"
#include "sample_reports.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <unistd.h>

namespace bpfcheck::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::string> validator() {
  const char *configured = std::getenv("BPFCHECK_SARIF_MULTITOOL");
  std::string path = configured != nullptr ? configured : SARIF_MULTITOOL_PATH;
  if (!fs::exists(path)) {
    return std::nullopt;
  }
  return path;
}

struct Validation {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

std::string describe(const json &result) {
  std::string text = result.value("ruleId", "?") + ":";
  const json &message = result["message"];
  if (message.contains("text")) {
    return text + " " + message["text"].get<std::string>();
  }
  text += " " + message.value("id", "");
  for (const json &argument : message.value("arguments", json::array())) {
    text += " | " + argument.get<std::string>();
  }
  return text;
}

// Runs the validator once over all `logs` (name -> SARIF text; .NET start-up dominates the
// run time) and returns its findings per name; fails the test if it could not run.
std::map<std::string, Validation> validate(const std::string &tool,
                                           const std::map<std::string, std::string> &logs) {
  fs::path dir = fs::temp_directory_path() / ("bpfcheck-sarif-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path output = dir / "validation.sarif";
  fs::path log = dir / "validator.log";
  // Invariant globalization: the .NET runtime needs ICU otherwise, which Debian may lack.
  std::string command = "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 '" + tool + "' validate";
  for (const auto &[name, sarif] : logs) {
    fs::path input = dir / (name + ".sarif");
    std::ofstream(input) << sarif;
    command += " '" + input.string() + "'";
  }
  command +=
      " -o '" + output.string() + "' --log ForceOverwrite --quiet > '" + log.string() + "' 2>&1";
  fs::remove(output);
  int status = std::system(command.c_str());
  std::ifstream stream(output);
  REQUIRE_MESSAGE((status == 0 && stream.good()),
                  "the validator failed to run (exit " << status << "); see " << log.string());
  std::map<std::string, Validation> validations;
  json report = json::parse(stream);
  for (const json &result : report["runs"][0].value("results", json::array())) {
    std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    std::string name = fs::path(uri).stem().string();
    Validation &validation = validations[name];
    // The validator omits "level" for warnings, SARIF's default.
    (result.value("level", "warning") == "error" ? validation.errors : validation.warnings)
        .push_back(describe(result));
  }
  return validations;
}

} // namespace

TEST_CASE("validator: Microsoft's SARIF validator accepts every sample report") {
  auto tool = validator();
  if (!tool) {
    MESSAGE("skipped: SARIF validator not installed at " SARIF_MULTITOOL_PATH
            " (tools/setup.sh installs it with npm; or set BPFCHECK_SARIF_MULTITOOL)");
    return;
  }
  // The canary: a log with startLine 0 must be flagged, or a silent validator would pass all.
  std::map<std::string, std::string> logs;
  logs["canary"] = R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[)"
                   R"({"ruleId":"a","message":{"text":"m"},"locations":[{"physicalLocation":)"
                   R"({"artifactLocation":{"uri":"a.c"},"region":{"startLine":0}}}]}]}]})";
  logs["verified"] = render_sarif(verified_report(), sample_sarif_options());
  logs["rejected"] = render_sarif(rejected_report(), sample_sarif_options());
  logs["input_error"] = render_sarif(input_error_report(), sample_sarif_options());
  logs["awkward"] = render_sarif(awkward_report(), sample_sarif_options());
  auto validations = validate(*tool, logs);
  CHECK_FALSE(validations["canary"].errors.empty());
  validations.erase("canary");
  for (const auto &[name, validation] : validations) {
    CAPTURE(name);
    for (const std::string &error : validation.errors) {
      FAIL_CHECK(error);
    }
    for (const std::string &warning : validation.warnings) {
      MESSAGE("validator warning (" << name << "): " << warning);
    }
  }
}

} // namespace bpfcheck::test
