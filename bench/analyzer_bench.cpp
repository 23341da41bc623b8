// bpfcheck-bench-analyzer: how the analyzer's time and memory scale (issue 4's bars). Analyzes
// generated programs (straight-line chain and diamond chain at about 1k, 10k and 100k
// instructions, a 10k mixed datapath program) and, given a corpus directory, every program in
// it. Each case runs in a forked child: peak memory is that child's maxrss minus the maxrss of
// a twin child that only builds the program; times are CPU time, median of 5 runs (3 at 100k).
// Prints Markdown tables; the bars are reported, never asserted: the exit status is non-zero
// only when a case crashed.
//
//   bpfcheck-bench-analyzer [--kernel] [--only WORD] [--timeout SEC] [CORPUS_DIR]
//   --kernel: also load each generated program into the running kernel (root) and time it.
//   --only WORD: only the generated cases whose name contains WORD ("mixed", "100k", ...).
#include "child_process.h"
#include "corpus_timing.h"
#include "generators.h"
#include "kernel_load.h"

#include "analyzer/analyze.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace bpfcheck;
using namespace bpfcheck::bench;

namespace {

struct Case {
  std::string family; // "straight chain", "diamond chain", "mixed", ...
  std::size_t size;
  Program (*make)(std::size_t);
  int runs;
};

struct Measured {
  const Case *c = nullptr;
  std::size_t instructions = 0;
  std::string verdict;
  double seconds = -1; // median; < 0 when the case did not finish
  long peak_kb = 0;
  std::string kernel;
  bool crashed = false;
};

// The analyzer's verdict in one short phrase: "verified" or "rejected: RULE at N (+M more)".
std::string verdict_of(const analyzer::AnalysisResult &r) {
  if (r.verified())
    return "verified";
  const Diagnostic &d = r.diagnostics.front();
  std::string v = "rejected: " + d.rule + " at " + std::to_string(d.instruction);
  if (r.diagnostics.size() > 1)
    v += " (+" + std::to_string(r.diagnostics.size() - 1) + " more)";
  return v;
}

// In the child: builds the program, analyzes it `runs` times; "INSNS\tVERDICT\tMEDIAN".
std::string analyze_case(const Case &c) {
  const Program p = c.make(c.size);
  std::vector<double> times;
  std::string verdict;
  for (int i = 0; i < c.runs; ++i) {
    const double start = cpu_seconds();
    auto r = analyzer::analyze(p);
    times.push_back(cpu_seconds() - start);
    verdict = r ? verdict_of(*r) : "error: " + r.error();
  }
  std::sort(times.begin(), times.end());
  std::ostringstream out;
  out << p.instructions.size() << "\t" << verdict << "\t" << times[times.size() / 2];
  return out.str();
}

std::string kernel_column(const Case &c) {
  const KernelResult k = load_into_kernel(c.make(c.size));
  char time[32];
  std::snprintf(time, sizeof time, "%.3f s", k.seconds);
  // "processed N insns (limit ...) ...": the kernel's count of instructions walked.
  std::string walked;
  if (const auto n = k.processed.find(' '); n != std::string::npos)
    walked = ", " + k.processed.substr(n + 1, k.processed.find(' ', n + 1) - n - 1) + " walked";
  if (k.accepted)
    return std::string("accepted, ") + time + walked;
  return "rejected: " + k.message;
}

Measured measure(const Case &c, unsigned timeout, bool kernel) {
  Measured m{&c};
  const ChildResult base =
      run_in_child([&] { return std::to_string(c.make(c.size).instructions.size()); }, timeout);
  const ChildResult run = run_in_child([&] { return analyze_case(c); }, timeout);
  m.instructions = std::strtoull(base.output.c_str(), nullptr, 10);
  m.peak_kb = std::max(0L, run.max_rss_kb - base.max_rss_kb);
  if (run.status == ChildResult::Status::Crashed) {
    m.crashed = true;
    m.verdict = "CRASHED (" + run.signal + ")";
  } else if (run.status == ChildResult::Status::TimedOut) {
    m.verdict = "timed out after " + std::to_string(timeout) + " s";
  } else if (run.exit_code != 0) {
    m.verdict = run.output;
  } else {
    std::istringstream fields(run.output);
    std::string insns;
    std::getline(fields, insns, '\t');
    std::getline(fields, m.verdict, '\t');
    fields >> m.seconds;
  }
  if (kernel)
    m.kernel = kernel_column(c);
  return m;
}

std::string seconds_text(double s) {
  char text[32];
  if (s < 0)
    return "-";
  std::snprintf(text, sizeof text, s < 1 ? "%.1f ms" : "%.2f s", s < 1 ? s * 1e3 : s);
  return text;
}

std::string memory_text(long kb) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(kb) / 1024);
  return text;
}

void print_cases(const std::vector<Measured> &all, bool kernel) {
  std::printf("| program | instructions | bpfcheck verdict | analysis CPU time | peak memory |%s\n",
              kernel ? " kernel (Linux verifier) |" : "");
  std::printf("|---|---|---|---|---|%s\n", kernel ? "---|" : "");
  for (const Measured &m : all) {
    std::string time = seconds_text(m.seconds);
    if (m.c->runs > 1 && m.seconds >= 0)
      time += " (median of " + std::to_string(m.c->runs) + ")";
    std::printf("| %s %zuk | %zu | %s | %s | %s |", m.c->family.c_str(), m.c->size / 1000,
                m.instructions, m.verdict.c_str(), time.c_str(), memory_text(m.peak_kb).c_str());
    std::printf("%s\n", kernel ? (" " + m.kernel + " |").c_str() : "");
  }
}

const Measured *find(const std::vector<Measured> &all, const std::string &family, size_t size) {
  for (const Measured &m : all)
    if (m.c->family == family && m.c->size == size)
      return &m;
  return nullptr;
}

void print_bars(const std::vector<Measured> &all) {
  std::printf("\nBars (reported, not asserted):\n");
  for (const char *family : {"straight chain", "diamond chain"}) {
    const Measured *small = find(all, family, 10000), *large = find(all, family, 100000);
    if (!small && !large)
      continue;
    if (!small || !large || small->seconds <= 0 || large->seconds < 0) {
      std::printf("- %s 10k -> 100k: not measured (a case did not finish)\n", family);
      continue;
    }
    const double ratio = large->seconds / small->seconds;
    std::printf("- %s 10k -> 100k: time x%.1f, memory x%.1f (bar: time <= 15x: %s)\n", family,
                ratio,
                small->peak_kb > 0 ? static_cast<double>(large->peak_kb) / small->peak_kb : 0.0,
                ratio <= 15 ? "met" : "MISSED");
  }
  if (const Measured *m = find(all, "mixed", 10000)) {
    const bool met = m->seconds >= 0 && m->seconds < 0.5 && m->peak_kb < 100 * 1024;
    std::printf("- mixed 10k: %s, %s, %s (bar: < 0.5 s and < 100 MB: %s)\n", m->verdict.c_str(),
                seconds_text(m->seconds).c_str(), memory_text(m->peak_kb).c_str(),
                met ? "met" : "MISSED");
  }
}

} // namespace

int main(int argc, char **argv) {
  bool kernel = false;
  unsigned timeout = 600;
  std::string corpus_dir, only;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--kernel"))
      kernel = true;
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
      only = argv[++i];
    else if (!std::strcmp(argv[i], "--timeout") && i + 1 < argc)
      timeout = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: %s [--kernel] [--only WORD] [--timeout SEC] [CORPUS_DIR]\n",
                   argv[0]);
      return 2;
    } else
      corpus_dir = argv[i];
  }
  static const std::vector<Case> kCases = {
      {"straight chain", 1000, straight_chain, 5},
      {"straight chain", 10000, straight_chain, 5},
      {"straight chain", 100000, straight_chain, 3},
      {"diamond chain", 1000, diamond_chain, 5},
      {"diamond chain", 10000, diamond_chain, 5},
      {"diamond chain", 100000, diamond_chain, 3},
      {"mixed", 10000, mixed, 5},
      {"mixed, one unchecked read,", 10000, mixed_one_unchecked_read, 5}};
  std::vector<Measured> all;
  bool crashed = false;
  for (const Case &c : kCases) {
    if ((c.family + " " + std::to_string(c.size / 1000) + "k").find(only) == std::string::npos)
      continue;
    all.push_back(measure(c, timeout, kernel));
    crashed |= all.back().crashed;
    std::fprintf(stderr, "measured %s %zu\n", c.family.c_str(), c.size);
  }
  print_cases(all, kernel);
  print_bars(all);
  if (!corpus_dir.empty())
    crashed |= !report_corpus(corpus_dir, timeout);
  return crashed ? 1 : 0;
}
