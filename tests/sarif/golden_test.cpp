// Golden outputs: each sample Report in every format, compared byte for byte with
// tests/sarif/golden/<report>.<format>. After an intended change to a renderer, regenerate with
//   BPFCHECK_UPDATE_GOLDEN=1 build/bin/sarif_tests -tc='golden*'
// and review the result with git diff before committing.
#include "golden.h"
#include "sample_reports.h"

#include <doctest/doctest.h>

#include <functional>

namespace bpfcheck::test {
namespace {

struct Sample {
  const char *name;
  std::function<Report()> make;
};

const Sample kSamples[] = {
    {"verified", verified_report},
    {"rejected", rejected_report},
    {"input_error", input_error_report},
};

// A fixed version keeps golden files stable across releases.
constexpr const char *kVersion = "0.0.0-test";

} // namespace

TEST_CASE("golden: text") {
  for (const Sample &sample : kSamples) {
    CAPTURE(sample.name);
    check_golden(std::string(sample.name) + ".txt",
                 render_text(sample.make(), sample_text_options()));
  }
}

TEST_CASE("golden: verbose and coloured text") {
  TextOptions options = sample_text_options();
  options.verbose = true;
  check_golden("rejected.verbose.txt", render_text(rejected_report(), options));
  options.verbose = false;
  options.color = true;
  check_golden("rejected.color.txt", render_text(rejected_report(), options));
}

TEST_CASE("golden: json") {
  for (const Sample &sample : kSamples) {
    CAPTURE(sample.name);
    check_golden(std::string(sample.name) + ".json", render_json(sample.make(), {kVersion}));
  }
}

TEST_CASE("golden: sarif") {
  SarifOptions options = sample_sarif_options();
  options.tool_version = kVersion;
  for (const Sample &sample : kSamples) {
    CAPTURE(sample.name);
    check_golden(std::string(sample.name) + ".sarif", render_sarif(sample.make(), options));
  }
}

TEST_CASE("golden: csv") {
  for (const Sample &sample : kSamples) {
    CAPTURE(sample.name);
    check_golden(std::string(sample.name) + ".csv",
                 render_csv(sample.make(), sample_csv_options()));
  }
}

TEST_CASE("golden: line_diff names the first differing line") {
  std::string diff = line_diff("a\nb\nc\n", "a\nB\nc\n");
  CHECK(diff.find("line 2") != std::string::npos);
  CHECK(diff.find("-2: b") != std::string::npos);
  CHECK(diff.find("+2: B") != std::string::npos);
}

} // namespace bpfcheck::test
