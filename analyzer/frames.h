// The caller frames of a state inside a bpf2bpf call: each caller's callee-saved registers
// r6-r9 and its stack, kept while a static subprogram runs in its caller's context. Empty in the
// main function, so copying a main-function state never allocates for them.
#pragma once

#include "analyzer/reg_value.h"
#include "analyzer/stack.h"
#include "domains/zone.h"

#include <array>
#include <span>
#include <vector>

namespace bpfcheck::analyzer {

// The kernel's MAX_CALL_FRAMES: the entry function and at most 7 nested calls.
inline constexpr unsigned kMaxCallFrames = 8;

namespace zvar {
// Zone variables of caller frame k (frame 0 is the entry function): its r6-r9, then one per
// stack slot, constrained only while they hold a packet pointer or a scalar, like the current
// frame's (state.h). Kept far above the current frame's variables so that those can grow.
inline constexpr domains::Zone::Var kFirstFrameVar = 256;
inline constexpr domains::Zone::Var kFrameVars = 4 + Stack::kSlots;
constexpr domains::Zone::Var frame_reg(unsigned frame, unsigned r) {
  return kFirstFrameVar + frame * kFrameVars + (r - 6);
}
constexpr domains::Zone::Var frame_slot(unsigned frame, int slot) {
  return kFirstFrameVar + frame * kFrameVars + 4 + static_cast<domains::Zone::Var>(slot);
}
} // namespace zvar

struct CallerFrame {
  std::uint32_t function = 0;      // ProgramCfg::functions index of the caller
  std::uint32_t call = 0;          // instruction index of the call it waits on
  std::array<RegValue, 4> saved{}; // r6-r9, restored when the callee returns
  Stack stack;                     // written by the callee only through pointers
};

// Frames are compared and combined pairwise; states of one fixpoint always have the same call
// string, so the same number of frames of the same functions. States of different call strings
// are only ever joined for display (invariants of a callee over all its contexts): their frames
// are then dropped.
class CallerFrames {
public:
  bool empty() const { return frames_.empty(); }
  unsigned size() const { return static_cast<unsigned>(frames_.size()); }
  CallerFrame &operator[](unsigned k) { return frames_[k]; }
  const CallerFrame &operator[](unsigned k) const { return frames_[k]; }
  void push(CallerFrame frame) { frames_.push_back(std::move(frame)); }
  void pop() { frames_.pop_back(); }
  void clear() { frames_.clear(); }
  bool same_calls(const CallerFrames &o) const;

  bool leq(const CallerFrames &o) const;
  CallerFrames join(const CallerFrames &o) const;
  CallerFrames widen(const CallerFrames &o, std::span<const std::uint64_t> thresholds) const;
  CallerFrames narrow(const CallerFrames &o) const;
  // Forgets the zone variables of saved registers and slots that do not hold a packet pointer
  // or a scalar in both states (the frame counterpart of State::align_zones).
  static void align_zones(const CallerFrames &a, domains::Zone &za, const CallerFrames &b,
                          domains::Zone &zb);

private:
  std::vector<CallerFrame> frames_;
};

} // namespace bpfcheck::analyzer
