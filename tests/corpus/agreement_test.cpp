// agreement_test.cpp: bpfcheck against the running kernel on every corpus program (issue 4,
// section 7): prints the confusion matrix per compiler, fails on any program bpfcheck accepts
// and the kernel rejects, on any rejection without a source line, and when the false alarms
// differ from tests/corpus/known_false_alarms.txt (BPFCHECK_UPDATE_KNOWN=1 rewrites it). Writes
// the matrix as Markdown to <build>/corpus/agreement.md (tools/agreement-table.sh prints it).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include "agreement.hpp"
#include "known_false_alarms.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace {

const std::string kCorpusDir = BPFCHECK_CORPUS_DIR;
const std::string kLoader = BPFCHECK_KERNEL_VERDICT;
const std::string kKnownList = BPFCHECK_KNOWN_FALSE_ALARMS;
const char *const kCompilers[] = {"clang", "gcc"};

std::string display_name(const std::string &compiler) {
  return compiler == "clang" ? "clang-16" : "bpf-gcc 12";
}

std::string name(const corpus::ProgramAgreement &p) {
  return p.compiler + "/" + p.object + ".o " + p.program;
}

std::string percent(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", rate * 100);
  return text;
}

std::string matrix_row(const std::string &compiler, const corpus::Matrix &m) {
  std::ostringstream row;
  row << "| " << display_name(compiler) << " | " << m.judged() << " | " << m.both_accept << " | "
      << m.both_reject << " | " << m.false_alarms << " | " << m.unsound << " | "
      << percent(m.false_alarm_rate()) << " |";
  return row.str();
}

// The false alarms as known-list entries, without reasons.
std::vector<corpus::KnownFalseAlarm> false_alarms(const corpus::Measurement &m) {
  std::vector<corpus::KnownFalseAlarm> out;
  for (const auto &p : m.programs)
    if (p.outcome() == corpus::Outcome::FalseAlarm)
      out.push_back({p.compiler, p.object, p.program, p.rule, ""});
  return out;
}

void check_soundness_and_lines(const corpus::Measurement &m) {
  for (const auto &p : m.programs) {
    if (p.outcome() == corpus::Outcome::Unsound)
      FAIL_CHECK("unsound: bpfcheck accepts " << name(p) << ", the kernel rejects it: '"
                                              << p.kernel.message << "' at '" << p.kernel.line
                                              << "'");
    for (const auto &d : p.unlocated)
      FAIL_CHECK("rejection without a source line: " << name(p) << ": " << d);
  }
}

void print_rule_mismatches(const corpus::Measurement &m) {
  size_t compared = 0, mismatches = 0;
  std::string list;
  for (const auto &p : m.programs) {
    if (p.outcome() != corpus::Outcome::BothReject || p.expected_rule.empty())
      continue;
    ++compared;
    if (p.rule == p.expected_rule)
      continue;
    ++mismatches;
    list += "\n  " + name(p) + ": " + p.rule + " (expected " + p.expected_rule + ") at " +
            (p.location.empty() ? "no line" : p.location) + ": " + p.message;
  }
  MESSAGE(display_name(m.compiler)
          << ": bpfcheck's rule is the expected one on " << compared - mismatches << " of "
          << compared << " unsafe programs both reject" << list);
}

// Where both reject an unsafe program: does bpfcheck blame the source line the kernel blames?
// Only where bpfcheck's line table carries the text (BTF line_info; not gcc's DWARF).
void print_line_mismatches(const corpus::Measurement &m) {
  size_t compared = 0, mismatches = 0;
  std::string list;
  for (const auto &p : m.programs) {
    if (p.outcome() != corpus::Outcome::BothReject || p.expected_line.empty() ||
        p.line_text.empty())
      continue;
    ++compared;
    if (p.line_text.find(p.expected_line) != std::string::npos)
      continue;
    ++mismatches;
    list += "\n  " + name(p) + ": bpfcheck blames '" + p.line_text + "' at " + p.location +
            ", the kernel '" + p.expected_line + "'";
  }
  MESSAGE(display_name(m.compiler)
          << ": bpfcheck blames the kernel's source line on " << compared - mismatches << " of "
          << compared << " unsafe programs both reject" << list);
}

// Compares the measured false alarms with the committed list, or rewrites the list when
// BPFCHECK_UPDATE_KNOWN=1; returns the list as it stands afterwards.
corpus::KnownList ratchet(const corpus::Measurement &m) {
  auto known = corpus::read_known(kKnownList);
  for (const auto &e : known.errors)
    FAIL_CHECK(e);
  const auto measured = false_alarms(m);
  const char *update = std::getenv("BPFCHECK_UPDATE_KNOWN");
  if (update && std::string(update) == "1") {
    known = corpus::updated(known, measured, m.compiler);
    CHECK_MESSAGE(corpus::write_known(kKnownList, known), "cannot write " << kKnownList);
    MESSAGE("rewrote the " << display_name(m.compiler) << " lines of " << kKnownList);
    return known;
  }
  const auto r = corpus::compare(known, measured, m.compiler);
  for (const auto &e : r.regressions)
    FAIL_CHECK("new false alarm (regression): the kernel accepts "
               << e.key() << ", bpfcheck "
               << "rejects it with " << e.rule << "; fix it, or list it in " << kKnownList);
  for (const auto &e : r.stale)
    FAIL_CHECK("stale line in " << kKnownList << ": " << e.key()
                                << " is no longer a false alarm; delete its line");
  for (const auto &[listed, now] : r.rule_changes)
    FAIL_CHECK(listed.key() << ": listed with rule " << listed.rule << ", bpfcheck now says "
                            << now.rule << "; update its line in " << kKnownList);
  if (!r.clean())
    MESSAGE("BPFCHECK_UPDATE_KNOWN=1 rewrites " << kKnownList << " (keeping the reasons)");
  return known;
}

std::string fragment_path(const std::string &compiler) {
  return kCorpusDir + "/agreement-" + compiler + ".md";
}

// Writes this compiler's part (lines "row|...", "alarm|...", "unsound|..."), then agreement.md
// from every compiler's latest part. False alarms are the measured ones, with the list's reasons.
void write_markdown(const corpus::Measurement &m, const corpus::KnownList &known) {
  {
    std::ofstream part(fragment_path(m.compiler));
    part << "row|" << matrix_row(m.compiler, corpus::matrix(m)) << "\n";
    std::map<std::string, std::string> messages; // bpfcheck's, by KnownFalseAlarm::key()
    for (const auto &p : m.programs)
      messages[p.compiler + " " + p.object + " " + p.program] = p.message;
    for (const auto &e : corpus::updated(known, false_alarms(m), m.compiler).entries)
      if (e.compiler == m.compiler)
        part << "alarm|| " << display_name(e.compiler) << " | " << e.object << " | " << e.program
             << " | `" << e.rule << "` | " << messages[e.key()] << " | " << e.reason << " |\n";
    for (const auto &p : m.programs)
      if (p.outcome() == corpus::Outcome::Unsound)
        part << "unsound|| " << display_name(p.compiler) << " | " << p.object << " | " << p.program
             << " | " << p.kernel.message << " |\n";
  }
  std::map<std::string, std::string> sections;
  for (const char *compiler : kCompilers) {
    std::ifstream in(fragment_path(compiler));
    for (std::string line; std::getline(in, line);)
      if (const auto bar = line.find('|'); bar != std::string::npos)
        sections[line.substr(0, bar)] += line.substr(bar + 1) + "\n";
  }
  std::ofstream out(kCorpusDir + "/agreement.md");
  out << "| build | programs | both accept | both reject | only the kernel accepts (false "
         "alarm) | only bpfcheck accepts (unsound) | false alarm rate |\n"
         "|---|---|---|---|---|---|---|\n"
      << sections["row"]
      << "\nFalse alarm rate: false alarms among the programs the kernel accepts.\n";
  if (!sections["unsound"].empty())
    out << "\nUnsound (bpfcheck accepts, the kernel rejects):\n\n"
           "| build | object | program | the kernel's message |\n|---|---|---|---|\n"
        << sections["unsound"];
  if (!sections["alarm"].empty())
    out << "\nFalse alarms (the kernel accepts, bpfcheck rejects):\n\n"
           "| build | object | program | bpfcheck's rule | bpfcheck's message | known precision "
           "gap |\n|---|---|---|---|---|---|\n"
        << sections["alarm"];
}

void check_build(const std::string &compiler) {
  if (const auto why = corpus::kernel_unavailable(kLoader)) {
    MESSAGE("skipped: " << *why);
    return;
  }
  const auto manifest = corpus::read_manifest(kCorpusDir + "/manifest.txt");
  REQUIRE_MESSAGE(manifest.has_value(), "no corpus manifest in " << kCorpusDir);
  if (compiler == "gcc" && manifest->gcc.empty()) {
    MESSAGE("skipped: bpf-gcc was not found at configure time");
    return;
  }
  const auto m = corpus::measure(kCorpusDir, kLoader, compiler, *manifest);
  for (const auto &e : m.errors)
    FAIL_CHECK(e);
  const auto x = corpus::matrix(m);
  MESSAGE(display_name(compiler)
          << " against the running kernel: " << x.judged() << " programs; both accept "
          << x.both_accept << ", both reject " << x.both_reject << ", only the kernel accepts "
          << x.false_alarms << " (false alarm rate " << percent(x.false_alarm_rate())
          << "), only bpfcheck accepts " << x.unsound << " (unsound)"
          << (x.unloadable ? ", not loadable: " + std::to_string(x.unloadable) : ""));
  check_soundness_and_lines(m);
  print_rule_mismatches(m);
  print_line_mismatches(m);
  write_markdown(m, ratchet(m));
}

} // namespace

TEST_CASE("agreement: the clang build, bpfcheck against the running kernel") {
  check_build("clang");
}

TEST_CASE("agreement: the bpf-gcc build, bpfcheck against the running kernel") {
  check_build("gcc");
}
