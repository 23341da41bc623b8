// Memory transfer functions: stack spills and fills (with the zone variables of spilled packet
// pointers), context loads that produce packet pointers, and loads of unknown bytes elsewhere.
#include "analyzer/transfer.h"
#include "analyzer/zone_scalars.h"

namespace bpfcheck::analyzer {
namespace {

// An unknown value of `size` bytes, zero- or sign-extended to 64 bits.
RegValue unknown_of_size(unsigned size, bool sign_extend) {
  if (size == 8)
    return RegValue::scalar_top();
  std::uint64_t max = (std::uint64_t{1} << (8 * size)) - 1;
  if (!sign_extend)
    return RegValue::scalar(Scalar64::urange(0, max));
  std::int64_t half = static_cast<std::int64_t>(max / 2);
  return RegValue::scalar(Scalar64::srange(-half - 1, half));
}

// A context load: the platform's layout says which fields hold pointers. A nullable socket gets
// the load's id so that a null test of any copy refines all of them.
RegValue load_ctx(State &s, const Load &load, std::int64_t off, const AnalysisContext &c,
                  std::uint32_t id) {
  platform::ContextAccess access =
      platform::check_context_access(c.type, off, load.size, false, c.attach_type);
  auto nullable = [&](RegType t) {
    RegValue v = RegValue::pointer(t);
    v.maybe_null = true;
    v.id = id;
    return v;
  };
  switch (access.allowed ? access.value : platform::CtxValue::Scalar) {
  case platform::CtxValue::PacketPointer:
    s.zone().assign_interval(zvar::kScratch, 0, 0); // placed by the caller into the register
    return RegValue::pointer(RegType::Packet);
  case platform::CtxValue::PacketMeta:
    return RegValue::pointer(RegType::PacketMeta);
  case platform::CtxValue::PacketEnd:
    return RegValue::pointer(RegType::PacketEnd);
  case platform::CtxValue::SockCommonOrNull:
    return nullable(RegType::SockCommon);
  case platform::CtxValue::Socket:
    return RegValue::pointer(RegType::Socket);
  case platform::CtxValue::SocketOrNull:
    return nullable(RegType::Socket);
  case platform::CtxValue::FlowKeys:
    return RegValue::pointer(RegType::FlowKeys);
  case platform::CtxValue::TpBuffer:
    return RegValue::pointer(RegType::TpBuffer);
  case platform::CtxValue::Scalar:
    break;
  }
  return unknown_of_size(load.size, load.sign_extend);
}

// The stack slot variable or register variable that a spill or fill moves between.
void copy_packet_var(State &s, domains::Zone::Var from, domains::Zone::Var to) {
  s.zone().assign_var(to, from);
}

} // namespace

std::optional<std::int64_t> constant_offset(const RegValue &value) {
  if (!value.num.is_singleton())
    return std::nullopt;
  return value.num.smin();
}

void transfer_load(State &s, const Load &load, const AnalysisContext &c, std::uint32_t id) {
  const RegValue base = s.reg(load.base.number);
  unsigned d = load.dst.number;
  auto off = constant_offset(base);
  std::int64_t at = off ? *off + load.offset : 0;
  if (base.type == RegType::Stack && off && at >= -Stack::kSize && at + load.size <= 0) {
    Stack::ReadResult r = s.stack_of(base).read(static_cast<int>(at), load.size);
    if (r.value.type == RegType::Scalar && load.sign_extend)
      r.value.num = domains::movsx(r.value.num, 8 * load.size, true);
    s.set_reg(d, r.value);
    if (r.value.type == RegType::Packet)
      copy_packet_var(s, s.slot_var(base, Stack::slot_of(static_cast<int>(at))), zvar::reg(d));
    else if (r.value.type == RegType::Scalar && load.size == 8 && at % 8 == 0 &&
             s.stack_of(base).spill_at(static_cast<int>(at))) // a scalar filled whole
      zone_fill_scalar(s, d, s.slot_var(base, Stack::slot_of(static_cast<int>(at))));
    return;
  }
  if (base.type == RegType::Ctx && off) {
    RegValue v = load_ctx(s, load, at, c, id);
    if (v.id != 0)
      forget_id(s, v.id);
    s.set_reg(d, v);
    if (v.type == RegType::Packet)
      copy_packet_var(s, zvar::kScratch, zvar::reg(d));
    s.zone().forget(zvar::kScratch);
    return;
  }
  s.set_reg(d, unknown_of_size(load.size, load.sign_extend));
}

void transfer_store(State &s, const Store &store) {
  const RegValue base = s.reg(store.base.number);
  auto off = constant_offset(base);
  if (base.type != RegType::Stack || !off)
    return; // other memory's contents are not tracked
  std::int64_t at = *off + store.offset;
  if (at < -Stack::kSize || at + store.size > 0)
    return;
  RegValue v = operand_value(s, store.src);
  int first = static_cast<int>(at);
  for (int slot = Stack::slot_of(first); slot <= Stack::slot_of(first + store.size - 1); ++slot)
    s.zone().forget(s.slot_var(base, slot));
  s.stack_of(base).write(first, store.size, v); // the frame the pointer points into
  if (v.type == RegType::Packet && s.stack_of(base).spill_at(first))
    copy_packet_var(s, zvar::reg(std::get<Reg>(store.src).number),
                    s.slot_var(base, Stack::slot_of(first)));
  else if (v.type == RegType::Scalar && s.stack_of(base).spill_at(first)) // zone_scalars.h
    zone_spill_scalar(s, s.slot_var(base, Stack::slot_of(first)), std::get_if<Reg>(&store.src),
                      v.num);
}

void transfer_atomic(State &s, const Atomic &a) {
  const RegValue base = s.reg(a.base.number);
  auto off = constant_offset(base);
  std::int64_t at = off ? *off + a.offset : 0;
  if (base.type == RegType::Stack && off && at >= -Stack::kSize && at + a.size <= 0) {
    int first = static_cast<int>(at);
    for (int slot = Stack::slot_of(first); slot <= Stack::slot_of(first + a.size - 1); ++slot)
      s.zone().forget(s.slot_var(base, slot));
    s.stack_of(base).write(first, a.size, RegValue::scalar_top());
  }
  RegValue old = unknown_of_size(a.size, false);
  if (a.op == Atomic::Op::CmpXchg)
    s.set_reg(0, old);
  else if (a.fetch || a.op == Atomic::Op::Xchg)
    s.set_reg(a.src.number, old);
}

} // namespace bpfcheck::analyzer
