// What checking and transferring a helper call both need to know about its arguments: the map
// it names and the memory ranges it reads or writes (helper_args.cpp). Internal to analyzer/.
#pragma once

#include "analyzer/context.h"
#include "analyzer/state.h"

#include <optional>
#include <string>

namespace bpfcheck::analyzer {

// A pointer argument with the bytes the helper touches behind it.
struct MemArg {
  unsigned reg = 0; // the pointer's register (argument index + 1)
  std::uint64_t min_size = 0, max_size = 0;
  bool reads = false;      // the bytes must be initialized
  bool writes = false;     // the helper may write them
  bool must_write = false; // the helper surely writes the first min_size bytes
  bool nullable = false;   // NULL is accepted (with a zero size)
};

// The map of the call's ConstMapPtr argument, when that register holds a known map.
const MapDescriptor *call_map(const platform::HelperPrototype &p, const State &s,
                              const AnalysisContext &c);
// Argument `i` as a memory range, for memory, key, value, long/int arguments; nullopt for other
// kinds or a size that is not a bounded non-negative number (the checker reports those).
std::optional<MemArg> memory_argument(const platform::HelperPrototype &p, unsigned i,
                                      const State &s, const AnalysisContext &c);

std::string helper_name(const platform::HelperPrototype &p);

} // namespace bpfcheck::analyzer
