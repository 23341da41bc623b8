// Microsoft's offline SARIF validator (@microsoft/sarif-multitool from npm), run over SARIF logs
// by the sarif and tools tests. tools/setup.sh installs it into <build>/npm;
// BPFCHECK_SARIF_MULTITOOL overrides the path.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bpfcheck::test {

// The validator's path, or nullopt when it is not installed: then the current test prints
// "skipped: ..." (ctest reports it as skipped) and the caller returns.
std::optional<std::string> sarif_validator(const std::string &default_path);

struct Validation {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

// Runs the validator once over all `logs` (name -> SARIF text; .NET start-up dominates the run
// time) and returns its findings per name; fails the current test if it could not run. The
// validator exits 0 even when a log is invalid, so its own SARIF output is read instead.
std::map<std::string, Validation> validate_sarif(const std::string &tool,
                                                 const std::map<std::string, std::string> &logs);

} // namespace bpfcheck::test
