// Counters behind heap_meter.h. Relaxed atomics: the counts only need to be exact for the
// thread that analyzes, and the analyzer runs on one thread.
#include "heap_meter.h"

#include <algorithm>
#include <atomic>

namespace bpfcheck::cli::heap {
namespace {

std::atomic<std::size_t> g_current{0};
std::atomic<std::size_t> g_peak{0};
std::atomic<bool> g_measuring{false};

} // namespace

void note_allocation(std::size_t bytes) noexcept {
  std::size_t now = g_current.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  std::size_t peak = g_peak.load(std::memory_order_relaxed);
  while (now > peak && !g_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  g_measuring.store(true, std::memory_order_relaxed);
}

void note_release(std::size_t bytes) noexcept {
  g_current.fetch_sub(bytes, std::memory_order_relaxed);
}

bool measuring() noexcept { return g_measuring.load(std::memory_order_relaxed); }

PeakScope::PeakScope() noexcept : start_(g_current.load(std::memory_order_relaxed)) {
  g_peak.store(start_, std::memory_order_relaxed);
}

std::uint64_t PeakScope::peak_bytes() const noexcept {
  std::size_t peak = g_peak.load(std::memory_order_relaxed);
  return peak > start_ ? peak - start_ : 0;
}

} // namespace bpfcheck::cli::heap
