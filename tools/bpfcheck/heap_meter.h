// Peak heap use of one analysis, for the "peak memory" of --format json/csv/text. The bpfcheck
// executable links heap_hooks.cpp, whose operator new/delete report every allocation here;
// other users of the library (tests, the fuzz target) do not, and then nothing is measured.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bpfcheck::cli::heap {

// Called by the allocation hooks with the usable size of each block.
void note_allocation(std::size_t bytes) noexcept;
void note_release(std::size_t bytes) noexcept;

// True once any allocation was counted, i.e. when the hooks are linked in.
bool measuring() noexcept;

// The highest heap use above the level at construction, while the scope lives.
class PeakScope {
public:
  PeakScope() noexcept;
  std::uint64_t peak_bytes() const noexcept;

private:
  std::size_t start_;
};

} // namespace bpfcheck::cli::heap
