// SARIF structure as code scanning reads it: rules for every ruleId, relative URIs against
// %SRCROOT%, regions, code flows, logical locations, and fingerprints that stay put when lines
// move but differ between identical lines of one file.
#include "render.h"
#include "rules.h"
#include "sample_reports.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace bpfcheck::test {

using nlohmann::json;

namespace {

json sarif_of(const Report &report) {
  return json::parse(render_sarif(report, sample_sarif_options()));
}

std::vector<std::string> fingerprints(const json &doc) {
  std::vector<std::string> out;
  for (const json &result : doc["runs"][0]["results"]) {
    out.push_back(result["partialFingerprints"]["primaryLocationLineHash"]);
  }
  return out;
}

} // namespace

TEST_CASE("sarif: log, run and driver fields") {
  json doc = sarif_of(rejected_report());
  CHECK(doc["version"] == "2.1.0");
  CHECK(doc["$schema"].get<std::string>().find("sarif-2.1.0") != std::string::npos);
  REQUIRE(doc["runs"].size() == 1);
  const json &run = doc["runs"][0];
  const json &driver = run["tool"]["driver"];
  CHECK(driver["name"] == "bpfcheck");
  CHECK(driver["version"] == std::string(kToolVersion));
  CHECK(driver["informationUri"] == std::string(kToolInformationUri));
  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///src/proj/");
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
}

TEST_CASE("sarif: every result's rule is described at its ruleIndex") {
  json doc = sarif_of(rejected_report());
  const json &rules = doc["runs"][0]["tool"]["driver"]["rules"];
  const json &results = doc["runs"][0]["results"];
  REQUIRE(results.size() == 2);
  CHECK(rules.size() == 2);
  for (const json &result : results) {
    const json &rule = rules.at(result["ruleIndex"].get<std::size_t>());
    CHECK(rule["id"] == result["ruleId"]);
    for (const char *key : {"name", "shortDescription", "fullDescription", "help"}) {
      CHECK_MESSAGE(rule.contains(key), key);
    }
    CHECK(!rule["help"]["text"].get<std::string>().empty());
    CHECK(rule.contains("defaultConfiguration"));
  }
  CHECK(rules[1]["defaultConfiguration"]["level"] == "warning");
}

TEST_CASE("sarif: the primary location is relative to %SRCROOT% with a region") {
  json doc = sarif_of(rejected_report());
  const json &result = doc["runs"][0]["results"][0];
  CHECK(result["level"] == "error");
  CHECK(result["message"]["text"].get<std::string>().find("\nhint: add `if") != std::string::npos);
  const json &location = result["locations"][0];
  const json &physical = location["physicalLocation"];
  CHECK(physical["artifactLocation"]["uri"] == "xdp_parse.c");
  CHECK(physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(physical["region"]["startLine"] == 21);
  CHECK(physical["region"]["startColumn"] == 13);
  CHECK(physical["region"]["snippet"]["text"] == "\tif (eth->h_proto == bpf_htons(ETH_P_IP))");
  CHECK(location["logicalLocations"][0]["name"] == "xdp_proto_stats");
  CHECK(location["logicalLocations"][0]["fullyQualifiedName"] ==
        "build/xdp_parse.o:xdp/xdp_proto_stats");
  // Without a source line the object file is the artifact.
  const json &second = doc["runs"][0]["results"][1]["locations"][0]["physicalLocation"];
  CHECK(second["artifactLocation"]["uri"] == "build/xdp_parse.o");
  CHECK_FALSE(second.contains("region"));
}

TEST_CASE("sarif: the trace becomes a code flow") {
  json doc = sarif_of(rejected_report());
  const json &flow = doc["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"];
  REQUIRE(flow.size() == 6);
  CHECK(flow[0]["location"]["physicalLocation"]["region"]["startLine"] == 12);
  CHECK(flow[2]["location"]["message"]["text"] == "branch not taken: r3 <= r2 (instruction 4)");
  // A header outside the source root keeps an absolute file URI.
  CHECK(flow[3]["location"]["physicalLocation"]["artifactLocation"]["uri"] ==
        "file:///usr/include/bpf/parse_helpers.h");
  CHECK_FALSE(doc["runs"][0]["results"][1].contains("codeFlows"));
}

TEST_CASE("sarif: URIs are percent-encoded") {
  json doc = sarif_of(awkward_report());
  const json &result = doc["runs"][0]["results"][0];
  CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "dir%20with%20space/a%2Cb.c");
  // A rule outside the catalogue still gets a descriptor.
  CHECK(doc["runs"][0]["tool"]["driver"]["rules"][0]["name"] == "SomeFutureRule");
}

TEST_CASE("sarif: fingerprints are deterministic and survive line renumbering") {
  Report report = rejected_report();
  std::vector<std::string> before = fingerprints(sarif_of(report));
  CHECK(before == fingerprints(sarif_of(rejected_report())));
  CHECK(before[0].size() == 18); // 16 hex digits, ':', occurrence
  CHECK(before[0].substr(16) == ":1");
  report.programs[0].diagnostics[0].location->line += 7;
  report.programs[0].diagnostics[0].location->text = "  if (eth->h_proto ==  bpf_htons(ETH_P_IP))";
  CHECK(fingerprints(sarif_of(report)) == before);
}

TEST_CASE("sarif: identical findings on identical lines get distinct occurrences") {
  Report report = rejected_report();
  Diagnostic copy = report.programs[0].diagnostics[0];
  copy.location->line = 40;
  report.programs[0].diagnostics.push_back(copy);
  std::vector<std::string> prints = fingerprints(sarif_of(report));
  REQUIRE(prints.size() == 3);
  CHECK(prints[2].substr(0, 16) == prints[0].substr(0, 16));
  CHECK(prints[2].substr(16) == ":2");
  // Another rule on the same line hashes differently.
  report.programs[0].diagnostics[2].rule = "null-dereference";
  CHECK(fingerprints(sarif_of(report))[2].substr(0, 16) != prints[0].substr(0, 16));
}

TEST_CASE("sarif: input errors are tool execution notifications") {
  json doc = sarif_of(input_error_report());
  const json &invocation = doc["runs"][0]["invocations"][0];
  CHECK(invocation["executionSuccessful"] == false);
  CHECK(invocation["toolExecutionNotifications"][0]["level"] == "error");
  CHECK(invocation["toolExecutionNotifications"][0]["message"]["text"] ==
        "broken.o: error: not an ELF object (bad magic at offset 0)");
  const json &region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
  CHECK(region["startLine"] == 80);
  CHECK_FALSE(region.contains("startColumn")); // column 0 means unknown
}

TEST_CASE("sarif: a verified report has no results but a complete driver") {
  json doc = sarif_of(verified_report());
  CHECK(doc["runs"][0]["results"].empty());
  CHECK(doc["runs"][0]["tool"]["driver"]["rules"].empty());
}

} // namespace bpfcheck::test
