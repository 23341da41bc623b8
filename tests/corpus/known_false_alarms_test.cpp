// known_false_alarms_test.cpp: the ratchet of known_false_alarms.hpp on small lists (no kernel
// needed): regressions, stale lines and rule changes are found, an update keeps the reasons
// and the other compiler's lines, and a written list reads back equal.
#include <doctest/doctest.h>

#include "known_false_alarms.hpp"

#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace {

corpus::KnownFalseAlarm alarm(const char *compiler, const char *program, const char *rule,
                              const char *reason = "") {
  return {compiler, "obj", program, rule, reason};
}

std::string temp_path() {
  char path[] = "/tmp/known_false_alarms_XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  return path;
}

} // namespace

TEST_CASE("known false alarms: the ratchet finds regressions, stale lines and rule changes") {
  corpus::KnownList listed;
  listed.entries = {alarm("clang", "a", "unsupported-feature", "calls"),
                    alarm("clang", "b", "null-dereference", "join loses the check"),
                    alarm("clang", "c", "unbounded-loop", "loops"),
                    alarm("gcc", "d", "unbounded-loop", "gcc only")};
  const std::vector<corpus::KnownFalseAlarm> measured = {
      alarm("clang", "a", "unsupported-feature"), alarm("clang", "b", "helper-argument"),
      alarm("clang", "e", "packet-out-of-bounds")};

  const auto r = corpus::compare(listed, measured, "clang");
  REQUIRE(r.regressions.size() == 1);
  CHECK(r.regressions[0].key() == "clang obj e");
  REQUIRE(r.stale.size() == 1);
  CHECK(r.stale[0].key() == "clang obj c");
  REQUIRE(r.rule_changes.size() == 1);
  CHECK(r.rule_changes[0].second.rule == "helper-argument");
  CHECK(!r.clean());
  CHECK(corpus::compare(listed, {}, "gcc").stale.size() == 1);

  const auto next = corpus::updated(listed, measured, "clang");
  CHECK(corpus::compare(next, measured, "clang").clean());
  REQUIRE(next.entries.size() == 4); // gcc d kept, clang a b e
  for (const auto &e : next.entries) {
    if (e.program == "a")
      CHECK(e.reason == "calls");
    if (e.program == "b")
      CHECK((e.reason == "join loses the check" && e.rule == "helper-argument"));
    if (e.program == "e")
      CHECK(e.reason == "not analysed yet");
    if (e.program == "d")
      CHECK(e.compiler == "gcc");
  }
}

TEST_CASE("known false alarms: a written list reads back with its header and reasons") {
  const std::string path = temp_path();
  corpus::KnownList list;
  list.header = {"# header line", "# COMPILER OBJECT PROGRAM RULE REASON"};
  list.entries = {alarm("gcc", "z", "unbounded-loop", "a reason with  several words"),
                  alarm("clang", "y", "unsupported-feature", "calls")};
  REQUIRE(corpus::write_known(path, list));
  const auto back = corpus::read_known(path);
  CHECK(back.errors.empty());
  CHECK(back.header == list.header);
  REQUIRE(back.entries.size() == 2);
  CHECK(back.entries[0].key() == "clang obj y"); // written sorted
  CHECK(back.entries[1].reason == "a reason with  several words");

  std::ofstream(path, std::ios::app) << "clang obj only-three-fields\n";
  CHECK(corpus::read_known(path).errors.size() == 1);
  std::remove(path.c_str());
}
