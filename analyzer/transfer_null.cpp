// Null tests of pointers (`if (r == 0)` / `!= 0`, 64-bit, against 0 or a register known to be 0),
// as the kernel's mark_ptr_or_null_regs: every register and spilled slot sharing the tested
// pointer's id becomes a plain non-null pointer on one edge and the number 0 on the other, where a
// reference acquired with it is dropped (nothing was acquired).
#include "analyzer/transfer.h"

namespace bpfcheck::analyzer {
namespace {

bool is_zero(const RegValue &v) {
  return v.type == RegType::Scalar && v.num == Scalar64::constant(0);
}

void refine(State &s, unsigned reg, const RegValue &ptr, bool null_edge) {
  auto same = [&](const RegValue &v) {
    return v.maybe_null && v.compatible(ptr) && (ptr.id != 0 ? v.id == ptr.id : false);
  };
  auto apply = [&](RegValue &v) {
    if (null_edge)
      v = RegValue::constant(0);
    else
      v.maybe_null = false;
  };
  for_each_value(s, [&](RegValue &v) {
    if (same(v))
      apply(v);
  });
  if (ptr.id == 0) // no copies known: refine the tested register alone
    apply(s.reg_mut(reg));
  if (null_edge && ptr.id != 0)
    s.refs().release(ptr.id);
  else if (ptr.id != 0)
    s.refs().confirm(ptr.id);
}

} // namespace

bool assume_null_test(State &s, const CondJump &j, bool taken) {
  if (!j.is64 || (j.cond != Condition::Eq && j.cond != Condition::Ne))
    return false;
  const Reg *right_reg = std::get_if<Reg>(&j.right);
  RegValue left = s.reg(j.left.number), right = operand_value(s, j.right);
  unsigned reg = 0;
  RegValue ptr;
  if (is_pointer(left.type) && is_zero(right)) {
    reg = j.left.number;
    ptr = left;
  } else if (right_reg && is_pointer(right.type) && is_zero(left)) {
    reg = right_reg->number;
    ptr = right;
  } else {
    return false;
  }
  bool null_edge = (j.cond == Condition::Eq) == taken;
  if (!ptr.maybe_null) {
    // The kernel decides the branch only for kinds it knows are never NULL (reg_not_null).
    if (null_edge && never_null(ptr.type))
      s.set_bottom();
    return true;
  }
  refine(s, reg, ptr, null_edge);
  return true;
}

} // namespace bpfcheck::analyzer
