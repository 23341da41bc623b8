// The effect of a helper call: stack bytes the helper writes become initialized, packet pointers
// die when the helper may move the packet, released references and every copy of their pointer
// die, r1-r5 become unreadable, and r0 gets the prototype's result (with a fresh id, and a
// reference for acquiring helpers).
#include "analyzer/helper_args.h"
#include "analyzer/transfer.h"

namespace bpfcheck::analyzer {
namespace {

using platform::ArgKind;
using platform::RetKind;

// Bytes [off, off + surely) are written; [off + surely, off + maybe) may be: their spills are
// gone, but bytes never initialized stay so.
void write_stack(State &s, const RegValue &ptr, std::uint64_t surely, std::uint64_t maybe) {
  std::int64_t off = ptr.num.smin(); // into the frame of ptr (a caller's, in a subprogram)
  for (std::uint64_t i = 0; i < maybe; ++i) {
    int at = static_cast<int>(off + static_cast<std::int64_t>(i));
    if (at < -Stack::kSize || at >= 0)
      return;
    if (i < surely || s.stack_of(ptr).byte(at) != Stack::Byte::Uninit) {
      s.zone().forget(s.slot_var(ptr, Stack::slot_of(at)));
      s.stack_of(ptr).write(at, 1, RegValue::scalar_top());
    }
  }
}

void apply_writes(State &s, const platform::HelperPrototype &p, const AnalysisContext &c) {
  for (unsigned i = 0; i < p.args.size(); ++i) {
    std::optional<MemArg> m = memory_argument(p, i, s, c);
    const RegValue &v = s.reg(i + 1);
    if (!m || !m->writes || v.type != RegType::Stack || !v.num.is_singleton())
      continue;
    write_stack(s, v, m->must_write ? m->min_size : 0, m->max_size);
  }
}

void invalidate_packet_pointers(State &s) {
  for (unsigned r = 0; r < State::kRegisters; ++r) {
    RegType t = s.reg(r).type;
    if (t == RegType::Packet || t == RegType::PacketEnd || t == RegType::PacketMeta)
      s.set_reg(r, RegValue::scalar_top());
  }
  for (int slot = 0; slot < Stack::kSlots; ++slot) {
    RegValue *v = s.stack().spill_at(slot * 8 - Stack::kSize);
    if (v && (v->type == RegType::Packet || v->type == RegType::PacketEnd ||
              v->type == RegType::PacketMeta)) {
      *v = RegValue::scalar_top();
      s.zone().forget(zvar::slot(slot));
    }
  }
  s.for_each_caller_slot([&](RegValue &v, domains::Zone::Var var) { // bpf2bpf callers' frames
    if (v.type == RegType::Packet || v.type == RegType::PacketEnd ||
        v.type == RegType::PacketMeta) {
      v = RegValue::scalar_top();
      s.zone().forget(var);
    }
  });
  s.zone().forget(zvar::kPacketSize);
  s.zone().assign_interval(zvar::kPacketSize, 0, kMaxPacketSize);
}

// The kernel's release_reference: every copy of the released pointer becomes unusable.
void release(State &s, std::uint32_t id) {
  if (id == 0)
    return;
  s.refs().release(id);
  for_each_value(s, [&](RegValue &v) {
    if (v.id == id && is_pointer(v.type))
      v = RegValue::scalar_top();
  });
}

RegValue result(const platform::HelperPrototype &p, const State &s, const AnalysisContext &c,
                std::uint32_t id) {
  auto nullable = [&](RegType t, std::uint32_t region) {
    RegValue v = RegValue::pointer(t, 0, region);
    v.maybe_null = true;
    v.id = id;
    return v;
  };
  const MapDescriptor *map = call_map(p, s, c);
  auto map_index = [&] { return static_cast<std::uint32_t>(map - c.maps.data()); };
  switch (p.ret) {
  case RetKind::Integer:
    return RegValue::scalar(Scalar64::srange(p.ret_min, p.ret_max));
  case RetKind::Void:
    return RegValue::uninit();
  case RetKind::PtrToMapValue:
  case RetKind::PtrToMapValueOrNull: {
    if (!map)
      break;
    auto type = static_cast<platform::MapType>(map->type);
    bool of_maps = type == platform::MapType::ArrayOfMaps || type == platform::MapType::HashOfMaps;
    RegValue v = of_maps && map->inner_map ? nullable(RegType::MapPtr, *map->inner_map)
                                           : nullable(RegType::MapValue, map_index());
    v.maybe_null = p.ret == RetKind::PtrToMapValueOrNull;
    return v;
  }
  case RetKind::PtrToSocketOrNull:
    return nullable(RegType::Socket, 0);
  case RetKind::PtrToTcpSockOrNull:
    return nullable(RegType::TcpSock, 0);
  case RetKind::PtrToSockCommonOrNull:
    return nullable(RegType::SockCommon, 0);
  case RetKind::PtrToAllocMemOrNull: {
    const RegValue &size = s.reg(static_cast<unsigned>(p.ret_size_arg) + 1);
    return nullable(RegType::RingbufMem, static_cast<std::uint32_t>(size.num.umin()));
  }
  default:
    break;
  }
  return RegValue::scalar_top(); // not modelled: the checker rejected the call
}

} // namespace

void forget_id(State &s, std::uint32_t id) {
  for_each_value(s, [&](RegValue &v) {
    if (v.id == id)
      v.id = 0;
  });
}

void transfer_call(State &s, const Call &call, std::optional<std::uint32_t> pc,
                   const AnalysisContext &c) {
  const platform::HelperPrototype *p =
      call.imm < 0 ? nullptr : platform::find_helper(static_cast<std::uint32_t>(call.imm), c.type);
  RegValue r0 = RegValue::scalar_top();
  if (p) {
    apply_writes(s, *p, c);
    for (unsigned i = 0; i < p->args.size(); ++i)
      if ((p->args[i].flags & platform::kRelease) != 0)
        release(s, s.reg(i + 1).id);
    std::uint32_t id = pc ? *pc + 1 : 0;
    if (id != 0)
      forget_id(s, id);
    r0 = result(*p, s, c, id);
    if ((p->flags & platform::kAcquire) != 0 && id != 0 && r0.maybe_null)
      s.refs().acquire(id, static_cast<std::uint16_t>(p->id));
    if ((p->flags & platform::kChangesPktData) != 0)
      invalidate_packet_pointers(s);
  }
  for (unsigned r = 1; r <= 5; ++r)
    s.set_reg(r, RegValue::uninit());
  s.set_reg(0, r0);
}

} // namespace bpfcheck::analyzer
