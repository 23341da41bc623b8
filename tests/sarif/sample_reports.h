// Hand-built Reports that the renderer tests share: a verified program, a rejection with a
// trace, hint and register values, an input error, and messages full of CSV/JSON metacharacters.
// Paths are absolute under kSampleRoot so that shortening and %SRCROOT% URIs are exercised.
#pragma once

#include "render.h"

namespace bpfcheck::test {

inline constexpr const char *kSampleRoot = "/src/proj";

Report verified_report();
Report rejected_report();
Report input_error_report();
Report awkward_report(); // commas, quotes, newlines, tabs and non-ASCII in every string field

TextOptions sample_text_options();
SarifOptions sample_sarif_options();
CsvOptions sample_csv_options();

} // namespace bpfcheck::test
