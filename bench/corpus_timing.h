// corpus_timing.h: the analyzer's time on every program of a corpus directory (issue 4's bar:
// each under 100 ms), measured in a forked child and printed as a short Markdown table.
#pragma once

#include <string>

namespace bpfcheck::bench {

// Analyzes every program of every *.o below `dir` (median of 3 runs each) and prints the
// count, total and maximum time, the slowest program and those over 100 ms. False when the
// child crashed.
bool report_corpus(const std::string &dir, unsigned timeout_seconds);

} // namespace bpfcheck::bench
