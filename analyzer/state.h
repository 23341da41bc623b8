// The abstract state before an instruction: eleven registers, the byte-precise stack and a zone
// over packet offsets. The zone has a fixed set of variables (one per register, one per stack
// slot, the packet size and a scratch), so it never grows with the program.
#pragma once

#include "analyzer/frames.h"
#include "analyzer/references.h"
#include "analyzer/reg_value.h"
#include "analyzer/stack.h"
#include "domains/zone.h"

#include <array>
#include <string>

namespace bpfcheck::analyzer {

// Zone variables. A register's or slot's variable is constrained only while it holds a packet
// pointer, and then equals its offset from `data`, or a scalar, and then equals its signed
// value; kPacketSize is data_end - data.
namespace zvar {
constexpr domains::Zone::Var reg(unsigned r) { return r; }
inline constexpr domains::Zone::Var kPacketSize = 11;
inline constexpr domains::Zone::Var kScratch = 12;
constexpr domains::Zone::Var slot(int s) { return 13 + static_cast<domains::Zone::Var>(s); }
// The counter of the loop entered at nesting depth index + 1 (zone_scalars.h), and its negation:
// the zone only knows x - y <= c, so a counter relates to variables counting up, its negation to
// variables counting down. Reusing the depth keeps the set of variables fixed.
constexpr domains::Zone::Var counter(unsigned index) { return slot(Stack::kSlots) + 2 * index; }
constexpr domains::Zone::Var counter_neg(unsigned index) { return counter(index) + 1; }
} // namespace zvar

// The kernel's MAX_PACKET_OFF: no packet is larger.
inline constexpr std::int64_t kMaxPacketSize = 0xffff;

class State {
public:
  static constexpr unsigned kRegisters = 11;

  // The state at a program's entry: r1 = ctx, r10 = frame pointer, everything else unset.
  static State entry();
  static State bottom();

  bool is_bottom() const { return bottom_; }
  void set_bottom();

  const RegValue &reg(unsigned r) const { return regs_[r]; }
  // Overwrites a register; its zone variable is forgotten, then bounded like a scalar's value
  // (callers re-relate packet offsets and copies).
  void set_reg(unsigned r, const RegValue &v);
  // In-place access that keeps the zone variable (for refinements and offset updates that
  // maintain the zone themselves).
  RegValue &reg_mut(unsigned r) { return regs_[r]; }
  Stack &stack() { return stack_; }
  const Stack &stack() const { return stack_; }
  domains::Zone &zone() { return zone_; }
  const domains::Zone &zone() const { return zone_; }
  References &refs() { return refs_; }
  const References &refs() const { return refs_; }

  // bpf2bpf calls (frames.cpp). A Stack pointer's region is its frame number (0: the entry
  // function); r10 points into frame depth(), the frames below it belong to the callers.
  unsigned depth() const { return frames_.size(); }
  const CallerFrames &frames() const { return frames_; }
  Stack &stack_of(const RegValue &pointer);
  const Stack &stack_of(const RegValue &pointer) const;
  domains::Zone::Var slot_var(const RegValue &pointer, int slot) const; // zone var of its slot
  void enter_call(std::uint32_t caller_function, std::uint32_t call);
  void leave_call();
  State without_frames() const; // for display joins across call strings
  // f(RegValue &) on the callers' saved r6-r9 and spilled slots: refinements by pointer id and
  // invalidations reach every frame, as in the kernel.
  template <typename F> void for_each_caller_value(F f) {
    for_each_caller_slot([&](RegValue &v, domains::Zone::Var) { f(v); });
  }
  // The same with each value's zone variable: f(RegValue &, Zone::Var).
  template <typename F> void for_each_caller_slot(F f) {
    for (unsigned k = 0; k < frames_.size(); ++k) {
      for (unsigned i = 0; i < 4; ++i)
        f(frames_[k].saved[i], zvar::frame_reg(k, 6 + i));
      for (int slot = 0; slot < Stack::kSlots; ++slot)
        if (RegValue *v = frames_[k].stack.spill_at(slot * 8 - Stack::kSize))
          f(*v, zvar::frame_slot(k, slot));
    }
  }

  bool leq(const State &o) const;
  State join(const State &o) const;
  State widen(const State &o, std::span<const std::uint64_t> thresholds) const;
  State narrow(const State &o) const;

  std::string to_string() const;

private:
  // Forgets zone variables of registers and slots that do not hold a packet pointer in both
  // states, so that joining zones never relates a variable meaning different things.
  static void align_zones(State &a, State &b);

  bool bottom_ = false;
  std::array<RegValue, kRegisters> regs_{};
  Stack stack_;
  domains::Zone zone_;
  References refs_;     // acquired references (socket lookups, ring buffer records)
  CallerFrames frames_; // empty outside calls: no allocation in the entry function
};

} // namespace bpfcheck::analyzer
