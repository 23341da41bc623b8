// The catalogue of diagnostic rules: stable kebab-case ids with the descriptions and help that
// SARIF consumers (GitHub code scanning) show beside an alert. The analyzer picks ids from here;
// an id missing from the catalogue still renders, with a generic description.
#pragma once

#include "report.h"

#include <span>
#include <string>
#include <string_view>

namespace bpfcheck {

struct RuleInfo {
  std::string_view id;                // "packet-out-of-bounds"
  std::string_view name;              // "PacketOutOfBounds" (SARIF reportingDescriptor.name)
  std::string_view short_description; // one sentence
  std::string_view full_description;  // what the kernel requires and why
  std::string_view help;              // how to fix it
  Severity level = Severity::Error;
};

std::span<const RuleInfo> all_rules();

// nullptr when `id` is not in the catalogue.
const RuleInfo *find_rule(std::string_view id);

// "packet-out-of-bounds" -> "PacketOutOfBounds".
std::string rule_display_name(std::string_view id);

} // namespace bpfcheck
