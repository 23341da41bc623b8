// The sample Reports: shaped like what the analyzer produces for tests in corpus/ (an XDP parser
// missing its bounds check), small enough to read in a golden file.
#include "sample_reports.h"

namespace bpfcheck::test {
namespace {

SourceLocation at(std::uint32_t line, std::uint32_t column, std::string text,
                  std::string file = "/src/proj/xdp_parse.c") {
  return SourceLocation{std::move(file), line, column, std::move(text)};
}

ProgramReport xdp_program(Verdict verdict) {
  ProgramReport program;
  program.file = "/src/proj/build/xdp_parse.o";
  program.section = "xdp";
  program.name = "xdp_proto_stats";
  program.type = "xdp";
  program.verdict = verdict;
  program.instructions = 98;
  program.analysis_microseconds = 412;
  program.peak_memory_bytes = 1 << 20;
  return program;
}

Diagnostic packet_diagnostic() {
  Diagnostic diagnostic;
  diagnostic.rule = "packet-out-of-bounds";
  diagnostic.message = "read of 2 bytes at packet offset 12 not proven below data_end";
  diagnostic.instruction = 17;
  diagnostic.location = at(21, 13, "\tif (eth->h_proto == bpf_htons(ETH_P_IP))");
  diagnostic.registers = {{"r1", "pkt(off=12, r=0)"}, {"r2", "pkt_end"}};
  diagnostic.hint = "add `if (data + 14 > data_end) return XDP_DROP;` before this access";
  diagnostic.trace = {
      {0, at(12, 26, "\tvoid *data = (void *)(long)ctx->data;"), ""},
      {1, at(13, 30, "\tvoid *data_end = (void *)(long)ctx->data_end;"), ""},
      {4, at(15, 6, "\tif (data + 1 > data_end)"), "branch not taken: r3 <= r2"},
      {9, at(4, 9, "\treturn eth->h_proto;", "/usr/include/bpf/parse_helpers.h"), ""},
      {16, at(21, 13, "\tif (eth->h_proto == bpf_htons(ETH_P_IP))"), ""},
      {17, at(21, 13, "\tif (eth->h_proto == bpf_htons(ETH_P_IP))"), ""},
  };
  return diagnostic;
}

} // namespace

Report verified_report() {
  Report report;
  report.programs.push_back(xdp_program(Verdict::Verified));
  report.programs.back().total_states = 41;
  report.programs.back().peak_states = 12;
  return report;
}

Report rejected_report() {
  Report report;
  ProgramReport rejected = xdp_program(Verdict::Rejected);
  rejected.diagnostics.push_back(packet_diagnostic());
  Diagnostic unsupported;
  unsupported.rule = "unsupported-feature";
  unsupported.severity = Severity::Warning;
  unsupported.message = "kfunc bpf_xdp_metadata_rx_hash is not modelled";
  unsupported.instruction = 40;
  rejected.diagnostics.push_back(unsupported);
  report.programs.push_back(rejected);

  ProgramReport verified = xdp_program(Verdict::Verified);
  verified.section = "xdp.frags";
  verified.name = "xdp_count";
  verified.instructions = 12;
  verified.analysis_microseconds = 35;
  report.programs.push_back(verified);
  return report;
}

Report input_error_report() {
  Report report;
  ProgramReport unfinished = xdp_program(Verdict::Error);
  unfinished.file = "/elsewhere/tc_prog.o";
  unfinished.section = "tc";
  unfinished.name = "classifier";
  unfinished.type = "sched_cls";
  unfinished.analysis_microseconds = 12'500'000;
  Diagnostic limit;
  limit.rule = "program-too-complex";
  limit.severity = Severity::Warning;
  limit.message = "time limit of 10 s reached after 1000000 instructions";
  limit.instruction = 55;
  limit.location = at(80, 0, "", "/elsewhere/tc_prog.c");
  unfinished.diagnostics.push_back(limit);
  report.programs.push_back(unfinished);
  report.input_errors.push_back("broken.o: error: not an ELF object (bad magic at offset 0)");
  return report;
}

Report awkward_report() {
  Report report;
  ProgramReport program = xdp_program(Verdict::Rejected);
  program.file = "/src/proj/dir with space/a,b.o";
  program.section = "xdp/\"odd\", section";
  program.name = "prog,with\"quotes\"";
  Diagnostic diagnostic;
  diagnostic.rule = "some-future-rule";
  diagnostic.message = "first, \"quoted\" part\nsecond line\twith tab, and ü";
  diagnostic.instruction = 3;
  diagnostic.location = at(7, 2, " x = \"a,b\";", "/src/proj/dir with space/a,b.c");
  diagnostic.registers = {{"r0", "scalar(umin=0,umax=1)"}};
  diagnostic.hint = "a hint, with \"quotes\"";
  program.diagnostics.push_back(diagnostic);
  report.programs.push_back(program);
  report.input_errors.push_back("x.o: error: \"quoted\", comma");
  return report;
}

TextOptions sample_text_options() {
  TextOptions options;
  options.current_directory = kSampleRoot;
  return options;
}

SarifOptions sample_sarif_options() {
  SarifOptions options;
  options.source_root = kSampleRoot;
  options.current_directory = kSampleRoot;
  return options;
}

CsvOptions sample_csv_options() { return CsvOptions{kSampleRoot}; }

} // namespace bpfcheck::test
