// Input expansion and program selection for the command line.
#include "inputs.h"

#include <algorithm>
#include <filesystem>
#include <fnmatch.h>
#include <system_error>

namespace bpfcheck::cli {

namespace fs = std::filesystem;

static void add_directory(const fs::path &directory, ExpandedInputs &expanded) {
  std::vector<std::string> found;
  std::error_code error;
  auto options = fs::directory_options::skip_permission_denied;
  for (fs::recursive_directory_iterator it(directory, options, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code status_error;
    if (it->is_regular_file(status_error) && it->path().extension() == ".o")
      found.push_back(it->path().string());
  }
  if (error)
    expanded.errors.push_back(directory.string() + ": " + error.message());
  std::sort(found.begin(), found.end());
  expanded.objects.insert(expanded.objects.end(), found.begin(), found.end());
}

ExpandedInputs expand_inputs(const std::vector<std::string> &inputs) {
  ExpandedInputs expanded;
  for (const std::string &input : inputs) {
    std::error_code error;
    fs::file_status status = fs::status(input, error);
    if (error || !fs::exists(status))
      expanded.errors.push_back(input + ": no such file or directory");
    else if (fs::is_directory(status))
      add_directory(input, expanded);
    else
      expanded.objects.push_back(input);
  }
  return expanded;
}

bool program_selected(const std::vector<std::string> &globs, const std::string &section,
                      const std::string &name) {
  if (globs.empty())
    return true;
  std::string qualified = section + "/" + name;
  return std::any_of(globs.begin(), globs.end(), [&](const std::string &glob) {
    return fnmatch(glob.c_str(), name.c_str(), 0) == 0 ||
           fnmatch(glob.c_str(), qualified.c_str(), 0) == 0;
  });
}

} // namespace bpfcheck::cli
