// A minimal, hard-coded stand-in for the platform tables (analyzer/platform/): where `data`,
// `data_end` and `data_meta` sit in the context of xdp and __sk_buff programs, how large the
// context is, and the return range. Everything else is rejected or unchecked until the tables
// replace this file; keep every program-type fact here so the swap touches one place.
#pragma once

#include "program.h"

#include <cstdint>
#include <optional>

namespace bpfcheck::analyzer {

struct CtxLayout {
  std::uint32_t size = 0; // readable bytes; 0: context reads unsupported for this type
  std::optional<std::uint32_t> data, data_end, data_meta;
};

CtxLayout ctx_layout(ProgramType type);

// The allowed range of r0 at exit, when the kernel checks one (check_return_code).
struct ReturnRange {
  std::int64_t lo = 0, hi = 0;
};
std::optional<ReturnRange> return_range(ProgramType type);

} // namespace bpfcheck::analyzer
