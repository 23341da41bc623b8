// The rule catalogue: ids are unique kebab-case, every entry has the texts code scanning shows,
// and the rules DESIGN.md names and the analyzer emits exist.
#include "analyzer/rule_ids.h"
#include "rules.h"

#include <doctest/doctest.h>

#include <set>

namespace bpfcheck {

TEST_CASE("rules: ids are unique kebab-case with complete descriptions") {
  std::set<std::string_view> ids;
  for (const RuleInfo &rule : all_rules()) {
    CAPTURE(rule.id);
    CHECK(ids.insert(rule.id).second);
    for (char c : rule.id) {
      CHECK(((c >= 'a' && c <= 'z') || c == '-'));
    }
    CHECK(rule.id.front() != '-');
    CHECK(rule.id.back() != '-');
    CHECK(rule.name == rule_display_name(rule.id));
    CHECK(!rule.short_description.empty());
    CHECK(rule.full_description.size() > rule.short_description.size());
    CHECK(!rule.help.empty());
    CHECK(find_rule(rule.id) == &rule);
  }
}

TEST_CASE("rules: the rules of DESIGN.md and the issue are catalogued") {
  for (std::string_view id :
       {"packet-out-of-bounds", "null-dereference", "uninitialized-stack-read",
        "stack-out-of-bounds", "helper-argument", "unbounded-loop", "reference-leak",
        "bad-return-value", "uninitialized-register", "context-access", "map-value-out-of-bounds",
        "pointer-leak", "invalid-instruction", "unsupported-feature", "division-by-zero"}) {
    CAPTURE(id);
    CHECK(find_rule(id) != nullptr);
  }
  CHECK(find_rule("no-such-rule") == nullptr);
  CHECK(rule_display_name("no-such-rule") == "NoSuchRule");
}

TEST_CASE("rules: every rule id the analyzer emits has a catalogue entry") {
  for (std::string_view id : analyzer::rule::all_rule_ids()) {
    CAPTURE(id);
    CHECK(find_rule(id) != nullptr);
  }
}

} // namespace bpfcheck
