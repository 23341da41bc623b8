// Lattice operations of the whole state and its printing (--print-invariants, test messages).
#include "analyzer/state.h"

#include "analyzer/zone_scalars.h"

#include <sstream>

namespace bpfcheck::analyzer {

State State::entry() {
  State s;
  s.regs_[1] = RegValue::pointer(RegType::Ctx);
  s.regs_[10] = RegValue::pointer(RegType::Stack);
  s.zone_.assign_interval(zvar::kPacketSize, 0, kMaxPacketSize);
  return s;
}

State State::bottom() {
  State s;
  s.set_bottom();
  return s;
}

void State::set_bottom() {
  bottom_ = true;
  zone_ = domains::Zone::bottom();
}

void State::set_reg(unsigned r, const RegValue &v) {
  regs_[r] = v;
  zone_.forget(zvar::reg(r));
  if (v.type == RegType::Scalar)
    bound_in_zone(zone_, zvar::reg(r), v.num);
}

void State::align_zones(State &a, State &b) {
  // A variable means the same on both sides when it is a packet offset, or a scalar, on both.
  auto same = [](RegType x, RegType y) {
    return x == y && (x == RegType::Packet || x == RegType::Scalar);
  };
  for (unsigned r = 0; r < kRegisters; ++r)
    if (!same(a.regs_[r].type, b.regs_[r].type)) {
      a.zone_.forget(zvar::reg(r));
      b.zone_.forget(zvar::reg(r));
    }
  for (int s = 0; s < Stack::kSlots; ++s) {
    int off = s * 8 - Stack::kSize;
    const RegValue *x = a.stack_.spill_at(off), *y = b.stack_.spill_at(off);
    if (!x || !y || !same(x->type, y->type)) {
      a.zone_.forget(zvar::slot(s));
      b.zone_.forget(zvar::slot(s));
    }
  }
  CallerFrames::align_zones(a.frames_, a.zone_, b.frames_, b.zone_);
}

bool State::leq(const State &o) const {
  if (bottom_)
    return true;
  if (o.bottom_)
    return false;
  for (unsigned r = 0; r < kRegisters; ++r)
    if (!regs_[r].leq(o.regs_[r]))
      return false;
  return stack_.leq(o.stack_) && zone_.leq(o.zone_) && refs_.leq(o.refs_) && frames_.leq(o.frames_);
}

State State::join(const State &o) const {
  if (bottom_)
    return o;
  if (o.bottom_)
    return *this;
  State a = *this, b = o;
  align_zones(a, b);
  unify_ids(a, b); // id_unify.cpp
  for (unsigned r = 0; r < kRegisters; ++r)
    a.regs_[r] = a.regs_[r].join(b.regs_[r]);
  a.stack_ = a.stack_.join(b.stack_);
  domains::Zone mine = std::move(a.zone_);
  a.zone_ = mine.join(b.zone_);
  recover_counter_relations(mine, b.zone_, a);
  a.refs_ = a.refs_.join(b.refs_);
  a.frames_ = a.frames_.join(b.frames_);
  return a;
}

State State::widen(const State &o, std::span<const std::uint64_t> thresholds) const {
  if (bottom_)
    return o;
  if (o.bottom_)
    return *this;
  State a = *this, b = o;
  align_zones(a, b);
  unify_ids(a, b); // id_unify.cpp
  std::vector<domains::Zone::Weight> zone_thresholds(thresholds.begin(), thresholds.end());
  for (unsigned r = 0; r < kRegisters; ++r)
    a.regs_[r] = a.regs_[r].widen(b.regs_[r], thresholds);
  a.stack_ = a.stack_.widen(b.stack_, thresholds);
  a.zone_ = a.zone_.widen(b.zone_, zone_thresholds);
  a.refs_ = a.refs_.join(b.refs_); // finite: joining is widening
  a.frames_ = a.frames_.widen(b.frames_, thresholds);
  return a;
}

State State::narrow(const State &o) const {
  if (bottom_ || o.bottom_)
    return o.bottom_ ? o : *this;
  State a = *this;
  for (unsigned r = 0; r < kRegisters; ++r)
    a.regs_[r] = regs_[r].narrow(o.regs_[r]);
  a.stack_ = stack_.narrow(o.stack_);
  a.zone_ = zone_.narrow(o.zone_);
  a.frames_ = frames_.narrow(o.frames_);
  return a;
}

std::string RegValue::to_string() const {
  std::ostringstream out;
  out << type_name(type);
  if (type == RegType::Uninit || type == RegType::Invalid)
    return out.str();
  auto lo = num.smin(), hi = num.smax();
  out << (type == RegType::Scalar ? "(" : "(off=");
  if (lo == hi)
    out << lo;
  else
    out << "[" << lo << ", " << hi << "]";
  if (type == RegType::MapValue || type == RegType::MapPtr)
    out << ",map=" << region;
  if (type == RegType::Stack && region != 0)
    out << ",frame=" << region; // a callee's frame (0: the entry function's)
  if (type == RegType::Mem)
    out << ",size=" << region;
  if (maybe_null)
    out << ",or_null";
  out << ")";
  return out.str();
}

std::string State::to_string() const {
  if (bottom_)
    return "bottom";
  std::ostringstream out;
  const char *sep = "";
  for (unsigned r = 0; r < kRegisters; ++r) {
    if (regs_[r].type == RegType::Uninit)
      continue;
    out << sep << "r" << r << "=" << regs_[r].to_string();
    if (regs_[r].type == RegType::Packet)
      if (auto d = zone_.diff_upper(zvar::reg(r), zvar::kPacketSize))
        out << "[r=" << -*d << "]"; // bytes known to follow the pointer inside the packet
    sep = " ";
  }
  return out.str();
}

} // namespace bpfcheck::analyzer
