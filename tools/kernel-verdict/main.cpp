// main.cpp: bpfcheck-kernel-verdict, the kernel oracle of the corpus tests. Loads each program
// of each object alone into the running kernel and prints one CSV row per program:
//   file,program,prog_type,verdict,insns_processed,message,line
#include "kernel_verdict.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

std::string csv_field(const std::string &text) {
  if (text.find_first_of(",\"\n") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (const char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' ? ' ' : c);
  return quoted + "\"";
}

void print_row(const std::string &file, const kernel_verdict::Verdict &v) {
  const std::string insns = v.insns_processed >= 0 ? std::to_string(v.insns_processed) : "";
  printf("%s,%s,%s,%s,%s,%s,%s\n", csv_field(file).c_str(), csv_field(v.program).c_str(),
         v.prog_type.c_str(), v.verdict.c_str(), insns.c_str(), csv_field(v.message).c_str(),
         csv_field(v.line).c_str());
}

int usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s [--program NAME]... [--caps LIST] [--no-header] [-v] [--log-level N] OBJ...\n"
          "  --program NAME  load only this program (function name); repeatable\n"
          "  --caps LIST     effective capabilities while loading, e.g. bpf,net_admin\n"
          "                  (names: bpf perfmon net_admin net_raw sys_admin sys_resource)\n"
          "  -v              print each verifier log to stderr\n"
          "  --log-level N   verifier log level (default 1; 2 logs every state, for -v)\n"
          "Prints CSV: file,program,prog_type,verdict,insns_processed,message,line\n"
          "verdict: accepted | rejected (the verifier refused) | unloadable (it never ran)\n",
          argv0);
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  kernel_verdict::Options options;
  bool header = true;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--program" && i + 1 < argc) {
      options.programs.emplace_back(argv[++i]);
    } else if (arg == "--caps" && i + 1 < argc) {
      const auto caps = kernel_verdict::parse_capabilities(argv[++i]);
      if (!caps) {
        fprintf(stderr, "unknown capability in '%s'\n", argv[i]);
        return 2;
      }
      options.caps = *caps;
    } else if (arg == "--log-level" && i + 1 < argc) {
      options.log_level = std::atoi(argv[++i]);
    } else if (arg == "--no-header") {
      header = false;
    } else if (arg == "-v") {
      options.verbose = true;
    } else if (arg.rfind("-", 0) == 0) {
      return usage(argv[0]);
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty())
    return usage(argv[0]);
  if (header)
    printf("file,program,prog_type,verdict,insns_processed,message,line\n");
  for (const auto &file : files) {
    std::string why;
    auto verdicts = kernel_verdict::load_with_libbpf(file, options, why);
    if (!verdicts)
      verdicts = kernel_verdict::load_legacy(file, options);
    for (const auto &verdict : *verdicts)
      print_row(file, verdict);
  }
  return 0;
}
