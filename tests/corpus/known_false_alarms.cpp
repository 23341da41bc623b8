// known_false_alarms.cpp: reading, comparing and rewriting tests/corpus/known_false_alarms.txt.
#include "known_false_alarms.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace corpus {
namespace {

const char *const kNotAnalysed = "not analysed yet";

std::map<std::string, const KnownFalseAlarm *> by_key(const std::vector<KnownFalseAlarm> &list,
                                                      const std::string &compiler) {
  std::map<std::string, const KnownFalseAlarm *> keyed;
  for (const auto &e : list)
    if (e.compiler == compiler)
      keyed[e.key()] = &e;
  return keyed;
}

std::string trim(const std::string &s) {
  const auto first = s.find_first_not_of(" \t");
  const auto last = s.find_last_not_of(" \t\r");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

} // namespace

KnownList read_known(const std::string &path) {
  KnownList list;
  std::ifstream in(path);
  bool in_header = true;
  size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') {
      if (in_header)
        list.header.push_back(line);
      continue;
    }
    in_header = false;
    std::istringstream fields(line);
    KnownFalseAlarm e;
    fields >> e.compiler >> e.object >> e.program >> e.rule;
    std::getline(fields, e.reason);
    e.reason = trim(e.reason);
    if (e.rule.empty() || e.reason.empty())
      list.errors.push_back(path + ":" + std::to_string(number) +
                            ": expected COMPILER OBJECT PROGRAM RULE REASON, got '" + line + "'");
    else
      list.entries.push_back(e);
  }
  return list;
}

bool write_known(const std::string &path, const KnownList &list) {
  auto entries = list.entries;
  std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
    return std::tie(a.compiler, a.object, a.program) < std::tie(b.compiler, b.object, b.program);
  });
  size_t width[4] = {0, 0, 0, 0};
  for (const auto &e : entries) {
    const std::string *cols[4] = {&e.compiler, &e.object, &e.program, &e.rule};
    for (int i = 0; i < 4; ++i)
      width[i] = std::max(width[i], cols[i]->size());
  }
  std::ofstream out(path);
  for (const auto &line : list.header)
    out << line << "\n";
  for (const auto &e : entries) {
    const std::string *cols[4] = {&e.compiler, &e.object, &e.program, &e.rule};
    for (int i = 0; i < 4; ++i)
      out << *cols[i] << std::string(width[i] - cols[i]->size() + 1, ' ');
    out << e.reason << "\n";
  }
  return static_cast<bool>(out);
}

Ratchet compare(const KnownList &listed, const std::vector<KnownFalseAlarm> &measured,
                const std::string &compiler) {
  Ratchet r;
  const auto listed_keys = by_key(listed.entries, compiler);
  const auto measured_keys = by_key(measured, compiler);
  for (const auto &[key, m] : measured_keys) {
    const auto l = listed_keys.find(key);
    if (l == listed_keys.end())
      r.regressions.push_back(*m);
    else if (l->second->rule != m->rule)
      r.rule_changes.emplace_back(*l->second, *m);
  }
  for (const auto &[key, l] : listed_keys)
    if (!measured_keys.count(key))
      r.stale.push_back(*l);
  return r;
}

KnownList updated(const KnownList &listed, const std::vector<KnownFalseAlarm> &measured,
                  const std::string &compiler) {
  KnownList out{listed.header, {}, {}};
  const auto listed_keys = by_key(listed.entries, compiler);
  for (const auto &e : listed.entries)
    if (e.compiler != compiler)
      out.entries.push_back(e);
  for (auto e : measured) {
    if (e.compiler != compiler)
      continue;
    const auto l = listed_keys.find(e.key());
    e.reason = l != listed_keys.end() ? l->second->reason : kNotAnalysed;
    out.entries.push_back(e);
  }
  return out;
}

} // namespace corpus
