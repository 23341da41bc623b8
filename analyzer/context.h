// What the transfer functions and assertions need to know about the program being analyzed:
// its type and the facts derived from it (context layout, return range), its maps, and the
// widening thresholds collected from its constants.
#pragma once

#include "analyzer/ctx_layout.h"
#include "program.h"

#include <cstdint>
#include <span>
#include <vector>

namespace bpfcheck::analyzer {

struct AnalysisContext {
  ProgramType type = ProgramType::Unspec;
  CtxLayout ctx;
  std::optional<ReturnRange> return_range;
  std::span<const MapDescriptor> maps;
  std::vector<std::uint64_t> thresholds; // sorted, unique
};

} // namespace bpfcheck::analyzer
