// Runs the offline SARIF validator and reads its findings back (see sarif_validator.h).
#include "sarif_validator.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace bpfcheck::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

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

} // namespace

std::optional<std::string> sarif_validator(const std::string &default_path) {
  const char *configured = std::getenv("BPFCHECK_SARIF_MULTITOOL");
  std::string path = configured != nullptr ? configured : default_path;
  if (!fs::exists(path)) {
    MESSAGE("skipped: SARIF validator not installed at "
            << path << " (tools/setup.sh installs it with npm; or set BPFCHECK_SARIF_MULTITOOL)");
    return std::nullopt;
  }
  return path;
}

std::map<std::string, Validation> validate_sarif(const std::string &tool,
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

} // namespace bpfcheck::test
