// Compiler-style text: paths shortened against the current directory, the caret under the
// column (tabs copied), colour only on request, and traces kept to one readable line.
#include "render.h"
#include "sample_reports.h"

#include <doctest/doctest.h>

#include <cstdio>

namespace bpfcheck::test {

TEST_CASE("text: diagnostic line, excerpt, caret and summary") {
  std::string text = render_text(rejected_report(), sample_text_options());
  CHECK(text.find("xdp_parse.c:21:13: error: read of 2 bytes") != std::string::npos);
  CHECK(text.find("[packet-out-of-bounds]\n") != std::string::npos);
  // The caret line keeps the source's leading tab, then 11 spaces to column 13.
  CHECK(text.find("   21 | \tif (eth->h_proto") != std::string::npos);
  CHECK(text.find("      | \t           ^\n") != std::string::npos);
  CHECK(text.find("  r1 = pkt(off=12, r=0)\n") != std::string::npos);
  CHECK(text.find("  hint: add `if (data + 14") != std::string::npos);
  CHECK(text.find("build/xdp_parse.o: xdp/xdp_proto_stats: rejected (1 error, 1 warning, 98 "
                  "instructions, 0.4 ms)") != std::string::npos);
  CHECK(text.find("build/xdp_parse.o: xdp.frags/xdp_count: verified (12 instructions, 35 us)") !=
        std::string::npos);
  CHECK(text.find("\033[") == std::string::npos);
}

TEST_CASE("text: the trace is one line, the file repeated only where it changes") {
  std::string text = render_text(rejected_report(), sample_text_options());
  CHECK(text.find("  trace: xdp_parse.c:12 -> :13 -> :15 (branch not taken: r3 <= r2) -> "
                  "/usr/include/bpf/parse_helpers.h:4 -> xdp_parse.c:21\n") != std::string::npos);
}

TEST_CASE("text: long traces keep their start and end") {
  Report report = rejected_report();
  auto &trace = report.programs[0].diagnostics[0].trace;
  trace.clear();
  for (std::uint32_t i = 0; i < 40; ++i) {
    trace.push_back({i, SourceLocation{"/src/proj/loop.c", 100 + i, 1, "x++;"}, ""});
  }
  std::string text = render_text(report, sample_text_options());
  CHECK(text.find("trace: loop.c:100 -> :101") != std::string::npos);
  CHECK(text.find("-> ... 26 more ... -> :132") != std::string::npos);
  CHECK(text.find(":139\n") != std::string::npos);
}

TEST_CASE("text: paths outside the current directory stay as given") {
  std::string text = render_text(input_error_report(), sample_text_options());
  CHECK(text.find("/elsewhere/tc_prog.c:80: warning: time limit") != std::string::npos);
  CHECK(text.find("broken.o: error: not an ELF object") != std::string::npos);
  CHECK(text.find("tc/classifier: error (1 warning, 98 instructions, 12.50 s)") !=
        std::string::npos);
  TextOptions unshortened;
  unshortened.current_directory = "";
  CHECK(render_text(verified_report(), unshortened).rfind("/src/proj/build/xdp_parse.o", 0) == 0);
}

TEST_CASE("text: relative source paths print without ./") {
  Report report = rejected_report();
  report.programs[0].diagnostics[0].location->file = "./src/../xdp_parse.c";
  CHECK(render_text(report, sample_text_options()).find("\nxdp_parse.c:21:13: error:") !=
        std::string::npos);
}

TEST_CASE("text: diagnostics without a source line name the object and instruction") {
  std::string text = render_text(rejected_report(), sample_text_options());
  CHECK(text.find("build/xdp_parse.o: insn 40: warning: kfunc bpf_xdp_metadata_rx_hash") !=
        std::string::npos);
}

TEST_CASE("text: verbose mode prints a header and one note per trace step") {
  TextOptions options = sample_text_options();
  options.verbose = true;
  std::string text = render_text(rejected_report(), options);
  CHECK(text.find("build/xdp_parse.o: program 'xdp/xdp_proto_stats' (xdp, 98 instructions):") !=
        std::string::npos);
  CHECK(text.find("xdp_parse.c:15:6: note: branch not taken: r3 <= r2 [insn 4]\n   15 | ") !=
        std::string::npos);
  // Steps 16 and 17 share line 21: one note.
  CHECK(text.find("xdp_parse.c:21:13: note: path continues here [insn 16]") != std::string::npos);
  CHECK(text.find("[insn 17]") == std::string::npos);
}

TEST_CASE("text: colour uses ANSI escapes only when asked, never for a file") {
  TextOptions options = sample_text_options();
  options.color = true;
  std::string text = render_text(rejected_report(), options);
  CHECK(text.find("\033[1;31merror:\033[0m") != std::string::npos);
  CHECK(text.find("\033[1;32m^\033[0m") != std::string::npos);
  std::FILE *file = std::tmpfile();
  REQUIRE(file != nullptr);
  CHECK_FALSE(should_use_color(file));
  std::fclose(file);
  CHECK_FALSE(should_use_color(nullptr));
}

TEST_CASE("text: output format names") {
  CHECK(parse_output_format("text") == OutputFormat::Text);
  CHECK(parse_output_format("json") == OutputFormat::Json);
  CHECK(parse_output_format("sarif") == OutputFormat::Sarif);
  CHECK(parse_output_format("csv") == OutputFormat::Csv);
  CHECK_FALSE(parse_output_format("xml").has_value());
}

} // namespace bpfcheck::test
