// agreement.cpp: runs bpfcheck's analyzer (frontend-elf, then analyzer::analyze) and the kernel
// oracle over one corpus build and pairs their verdicts program by program.
#include "agreement.hpp"

#include "analyzer/analyze.h"
#include "object_file.h"

#include <map>

namespace corpus {
namespace {

struct BpfcheckVerdict {
  bool accepts = false;
  std::string rule;
  std::string message;
  std::string location;
  std::string line_text;
  std::vector<std::string> unlocated;
};

BpfcheckVerdict input_error(const std::string &message) {
  BpfcheckVerdict v;
  v.rule = "input-error";
  v.message = message;
  v.unlocated.push_back("input-error: " + message);
  return v;
}

BpfcheckVerdict verdict_of(const bpfcheck::Program &program) {
  auto result = bpfcheck::analyzer::analyze(program);
  if (!result)
    return input_error(result.error());
  BpfcheckVerdict v;
  v.accepts = result->verified();
  for (const bpfcheck::Diagnostic &d : result->diagnostics) {
    const bool located = d.location && d.location->line > 0;
    if (!located)
      v.unlocated.push_back(d.rule + " at instruction " + std::to_string(d.instruction) + ": " +
                            d.message);
    if (!v.rule.empty())
      continue;
    v.rule = d.rule;
    v.message = d.message;
    if (!located)
      continue;
    v.location = d.location->file + ":" + std::to_string(d.location->line);
    v.line_text = d.location->text;
  }
  return v;
}

// bpfcheck's verdict on every program the frontend could load from `path`, by program name;
// programs the frontend refused get an input error naming the frontend's message.
std::map<std::string, BpfcheckVerdict> analyze_object(const std::string &path,
                                                      const std::vector<std::string> &names) {
  std::map<std::string, BpfcheckVerdict> verdicts;
  auto object = bpfcheck::load_object(path);
  if (!object) {
    for (const auto &name : names)
      verdicts[name] = input_error(object.error());
    return verdicts;
  }
  for (const bpfcheck::Program &program : object->programs)
    verdicts[program.name] = verdict_of(program);
  std::string refused = "the frontend did not load this program";
  for (const auto &d : object->diagnostics)
    refused += "; " + d.to_string();
  for (const auto &name : names)
    if (!verdicts.count(name))
      verdicts[name] = input_error(refused);
  return verdicts;
}

} // namespace

Outcome ProgramAgreement::outcome() const {
  if (kernel.verdict != "accepted" && kernel.verdict != "rejected")
    return Outcome::Unloadable;
  const bool kernel_accepts = kernel.verdict == "accepted";
  if (kernel_accepts)
    return bpfcheck_accepts ? Outcome::BothAccept : Outcome::FalseAlarm;
  return bpfcheck_accepts ? Outcome::Unsound : Outcome::BothReject;
}

Measurement measure(const std::string &corpus_dir, const std::string &loader,
                    const std::string &compiler, const Manifest &manifest) {
  Measurement m{compiler, {}, {}};
  for (const auto &object : compiler == "clang" ? manifest.clang : manifest.gcc) {
    const std::string path = corpus_dir + "/" + compiler + "/" + object + ".o";
    const auto expectations = read_object(corpus_dir + "/clang/" + object + ".o").expectations;
    std::string error;
    const auto kernel = kernel_verdicts(loader, path, expectations, error);
    if (!error.empty())
      m.errors.push_back(path + ": " + error);
    std::vector<std::string> names;
    for (const auto &[program, e] : expectations)
      names.push_back(program);
    const auto ours = analyze_object(path, names);
    for (const auto &[program, e] : expectations) {
      const auto k = kernel.find(program);
      if (k == kernel.end()) {
        m.errors.push_back(path + ": the oracle did not report " + program);
        continue;
      }
      const BpfcheckVerdict &v = ours.at(program);
      m.programs.push_back({compiler, object, program, k->second, v.accepts, v.rule, v.message,
                            v.location, v.line_text, v.unlocated, e.reject ? e.rule : "",
                            e.reject ? e.line : ""});
    }
  }
  return m;
}

double Matrix::false_alarm_rate() const {
  const size_t kernel_accepts = both_accept + false_alarms;
  return kernel_accepts == 0 ? 0.0 : static_cast<double>(false_alarms) / kernel_accepts;
}

Matrix matrix(const Measurement &measurement) {
  Matrix m;
  size_t *const counts[] = {&m.both_accept, &m.both_reject, &m.false_alarms, &m.unsound,
                            &m.unloadable}; // in the order of Outcome
  for (const auto &p : measurement.programs)
    ++*counts[static_cast<int>(p.outcome())];
  return m;
}

} // namespace corpus
