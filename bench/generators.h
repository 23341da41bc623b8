// generators.h: synthetic XDP programs for the analyzer's scaling benchmark (issue 4's bars):
// two families that grow linearly (a straight-line chain, a chain of branch diamonds) and a
// mixed program shaped like real datapath code (packet checks, map lookups, bounded loops).
#pragma once

#include "program.h"

#include <cstddef>
#include <string>

namespace bpfcheck::bench {

// acc = acc * 3 + x + k, repeated; x is the packet length (data_end - data).
Program straight_chain(std::size_t instructions);

// if (x & bit) acc += k; else acc ^= k; repeated, bit cycling over x's 16 bits.
Program diamond_chain(std::size_t instructions);

// Rounds of: a header field read after its bounds check against data_end and a test of one of
// its bits, a hash-map lookup with its NULL check and a branch on the value before updating
// it, a second header field; a counter loop (16 rounds) after a third of the program and a
// packet byte loop (8 bytes, each checked against data_end) after two thirds. Returns XDP_PASS.
// Every branch tests a value no verifier knows, so the kernel's path walk stays prunable.
Program mixed(std::size_t instructions);

// mixed() with one bug: midway, a one-byte header field is read one byte past its bounds
// check. Both verifiers must reject it (a check that "verified" above is not vacuous).
Program mixed_one_unchecked_read(std::size_t instructions);

} // namespace bpfcheck::bench
