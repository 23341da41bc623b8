// SARIF validated by Microsoft's offline validator (sarif_validator.h), which checks the 2.1.0
// schema plus its SARIF1xxx rules. Without it the test prints "skipped: ...". Every finding of
// level "error" fails the test; a known-bad log checks that errors are detected at all.
#include "render.h"
#include "sample_reports.h"
#include "sarif_validator.h"

#include <doctest/doctest.h>

namespace bpfcheck::test {

TEST_CASE("validator: Microsoft's SARIF validator accepts every sample report") {
  auto tool = sarif_validator(SARIF_MULTITOOL_PATH);
  if (!tool) {
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
  auto validations = validate_sarif(*tool, logs);
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
