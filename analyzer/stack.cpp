// The byte-precise stack: spills, fills and the lattice operations, byte by byte.
#include "analyzer/stack.h"

namespace bpfcheck::analyzer {

void Stack::break_spill(int slot) {
  for (int i = 0; i < 8; ++i)
    if (bytes_[slot * 8 + i] == Byte::Spill)
      bytes_[slot * 8 + i] = Byte::Scalar;
  spills_[slot] = RegValue::uninit();
}

void Stack::write(int offset, int size, const RegValue &value) {
  int first = offset + kSize;
  if (size == 8 && first % 8 == 0) {
    spills_[first / 8] = value;
    for (int i = 0; i < 8; ++i)
      bytes_[first + i] = Byte::Spill;
    return;
  }
  for (int slot = first / 8; slot <= (first + size - 1) / 8; ++slot)
    break_spill(slot);
  for (int i = 0; i < size; ++i)
    bytes_[first + i] = Byte::Scalar;
}

const RegValue *Stack::spill_at(int offset) const {
  int slot = slot_of(offset);
  for (int i = 0; i < 8; ++i)
    if (bytes_[slot * 8 + i] != Byte::Spill)
      return nullptr;
  return &spills_[slot];
}

Stack::ReadResult Stack::read(int offset, int size) const {
  int first = offset + kSize;
  bool any_spill = false;
  for (int i = 0; i < size; ++i) {
    if (bytes_[first + i] == Byte::Uninit)
      return {ReadStatus::Uninit, RegValue::scalar_top()};
    any_spill |= bytes_[first + i] == Byte::Spill;
  }
  if (size == 8 && first % 8 == 0 && any_spill)
    return {ReadStatus::Ok, spills_[first / 8]};
  if (any_spill) {
    for (int slot = first / 8; slot <= (first + size - 1) / 8; ++slot)
      if (bytes_[slot * 8] == Byte::Spill && spills_[slot].type != RegType::Scalar)
        return {ReadStatus::PartialSpill, RegValue::scalar_top()};
  }
  std::uint64_t max = size == 8 ? UINT64_MAX : (std::uint64_t{1} << (8 * size)) - 1;
  return {ReadStatus::Ok, RegValue::scalar(Scalar64::urange(0, max))};
}

// Byte kinds combine as "uninitialized on some path wins, a spill on one path only is a scalar
// byte"; slots spilled on both sides combine their values with slot_op.
template <typename F> Stack Stack::combine(const Stack &o, F slot_op) const {
  Stack r;
  for (int i = 0; i < kSize; ++i) {
    Byte a = bytes_[i], b = o.bytes_[i];
    r.bytes_[i] = a == b ? a : a == Byte::Uninit || b == Byte::Uninit ? Byte::Uninit : Byte::Scalar;
  }
  for (int slot = 0; slot < kSlots; ++slot) {
    bool whole = true;
    for (int i = 0; i < 8; ++i)
      whole &= r.bytes_[slot * 8 + i] == Byte::Spill;
    if (whole)
      r.spills_[slot] = slot_op(spills_[slot], o.spills_[slot]);
    else
      r.break_spill(slot);
  }
  return r;
}

Stack Stack::join(const Stack &o) const {
  return combine(o, [](const RegValue &a, const RegValue &b) { return a.join(b); });
}

Stack Stack::widen(const Stack &o, std::span<const std::uint64_t> thresholds) const {
  return combine(o, [&](const RegValue &a, const RegValue &b) { return a.widen(b, thresholds); });
}

Stack Stack::narrow(const Stack &o) const {
  Stack r = *this;
  for (int slot = 0; slot < kSlots; ++slot)
    if (spill_at(slot * 8 - kSize) && o.spill_at(slot * 8 - kSize))
      r.spills_[slot] = spills_[slot].narrow(o.spills_[slot]);
  return r;
}

bool Stack::leq(const Stack &o) const {
  for (int i = 0; i < kSize; ++i) {
    Byte a = bytes_[i], b = o.bytes_[i];
    if (a != b && b != Byte::Uninit && !(a == Byte::Spill && b == Byte::Scalar))
      return false;
  }
  for (int slot = 0; slot < kSlots; ++slot)
    if (o.bytes_[slot * 8] == Byte::Spill && !spills_[slot].leq(o.spills_[slot]))
      return false;
  return true;
}

} // namespace bpfcheck::analyzer
