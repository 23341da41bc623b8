// Caller frames: their lattice operations, and the State operations of a bpf2bpf call (entering
// a callee with a new frame, returning to the caller, stack pointers into any frame).
#include "analyzer/frames.h"

#include "analyzer/state.h"

namespace bpfcheck::analyzer {
namespace {

constexpr unsigned kSaved[] = {6, 7, 8, 9};

template <typename F> CallerFrames combine(const CallerFrames &a, const CallerFrames &b, F op) {
  CallerFrames r;
  if (!a.same_calls(b))
    return r; // only joins for display mix call strings (see frames.h)
  for (unsigned k = 0; k < a.size(); ++k)
    r.push(op(a[k], b[k]));
  return r;
}

} // namespace

bool CallerFrames::same_calls(const CallerFrames &o) const {
  if (size() != o.size())
    return false;
  for (unsigned k = 0; k < size(); ++k)
    if (frames_[k].function != o.frames_[k].function || frames_[k].call != o.frames_[k].call)
      return false;
  return true;
}

bool CallerFrames::leq(const CallerFrames &o) const {
  if (!same_calls(o))
    return false;
  for (unsigned k = 0; k < size(); ++k) {
    for (unsigned i = 0; i < 4; ++i)
      if (!frames_[k].saved[i].leq(o.frames_[k].saved[i]))
        return false;
    if (!frames_[k].stack.leq(o.frames_[k].stack))
      return false;
  }
  return true;
}

CallerFrames CallerFrames::join(const CallerFrames &o) const {
  return combine(*this, o, [](const CallerFrame &x, const CallerFrame &y) {
    CallerFrame r{x.function, x.call, {}, x.stack.join(y.stack)};
    for (unsigned i = 0; i < 4; ++i)
      r.saved[i] = x.saved[i].join(y.saved[i]);
    return r;
  });
}

CallerFrames CallerFrames::widen(const CallerFrames &o,
                                 std::span<const std::uint64_t> thresholds) const {
  return combine(*this, o, [&](const CallerFrame &x, const CallerFrame &y) {
    CallerFrame r{x.function, x.call, {}, x.stack.widen(y.stack, thresholds)};
    for (unsigned i = 0; i < 4; ++i)
      r.saved[i] = x.saved[i].widen(y.saved[i], thresholds);
    return r;
  });
}

CallerFrames CallerFrames::narrow(const CallerFrames &o) const {
  if (!same_calls(o))
    return *this;
  CallerFrames r = *this;
  for (unsigned k = 0; k < size(); ++k) {
    for (unsigned i = 0; i < 4; ++i)
      r.frames_[k].saved[i] = frames_[k].saved[i].narrow(o.frames_[k].saved[i]);
    r.frames_[k].stack = frames_[k].stack.narrow(o.frames_[k].stack);
  }
  return r;
}

void CallerFrames::align_zones(const CallerFrames &a, domains::Zone &za, const CallerFrames &b,
                               domains::Zone &zb) {
  auto forget = [&](domains::Zone::Var v) {
    za.forget(v);
    zb.forget(v);
  };
  // As in State::align_zones: a variable keeps its meaning when it is a packet offset on both
  // sides, or a scalar's value on both.
  auto same = [](const RegValue *x, const RegValue *y) {
    return x && y && x->type == y->type &&
           (x->type == RegType::Packet || x->type == RegType::Scalar);
  };
  for (unsigned k = 0; k < std::max(a.size(), b.size()); ++k) {
    bool both = k < a.size() && k < b.size();
    for (unsigned i = 0; i < 4; ++i)
      if (!both || !same(&a[k].saved[i], &b[k].saved[i]))
        forget(zvar::frame_reg(k, kSaved[i]));
    for (int s = 0; s < Stack::kSlots; ++s) {
      int off = s * 8 - Stack::kSize;
      if (!both || !same(a[k].stack.spill_at(off), b[k].stack.spill_at(off)))
        forget(zvar::frame_slot(k, s));
    }
  }
}

// --- State: the frame operations of bpf2bpf calls ---

Stack &State::stack_of(const RegValue &pointer) {
  return pointer.region < frames_.size() ? frames_[pointer.region].stack : stack_;
}

const Stack &State::stack_of(const RegValue &pointer) const {
  return pointer.region < frames_.size() ? frames_[pointer.region].stack : stack_;
}

domains::Zone::Var State::slot_var(const RegValue &pointer, int slot) const {
  return pointer.region < frames_.size() ? zvar::frame_slot(pointer.region, slot)
                                         : zvar::slot(slot);
}

// The caller's r6-r9 and stack move into a caller frame (with their zone variables); the callee
// starts with r1-r5 as passed, r0 and r6-r9 unset, and an empty frame of its own under r10.
void State::enter_call(std::uint32_t caller_function, std::uint32_t call) {
  if (bottom_)
    return;
  unsigned k = depth();
  CallerFrame frame{caller_function, call, {}, std::move(stack_)};
  for (unsigned i = 0; i < 4; ++i) {
    frame.saved[i] = regs_[kSaved[i]];
    zone_.rename(zvar::reg(kSaved[i]), zvar::frame_reg(k, kSaved[i]));
    regs_[kSaved[i]] = RegValue::uninit();
  }
  for (int s = 0; s < Stack::kSlots; ++s)
    zone_.rename(zvar::slot(s), zvar::frame_slot(k, s));
  frames_.push(std::move(frame));
  stack_ = Stack{};
  set_reg(0, RegValue::uninit());
  regs_[10] = RegValue::pointer(RegType::Stack, 0, k + 1);
}

// At the callee's exit: r0 is its result, r1-r5 are clobbered, and the caller's r6-r9, r10 and
// stack (with whatever the callee wrote through pointers) come back.
void State::leave_call() {
  if (bottom_ || frames_.empty())
    return;
  unsigned k = depth() - 1;
  CallerFrame &frame = frames_[k];
  for (unsigned r = 1; r <= 5; ++r)
    set_reg(r, RegValue::uninit());
  for (unsigned i = 0; i < 4; ++i) {
    regs_[kSaved[i]] = frame.saved[i];
    zone_.rename(zvar::frame_reg(k, kSaved[i]), zvar::reg(kSaved[i]));
  }
  for (int s = 0; s < Stack::kSlots; ++s)
    zone_.rename(zvar::frame_slot(k, s), zvar::slot(s));
  stack_ = std::move(frame.stack);
  frames_.pop();
  set_reg(10, RegValue::pointer(RegType::Stack, 0, k));
}

State State::without_frames() const {
  State s = *this;
  for (unsigned k = 0; k < frames_.size(); ++k)
    for (domains::Zone::Var v = zvar::frame_reg(k, 6); v < zvar::frame_reg(k + 1, 6); ++v)
      s.zone_.forget(v);
  s.frames_.clear();
  return s;
}

} // namespace bpfcheck::analyzer
