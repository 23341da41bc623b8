// Helpers shared by the renderers (internal to sarif/): names of verdicts and severities, the
// "section/name" label of a program, and shortening paths relative to a directory.
#pragma once

#include "report.h"

#include <optional>
#include <string>
#include <string_view>

namespace bpfcheck::detail {

std::string_view verdict_name(Verdict verdict);    // "verified", "rejected", "error"
std::string_view severity_name(Severity severity); // "error", "warning", "note"

// "xdp/xdp_proto_stats"; just the name when the section is empty or equal to it.
std::string program_label(const ProgramReport &program);

// The directory to shorten against: the option, or the process's current directory.
std::string resolve_directory(const std::optional<std::string> &directory);

// `path` relative to `directory` when it lies below it (lexically), else unchanged. An empty
// directory disables shortening.
std::string relative_to(std::string_view path, std::string_view directory);

// `path` made absolute against `directory` (lexically normalized).
std::string absolute_against(std::string_view path, std::string_view directory);

} // namespace bpfcheck::detail
