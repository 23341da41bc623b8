// The abstract state before an instruction: eleven registers, the byte-precise stack and a zone
// over packet offsets. The zone has a fixed set of variables (one per register, one per stack
// slot, the packet size and a scratch), so it never grows with the program.
#pragma once

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
  References refs_; // acquired references (socket lookups, ring buffer records)
};

} // namespace bpfcheck::analyzer
