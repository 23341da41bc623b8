// agreement.hpp: bpfcheck's verdict on every corpus program beside the running kernel's, and the
// confusion matrix they make (both accept, both reject, false alarm, unsound). Read by
// agreement_test.cpp, which fails on unsound verdicts and rejections without a source line.
#pragma once

#include "corpus_expectations.hpp"

#include <string>
#include <vector>

namespace corpus {

enum class Outcome {
  BothAccept,
  BothReject,
  FalseAlarm, // only the kernel accepts
  Unsound,    // only bpfcheck accepts
  Unloadable, // the kernel never ran its verifier (map creation failed, ...): not counted
};

struct ProgramAgreement {
  std::string compiler; // "clang" or "gcc", the corpus build directory
  std::string object;   // corpus object name, without directory and ".o"
  std::string program;
  KernelVerdict kernel; // verdict: accepted, rejected or unloadable
  bool bpfcheck_accepts = false;
  // bpfcheck's first diagnostic (lowest instruction), or the frontend's error ("input-error").
  std::string rule;
  std::string message;
  std::string location;  // "file:line" of that diagnostic, empty when it has none
  std::string line_text; // that source line's text, when the line table carries it
  // Every diagnostic without a source line, as "rule at instruction N: message".
  std::vector<std::string> unlocated;
  std::string expected_rule; // the corpus expectation's rule when it expects a rejection
  std::string expected_line; // and a snippet of the source line the kernel blames

  Outcome outcome() const;
};

struct Measurement {
  std::string compiler;
  std::vector<ProgramAgreement> programs;
  std::vector<std::string> errors; // the oracle failed or did not report a program
};

// Analyzes every program of every object of one corpus build and asks the kernel about each.
// gcc objects carry no decl tags: they take the expectations of the clang object.
Measurement measure(const std::string &corpus_dir, const std::string &loader,
                    const std::string &compiler, const Manifest &manifest);

struct Matrix {
  size_t both_accept = 0;
  size_t both_reject = 0;
  size_t false_alarms = 0;
  size_t unsound = 0;
  size_t unloadable = 0;

  size_t judged() const { return both_accept + both_reject + false_alarms + unsound; }
  // False alarms among the programs the kernel accepts.
  double false_alarm_rate() const;
};

Matrix matrix(const Measurement &measurement);

} // namespace corpus
