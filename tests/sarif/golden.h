// Golden-file comparison for the renderers' exact output. On a mismatch the test fails with a
// line diff; BPFCHECK_UPDATE_GOLDEN=1 rewrites the files instead (review them with git diff).
#pragma once

#include <string>
#include <string_view>

namespace bpfcheck::test {

// Compares `actual` with GOLDEN_DIR/<name> (each test binary names its own folder); fails the
// current doctest case on mismatch.
void check_golden(std::string_view name, const std::string &actual);

// A compact diff: the differing lines of the first mismatching region, with line numbers.
std::string line_diff(const std::string &expected, const std::string &actual);

} // namespace bpfcheck::test
