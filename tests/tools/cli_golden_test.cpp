// Golden output of real corpus runs in every format: a verified parser, its twin rejected for a
// missing packet bound, and a firewall rejected for a NULL dereference. Timings, heap sizes and
// the checkout's path are normalized (verify_support.h); BPFCHECK_UPDATE_GOLDEN=1 rewrites the
// files in tests/tools/golden (review them with git diff).
#include "golden.h"
#include "verify_support.h"

#include <doctest/doctest.h>

namespace bpfcheck::test {

TEST_CASE("golden: text, JSON, SARIF and CSV of three corpus programs") {
  std::string args = "-p xdp_proto_stats -p xdp_proto_stats_unchecked -p xdp_fw_ipv4_nullderef " +
                     corpus_object("clang", "xdp_parse") + " " +
                     corpus_object("clang", "xdp_firewall");
  for (std::string format : {"text", "json", "sarif", "csv"}) {
    CAPTURE(format);
    CommandResult result = bpfcheck_in_source("--format " + format + " " + args, false);
    CHECK(result.exit_code == 1);
    std::string output = normalize_output(result.output);
    CHECK(output.find(kSourceDir) == std::string::npos);
    check_golden("corpus_run." + (format == "text" ? std::string("txt") : format), output);
  }
}

} // namespace bpfcheck::test
