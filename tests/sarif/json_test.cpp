// JSON parses back with every field of the Report, in a fixed key order, and survives strings
// with quotes, newlines and bytes that are not UTF-8.
#include "render.h"
#include "sample_reports.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace bpfcheck::test {

using nlohmann::json;

TEST_CASE("json: parses back with the program and diagnostic fields") {
  json doc = json::parse(render_json(rejected_report()));
  CHECK(doc["version"] == 1);
  CHECK(doc["tool"]["name"] == "bpfcheck");
  CHECK(doc["tool"]["version"] == std::string(kToolVersion));
  REQUIRE(doc["programs"].size() == 2);
  const json &program = doc["programs"][0];
  CHECK(program["file"] == "/src/proj/build/xdp_parse.o");
  CHECK(program["verdict"] == "rejected");
  CHECK(program["instructions"] == 98);
  CHECK(program["analysis_microseconds"] == 412);
  CHECK(program["peak_memory_bytes"] == 1 << 20);
  CHECK_FALSE(program.contains("total_states"));
  const json &diagnostic = program["diagnostics"][0];
  for (const char *key :
       {"rule", "severity", "message", "instruction", "location", "registers", "hint", "trace"}) {
    CHECK_MESSAGE(diagnostic.contains(key), key);
  }
  CHECK(diagnostic["location"]["line"] == 21);
  CHECK(diagnostic["location"]["column"] == 13);
  CHECK(diagnostic["registers"][0]["value"] == "pkt(off=12, r=0)");
  CHECK(diagnostic["trace"].size() == 6);
  CHECK(diagnostic["trace"][2]["note"] == "branch not taken: r3 <= r2");
  CHECK(program["diagnostics"][1]["location"].is_null());
  CHECK(program["diagnostics"][1]["severity"] == "warning");
  CHECK(doc["input_errors"].empty());
}

TEST_CASE("json: top-level keys come in a stable order") {
  json doc = json::parse(render_json(verified_report()));
  std::vector<std::string> keys;
  nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(render_json(verified_report()));
  for (const auto &item : ordered.items()) {
    keys.push_back(item.key());
  }
  CHECK(keys == std::vector<std::string>{"version", "tool", "programs", "input_errors"});
  CHECK(doc["programs"][0]["total_states"] == 41);
  CHECK(doc["programs"][0]["peak_states"] == 12);
  CHECK(render_json(rejected_report()) == render_json(rejected_report()));
}

TEST_CASE("json: awkward strings and input errors round-trip") {
  Report report = awkward_report();
  json doc = json::parse(render_json(report));
  CHECK(doc["programs"][0]["name"] == report.programs[0].name);
  CHECK(doc["programs"][0]["diagnostics"][0]["message"] ==
        report.programs[0].diagnostics[0].message);
  CHECK(doc["input_errors"][0] == report.input_errors[0]);
}

TEST_CASE("json: invalid UTF-8 in source text is replaced, not thrown") {
  Report report = rejected_report();
  report.programs[0].diagnostics[0].location->text = "bad \xff\xfe byte";
  std::string text;
  CHECK_NOTHROW(text = render_json(report));
  CHECK(json::accept(text));
}

TEST_CASE("json: paths below the current directory print relative, others unchanged") {
  JsonOptions options;
  options.current_directory = "/src/proj";
  Report report = rejected_report();
  report.programs[1].file = "/elsewhere/other.o";
  json doc = json::parse(render_json(report, options));
  CHECK(doc["programs"][0]["file"] == "build/xdp_parse.o");
  const json &diagnostic = doc["programs"][0]["diagnostics"][0];
  CHECK(diagnostic["location"]["file"] == "xdp_parse.c");
  CHECK(diagnostic["trace"][0]["location"]["file"] == "xdp_parse.c");
  CHECK(doc["programs"][1]["file"] == "/elsewhere/other.o");
}

TEST_CASE("json and text: invariants list the instruction and the state before it") {
  Report report = verified_report();
  report.programs[0].invariants = {{0, "r0 = 0x0", "r1=ctx(off=0) r10=stack(off=0)"},
                                   {1, "exit", "r0=scalar(0) r1=ctx(off=0) r10=stack(off=0)"}};
  json doc = json::parse(render_json(report));
  const json &invariants = doc["programs"][0]["invariants"];
  REQUIRE(invariants.size() == 2);
  CHECK(invariants[1]["instruction"] == 1);
  CHECK(invariants[1]["code"] == "exit");
  CHECK(invariants[1]["state"] == "r0=scalar(0) r1=ctx(off=0) r10=stack(off=0)");
  std::string text = render_text(report, sample_text_options());
  CHECK(text.find("  invariants:\n"
                  "      0: r1=ctx(off=0) r10=stack(off=0)\n"
                  "         r0 = 0x0\n"
                  "      1: r0=scalar(0) r1=ctx(off=0) r10=stack(off=0)\n"
                  "         exit\n") != std::string::npos);
}

} // namespace bpfcheck::test
