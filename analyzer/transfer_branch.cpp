// Conditional-jump refinement: scalars through Scalar64's refine (and, between two registers,
// the zone: zone_scalars.h), packet pointers against data_end (or each other) through the zone,
// and null tests of pointers (transfer_null.cpp).
#include "analyzer/transfer.h"
#include "analyzer/zone_scalars.h"

namespace bpfcheck::analyzer {
namespace {

domains::CmpOp scalar_cmp(Condition c) {
  switch (c) {
  case Condition::Eq:
    return domains::CmpOp::Eq;
  case Condition::Ne:
    return domains::CmpOp::Ne;
  case Condition::Gt:
    return domains::CmpOp::Gt;
  case Condition::Ge:
    return domains::CmpOp::Ge;
  case Condition::Lt:
    return domains::CmpOp::Lt;
  case Condition::Le:
    return domains::CmpOp::Le;
  case Condition::SGt:
    return domains::CmpOp::Sgt;
  case Condition::SGe:
    return domains::CmpOp::Sge;
  case Condition::SLt:
    return domains::CmpOp::Slt;
  case Condition::SLe:
    return domains::CmpOp::Sle;
  case Condition::Set:
    return domains::CmpOp::Set;
  }
  return domains::CmpOp::Eq;
}

// The zone variable standing for a pointer's position relative to `data`, if it has one.
std::optional<domains::Zone::Var> packet_position(const RegValue &v, unsigned reg) {
  if (v.type == RegType::Packet)
    return zvar::reg(reg);
  if (v.type == RegType::PacketEnd)
    return zvar::kPacketSize;
  return std::nullopt;
}

// Unsigned comparison of two positions in the packet, as difference constraints.
void assume_packet_cmp(State &s, Condition c, domains::Zone::Var l, domains::Zone::Var r,
                       bool taken) {
  if (!taken) { // the negation of each unsigned comparison is another one
    c = c == Condition::Gt   ? Condition::Le
        : c == Condition::Ge ? Condition::Lt
        : c == Condition::Lt ? Condition::Ge
                             : Condition::Gt;
  }
  domains::Zone &z = s.zone();
  switch (c) {
  case Condition::Gt: // l > r: r - l <= -1
    z.assume_diff(r, l, -1);
    break;
  case Condition::Ge:
    z.assume_diff(r, l, 0);
    break;
  case Condition::Lt:
    z.assume_diff(l, r, -1);
    break;
  default: // Le
    z.assume_diff(l, r, 0);
    break;
  }
  if (z.is_bottom())
    s.set_bottom();
}

} // namespace

void assume_branch(State &s, const CondJump &j, bool taken) {
  if (s.is_bottom())
    return;
  unsigned l = j.left.number;
  RegValue left = s.reg(l), right = operand_value(s, j.right);
  const Reg *right_reg = std::get_if<Reg>(&j.right);
  if (left.type == RegType::Scalar && right.type == RegType::Scalar) {
    auto [a, b] = domains::refine(scalar_cmp(j.cond), left.num, right.num, taken, j.is64);
    if (a.is_bottom() || b.is_bottom())
      return s.set_bottom();
    s.reg_mut(l).num = a;
    if (right_reg && right_reg->number != l) {
      s.reg_mut(right_reg->number).num = b;
      zone_compare(s, j.cond, j.is64, taken, l, right_reg->number);
    } else {
      bound_in_zone(s.zone(), zvar::reg(l), a);
      if (s.zone().is_bottom())
        s.set_bottom();
    }
    if (!s.is_bottom())
      reduce_registers(s);
    return;
  }
  bool unsigned_order = j.cond == Condition::Gt || j.cond == Condition::Ge ||
                        j.cond == Condition::Lt || j.cond == Condition::Le;
  if (right_reg && j.is64 && unsigned_order) {
    auto lp = packet_position(left, l), rp = packet_position(right, right_reg->number);
    if (lp && rp && *lp != *rp)
      assume_packet_cmp(s, j.cond, *lp, *rp, taken);
    return;
  }
  assume_null_test(s, j, taken); // transfer_null.cpp
}

} // namespace bpfcheck::analyzer
