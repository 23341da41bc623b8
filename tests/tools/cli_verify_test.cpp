// bpfcheck's default mode, verification, as a user runs it: exit codes, the text diagnostics
// with source line, trace and summary, each output format's structure, -o, --print-invariants,
// and input errors beside good files. The programs used are the corpus's showcase pair
// (xdp_parse.o: a safe parser and its twin without a UDP bounds check).
#include "sarif_validator.h"
#include "verify_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace bpfcheck::test {
namespace {

using nlohmann::json;

const std::string kUnchecked = "-p xdp_proto_stats_unchecked ";
const std::string kSafe = "-p xdp_proto_stats ";

std::string xdp_parse() { return corpus_object("clang", "xdp_parse"); }

std::string temp_file(const std::string &name) {
  auto directory = std::filesystem::temp_directory_path() / "bpfcheck-tools-tests";
  std::filesystem::create_directories(directory);
  return (directory / name).string();
}

std::string read_text(const std::string &path) {
  std::vector<std::uint8_t> bytes = read_bytes(path);
  return {bytes.begin(), bytes.end()};
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("verify: a rejected program is explained at its source line, exit code 1") {
  CommandResult result = bpfcheck_in_source(kUnchecked + xdp_parse());
  CHECK(result.exit_code == 1);
  std::vector<std::string> lines = lines_of(result.output);
  REQUIRE(lines.size() >= 5);
  CHECK(lines[0] == xdp_parse() + ": In program 'xdp/xdp_proto_stats_unchecked':");
  // file:line:col: error: message [rule], then the source line and a caret under the column.
  CHECK(lines[1].rfind("corpus/xdp_parse.c:", 0) == 0);
  CHECK(contains(lines[1], ": error: "));
  CHECK(lines[1].ends_with("[packet-out-of-bounds]"));
  CHECK(contains(lines[2], " | "));
  CHECK(lines[3].ends_with("^"));
  CHECK(contains(result.output, "\n  trace: corpus/xdp_parse.c:"));
  CHECK(contains(result.output, "(branch not taken: if "));
  CHECK(lines.back().rfind(xdp_parse() + ": xdp/xdp_proto_stats_unchecked: rejected (", 0) == 0);
}

TEST_CASE("verify: exit code 0 when every selected program is verified") {
  CommandResult result = bpfcheck_in_source(kSafe + xdp_parse());
  CHECK(result.exit_code == 0);
  std::vector<std::string> lines = lines_of(result.output);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind(xdp_parse() + ": xdp/xdp_proto_stats: verified (", 0) == 0);
}

TEST_CASE("verify: an input error beside good files still reports them, exit code 2") {
  std::string garbage = temp_file("garbage.o");
  write_bytes(garbage, {'n', 'o', 't', ' ', 'E', 'L', 'F'});
  CommandResult result =
      bpfcheck_in_source(kUnchecked + "/nonexistent/prog.o " + garbage + " " + xdp_parse());
  CHECK(result.exit_code == 2);
  CHECK(contains(result.output, "bpfcheck: error: /nonexistent/prog.o: no such file"));
  CHECK(contains(result.output, "bpfcheck: error: " + garbage + ": "));
  CHECK(contains(result.output, "xdp/xdp_proto_stats_unchecked: rejected ("));
  // JSON and SARIF carry the errors too, so that their consumers know the run is incomplete.
  json report =
      json::parse(bpfcheck_in_source(
                      "--format json " + kUnchecked + "/nonexistent/prog.o " + xdp_parse(), false)
                      .output);
  CHECK(report["input_errors"].size() == 1);
  CHECK(report["programs"].size() == 1);
}

TEST_CASE("verify: usage errors exit with code 2") {
  CommandResult result = bpfcheck_in_source("--format xml " + xdp_parse());
  CHECK(result.exit_code == 2);
  CHECK(contains(result.output, "unknown format 'xml'"));
  CHECK(bpfcheck_in_source("-o /nonexistent/dir/report.txt " + kSafe + xdp_parse()).exit_code == 2);
}

TEST_CASE("verify: --format json has verdict, size, time, memory and traced diagnostics") {
  CommandResult result = bpfcheck_in_source("--format json " + kUnchecked + xdp_parse(), false);
  CHECK(result.exit_code == 1);
  json report = json::parse(result.output);
  REQUIRE(report["programs"].size() == 1);
  const json &program = report["programs"][0];
  CHECK(program["file"] == xdp_parse());
  CHECK(program["section"] == "xdp");
  CHECK(program["type"] == "xdp");
  CHECK(program["verdict"] == "rejected");
  CHECK(program["instructions"].get<int>() > 20);
  CHECK(program["analysis_microseconds"].is_number_unsigned());
  // Counted by the executable's allocation hooks: a real analysis allocates states.
  CHECK(program["peak_memory_bytes"].get<std::uint64_t>() > 1000);
  REQUIRE(program["diagnostics"].size() >= 1);
  const json &diagnostic = program["diagnostics"][0];
  CHECK(diagnostic["rule"] == "packet-out-of-bounds");
  CHECK(diagnostic["location"]["file"] == "corpus/xdp_parse.c");
  CHECK(!diagnostic["registers"].empty());
  REQUIRE(diagnostic["trace"].size() >= 2);
  CHECK(diagnostic["trace"][0]["instruction"] == 0);
  CHECK(diagnostic["trace"].back()["location"]["line"] == diagnostic["location"]["line"]);
  CHECK(report["input_errors"].empty());
}

TEST_CASE("verify: --format sarif has rules, relative locations, code flows and fingerprints") {
  CommandResult result = bpfcheck_in_source("--format sarif " + kUnchecked + xdp_parse(), false);
  CHECK(result.exit_code == 1);
  json log = json::parse(result.output);
  CHECK(log["version"] == "2.1.0");
  const json &run = log["runs"][0];
  CHECK(run["tool"]["driver"]["rules"][0]["id"] == "packet-out-of-bounds");
  REQUIRE(run["results"].size() >= 1);
  const json &sarif_result = run["results"][0];
  const json &physical = sarif_result["locations"][0]["physicalLocation"];
  CHECK(physical["artifactLocation"]["uri"] == "corpus/xdp_parse.c");
  CHECK(physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(physical["region"]["startLine"].get<int>() > 0);
  CHECK(sarif_result["codeFlows"][0]["threadFlows"][0]["locations"].size() >= 2);
  CHECK(sarif_result["partialFingerprints"]["primaryLocationLineHash"].is_string());
}

TEST_CASE("verify: --format csv has veristat's columns and the first rejection") {
  CommandResult result =
      bpfcheck_in_source("--format csv " + kSafe + kUnchecked + xdp_parse(), false);
  CHECK(result.exit_code == 1);
  std::vector<std::string> lines = lines_of(result.output);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].rfind("file_name,prog_name,verdict,duration,total_insns,total_states,"
                       "peak_states,section,prog_type,first_rule,first_line",
                       0) == 0);
  CHECK(lines[1].rfind(xdp_parse() + ",xdp_proto_stats,success,", 0) == 0);
  CHECK(lines[2].rfind(xdp_parse() + ",xdp_proto_stats_unchecked,failure,", 0) == 0);
  CHECK(contains(lines[2], ",xdp,xdp,packet-out-of-bounds,corpus/xdp_parse.c:"));
}

TEST_CASE("verify: -o writes the report to a file and nothing to stdout") {
  std::string path = temp_file("report.json");
  std::filesystem::remove(path);
  CommandResult result =
      bpfcheck_in_source("--format json -o " + path + " " + kUnchecked + xdp_parse());
  CHECK(result.exit_code == 1);
  CHECK(result.output.empty());
  json report = json::parse(read_text(path));
  CHECK(report["programs"][0]["verdict"] == "rejected");
}

TEST_CASE("verify: --print-invariants shows the state before each instruction") {
  CommandResult text = bpfcheck_in_source("--print-invariants " + kSafe + xdp_parse());
  CHECK(text.exit_code == 0);
  CHECK(contains(text.output, "  invariants:\n      0: r1=ctx(off=0) r10=stack(off=0)\n"));
  CHECK(contains(text.output, "=pkt(off=0)[r=14]")); // after the Ethernet header check
  json report = json::parse(
      bpfcheck_in_source("--format json --print-invariants " + kSafe + xdp_parse(), false).output);
  const json &invariants = report["programs"][0]["invariants"];
  REQUIRE(invariants.size() > 20);
  CHECK(invariants[0]["instruction"] == 0);
  CHECK(invariants[0]["state"] == "r1=ctx(off=0) r10=stack(off=0)");
  CHECK(invariants[0]["code"].is_string());
  // Without the flag there are none.
  json plain =
      json::parse(bpfcheck_in_source("--format json " + kSafe + xdp_parse(), false).output);
  CHECK_FALSE(plain["programs"][0].contains("invariants"));
}

TEST_CASE("verify: a directory verifies every program below it, with one summary line") {
  std::string directory = relative_corpus() + "/clang";
  CommandResult listing = bpfcheck_in_source("--list " + directory, false);
  std::size_t programs = lines_of(listing.output).size() - 1; // minus the header
  CommandResult csv = bpfcheck_in_source("--format csv " + directory, false);
  CHECK(lines_of(csv.output).size() == programs + 1);
  CommandResult text = bpfcheck_in_source(directory, false);
  CHECK(text.exit_code == 1); // the corpus holds unsafe twins: never all verified
  std::smatch match;
  std::string last = lines_of(text.output).back();
  REQUIRE(std::regex_match(last, match,
                           std::regex(R"((\d+) programs, (\d+) verified, (\d+) rejected)")));
  CHECK(std::stoul(match[1]) == programs);
  CHECK(std::stoul(match[2]) + std::stoul(match[3]) == programs);
}

TEST_CASE("verify: Microsoft's SARIF validator accepts a whole corpus run") {
  auto tool = sarif_validator(SARIF_MULTITOOL_PATH);
  if (!tool)
    return;
  CommandResult run = bpfcheck_in_source("--format sarif " + relative_corpus(), false);
  REQUIRE(run.exit_code == 1);
  auto validations = validate_sarif(*tool, {{"corpus", run.output}});
  for (const std::string &error : validations["corpus"].errors)
    FAIL_CHECK(error);
  for (const std::string &warning : validations["corpus"].warnings)
    MESSAGE("validator warning: " << warning);
}

} // namespace bpfcheck::test
