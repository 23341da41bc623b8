// known_false_alarms.hpp: the committed list of corpus programs the kernel accepts and bpfcheck
// rejects (tests/corpus/known_false_alarms.txt), and the ratchet that keeps it equal to what is
// measured: new false alarms and stale lines are both failures.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace corpus {

struct KnownFalseAlarm {
  std::string compiler;
  std::string object;
  std::string program;
  std::string rule;   // bpfcheck's rule on the program
  std::string reason; // why bpfcheck rejects it: the precision gap, in a few words

  std::string key() const { return compiler + " " + object + " " + program; }
};

struct KnownList {
  std::vector<std::string> header; // leading '#' lines, kept on rewrite
  std::vector<KnownFalseAlarm> entries;
  std::vector<std::string> errors; // malformed lines
};

// Lines "COMPILER OBJECT PROGRAM RULE REASON...", whitespace-separated; '#' starts a comment.
KnownList read_known(const std::string &path);
// Writes the list sorted, columns aligned; false when the file cannot be written.
bool write_known(const std::string &path, const KnownList &list);

struct Ratchet {
  std::vector<KnownFalseAlarm> regressions; // measured, not listed
  std::vector<KnownFalseAlarm> stale;       // listed, no longer a false alarm
  // Listed with another rule than measured: {listed, measured}.
  std::vector<std::pair<KnownFalseAlarm, KnownFalseAlarm>> rule_changes;
  bool clean() const { return regressions.empty() && stale.empty() && rule_changes.empty(); }
};

// Compares the listed entries of `compiler` with the measured false alarms of that compiler.
Ratchet compare(const KnownList &listed, const std::vector<KnownFalseAlarm> &measured,
                const std::string &compiler);

// `listed` with the entries of `compiler` replaced by `measured`, keeping the reasons of the
// programs that stay listed; new ones get "not analysed yet".
KnownList updated(const KnownList &listed, const std::vector<KnownFalseAlarm> &measured,
                  const std::string &compiler);

} // namespace corpus
