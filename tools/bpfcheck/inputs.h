// Turns the command line's files and directories into the list of objects to read: a directory
// stands for every *.o below it, recursively, in a stable (sorted) order.
#pragma once

#include <string>
#include <vector>

namespace bpfcheck::cli {

struct ExpandedInputs {
  std::vector<std::string> objects;
  std::vector<std::string> errors; // one line each: "PATH: no such file or directory"
};

ExpandedInputs expand_inputs(const std::vector<std::string> &inputs);

// True when `program` (its name or "section/name") matches one of `globs`, or `globs` is empty.
bool program_selected(const std::vector<std::string> &globs, const std::string &section,
                      const std::string &name);

} // namespace bpfcheck::cli
