// Helpers shared by the renderers, and the format-name and colour decisions of render.h.
// Paths are handled lexically: the files may no longer exist, and symlinks should print as the
// user spelled them.
#include "common.h"
#include "render.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace bpfcheck {

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "text") {
    return OutputFormat::Text;
  }
  if (name == "json") {
    return OutputFormat::Json;
  }
  if (name == "sarif") {
    return OutputFormat::Sarif;
  }
  if (name == "csv") {
    return OutputFormat::Csv;
  }
  return std::nullopt;
}

bool should_use_color(std::FILE *stream) {
  if (stream == nullptr || ::isatty(::fileno(stream)) == 0) {
    return false;
  }
  if (const char *no_color = std::getenv("NO_COLOR"); no_color != nullptr && *no_color != '\0') {
    return false;
  }
  const char *term = std::getenv("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

namespace detail {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
  case Verdict::Verified:
    return "verified";
  case Verdict::Rejected:
    return "rejected";
  case Verdict::Error:
    break;
  }
  return "error";
}

std::string_view severity_name(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    break;
  }
  return "note";
}

std::string program_label(const ProgramReport &program) {
  if (program.section.empty() || program.section == program.name) {
    return program.name;
  }
  if (program.name.empty()) {
    return program.section;
  }
  return program.section + "/" + program.name;
}

std::string resolve_directory(const std::optional<std::string> &directory) {
  if (directory) {
    return *directory;
  }
  std::error_code error;
  auto current = std::filesystem::current_path(error);
  return error ? std::string() : current.string();
}

namespace {

// Without a trailing separator, so that "/a/b/" and "/a/b" compare as the same directory.
std::filesystem::path normalized_directory(std::string_view directory) {
  auto path = std::filesystem::path(directory).lexically_normal();
  if (!path.has_filename() && path.has_parent_path() && path != path.root_path()) {
    path = path.parent_path();
  }
  return path;
}

} // namespace

std::string relative_to(std::string_view path, std::string_view directory) {
  std::filesystem::path file(path);
  if (!file.is_absolute()) {
    // Compilers record "./x.c" for files named on the command line that way; drop the noise.
    auto normal = file.lexically_normal();
    return normal.empty() ? std::string(path) : normal.string();
  }
  if (directory.empty()) {
    return std::string(path);
  }
  auto relative = file.lexically_normal().lexically_relative(normalized_directory(directory));
  if (relative.empty() || *relative.begin() == "..") {
    return std::string(path);
  }
  return relative.string();
}

std::string absolute_against(std::string_view path, std::string_view directory) {
  std::filesystem::path file(path);
  if (file.is_absolute() || directory.empty()) {
    return file.lexically_normal().string();
  }
  return (normalized_directory(directory) / file).lexically_normal().string();
}

} // namespace detail
} // namespace bpfcheck
