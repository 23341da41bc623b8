// The output formats of a Report (DESIGN.md section 6): compiler-style text for people, JSON for
// scripts, SARIF 2.1.0 for code-scanning services and veristat-style CSV for comparisons. Every
// renderer is a pure function of the Report and its options, so output is deterministic.
#pragma once

#include "report.h"

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace bpfcheck {

inline constexpr std::string_view kToolName = "bpfcheck";
inline constexpr std::string_view kToolVersion = "0.1.0";
inline constexpr std::string_view kToolInformationUri = "https://github.com/bpfcheck/bpfcheck";

enum class OutputFormat { Text, Json, Sarif, Csv };

// "text", "json", "sarif" or "csv"; nullopt for anything else.
std::optional<OutputFormat> parse_output_format(std::string_view name);

struct TextOptions {
  bool color = false;   // ANSI colours; see should_use_color()
  bool verbose = false; // program headers and one note line per trace step
  // Source and object paths under this directory print relative to it; nullopt means the
  // process's current directory, an empty string disables shortening.
  std::optional<std::string> current_directory;
};

// Colour only on a terminal, and never when NO_COLOR is set or TERM is "dumb", so that files
// and CI logs stay free of escape sequences.
bool should_use_color(std::FILE *stream);

std::string render_text(const Report &report, const TextOptions &options = {});

struct JsonOptions {
  std::string tool_version{kToolVersion};
  // As TextOptions::current_directory, for object and source paths.
  std::optional<std::string> current_directory;
};

std::string render_json(const Report &report, const JsonOptions &options = {});

struct SarifOptions {
  // Artifact URIs are relative to this directory (uriBaseId %SRCROOT%); nullopt means the
  // current directory. Relative paths in the Report are resolved against current_directory.
  std::optional<std::string> source_root;
  std::optional<std::string> current_directory;
  std::string tool_version{kToolVersion};
  std::string information_uri{kToolInformationUri};
};

std::string render_sarif(const Report &report, const SarifOptions &options = {});

struct CsvOptions {
  // As TextOptions::current_directory, for the file_name column.
  std::optional<std::string> current_directory;
};

std::string render_csv(const Report &report, const CsvOptions &options = {});

} // namespace bpfcheck
