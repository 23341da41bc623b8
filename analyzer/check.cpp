// Assertion checking on a pre-state: each failed property becomes a Diagnostic whose rule id is
// stable (it is part of the output contract) and whose registers show the values involved.
#include "analyzer/assertions.h"
#include "analyzer/rule_ids.h"
#include "analyzer/transfer.h"

#include <string>

namespace bpfcheck::analyzer {
namespace {

using Diag = std::optional<Diagnostic>;

std::string rname(unsigned r) { return "r" + std::to_string(r); }

Diag check_alu(const Alu &a, const State &s) {
  const RegValue &dst = s.reg(a.dst.number);
  RegValue src = operand_value(s, a.src);
  bool is_mov = a.op == AluOp::Mov || a.op == AluOp::MovSx8 || a.op == AluOp::MovSx16 ||
                a.op == AluOp::MovSx32;
  if (is_mov || (dst.type == RegType::Scalar && src.type == RegType::Scalar))
    return std::nullopt;
  unsigned d = a.dst.number;
  auto bad = [&](std::string why) {
    return make_diagnostic(rule::kPointerArithmetic, std::move(why), s, {d});
  };
  if (!a.is64)
    return bad("32-bit arithmetic on pointer " + rname(d) + " or its operand");
  if (a.op != AluOp::Add && a.op != AluOp::Sub)
    return bad("this operator is not allowed on pointers");
  if (is_pointer(dst.type) && is_pointer(src.type)) {
    // The kernel lets privileged programs subtract any two pointers (e.g. data_end - data):
    // the result is a number (unknown unless both point into the same object).
    if (a.op == AluOp::Sub)
      return std::nullopt;
    return bad("pointer " + std::string(a.op == AluOp::Sub ? "-" : "+") + " pointer");
  }
  if (a.op == AluOp::Sub && !is_pointer(dst.type))
    return bad("subtracting a pointer from a scalar");
  const RegValue &ptr = is_pointer(dst.type) ? dst : src;
  const RegValue &num = is_pointer(dst.type) ? src : dst;
  if (ptr.type == RegType::PacketEnd || ptr.type == RegType::MapPtr)
    return bad("arithmetic on a " + std::string(type_name(ptr.type)) + " pointer");
  if (ptr.maybe_null) // the defect is the missing null test (the kernel: "..._or_null")
    return make_diagnostic(rule::kNullDereference,
                           "arithmetic on a pointer that may be null: test it against 0 first", s,
                           {d});
  if (is_socket(ptr.type) || (ptr.type == RegType::FlowKeys && !num.num.is_singleton()))
    return bad("arithmetic on a " + std::string(type_name(ptr.type)) + " pointer");
  constexpr std::int64_t kMaxVarOff = std::int64_t{1} << 29;
  if (num.num.smin() < -kMaxVarOff || num.num.smax() > kMaxVarOff)
    return bad("the offset added to the pointer is not bounded");
  // The kernel bounds pointer offsets too; it also keeps the zone's no-wrap premise true.
  if (ptr.num.smin() < -kMaxVarOff || ptr.num.smax() > kMaxVarOff)
    return bad("the pointer's offset is already outside the allowed range");
  return std::nullopt;
}

Diag check_return(const State &s, const AnalysisContext &c) {
  const RegValue &r0 = s.reg(0);
  const platform::ReturnRange &range = c.return_range;
  if (!range.enforced) // the documented verdicts are checked at run time, not at load
    return std::nullopt;
  std::string allowed = "[" + std::to_string(range.min) + ", " + std::to_string(range.max) + "]";
  if (r0.type != RegType::Scalar)
    return make_diagnostic(rule::kBadReturnValue, "r0 at exit must be a number in " + allowed, s,
                           {0});
  // The kernel checks the low 32 bits as a signed value.
  if (r0.num.smin32() < range.min || r0.num.smax32() > range.max)
    return make_diagnostic(rule::kBadReturnValue, "r0 at exit may lie outside " + allowed, s, {0});
  return std::nullopt;
}

Diag check_references(const State &s) {
  for (const References::Ref &r : s.refs()) {
    const platform::HelperPrototype *p = platform::find_helper(r.helper);
    return make_diagnostic(
        rule::kReferenceLeak,
        std::string(r.maybe ? "on some path, " : "") + "the reference acquired by " +
            (p ? "bpf_" + std::string(p->name) : "a helper") + " at instruction " +
            std::to_string(r.id - 1) + " is still held at exit",
        s, {}, "release it (bpf_sk_release, bpf_ringbuf_submit/discard) on every path");
  }
  return std::nullopt;
}

// The kernel's check_ld_abs: socket filters and tc programs only, with the skb in r6 at offset
// 0 and no reference held (the load may end the program). The loaded value is the only effect.
Diag check_legacy_packet_load(const ValidLegacyPacketLoad &l, const State &s,
                              const AnalysisContext &c) {
  if (c.type != ProgramType::SocketFilter && c.type != ProgramType::SchedCls &&
      c.type != ProgramType::SchedAct)
    return make_diagnostic(rule::kInvalidMemoryAccess,
                           "BPF_ABS/BPF_IND packet loads are only allowed in socket filters and "
                           "tc programs",
                           s);
  if (c.role != AnalysisContext::Role::Entry) // the kernel's rules for subprograms differ
    return make_diagnostic(rule::kUnsupportedFeature,
                           "not supported yet: BPF_ABS/BPF_IND packet loads in a subprogram", s);
  if (!s.refs().empty())
    return make_diagnostic(rule::kReferenceLeak,
                           "a BPF_ABS/BPF_IND load may end the program while a reference is held",
                           s, {}, "release the reference before this load");
  const RegValue &skb = s.reg(6);
  if (skb.type != RegType::Ctx || constant_offset(skb) != 0)
    return make_diagnostic(rule::kInvalidMemoryAccess,
                           "BPF_ABS/BPF_IND loads read the packet of the skb in r6, which must "
                           "hold the context",
                           s, {6}, "keep the context pointer (r1 at entry) in r6");
  if (l.indirect && s.reg(l.index).type != RegType::Scalar)
    return make_diagnostic(rule::kPointerArithmetic,
                           "the offset register of a BPF_IND load must hold a number", s,
                           {l.index});
  return std::nullopt;
}

// The kernel's check_atomic refuses the context, packets, flow keys and sockets.
Diag check_atomic(const ValidAtomic &a, const State &s) {
  RegType t = s.reg(a.base).type;
  if (t != RegType::Stack && t != RegType::MapValue && t != RegType::Mem &&
      t != RegType::RingbufMem && t != RegType::Uninit && t != RegType::Invalid)
    return make_diagnostic(rule::kInvalidMemoryAccess,
                           "atomic operations are not allowed on a " + std::string(type_name(t)), s,
                           {a.base});
  RegType src = s.reg(a.src).type;
  if (src != RegType::Scalar && src != RegType::Uninit && src != RegType::Invalid)
    return make_diagnostic(rule::kUnsupportedFeature,
                           "not supported yet: an atomic operation with a pointer operand", s,
                           {a.src});
  return std::nullopt;
}

} // namespace

Diagnostic make_diagnostic(std::string_view rule, std::string message, const State &s,
                           std::initializer_list<unsigned> regs, std::string hint) {
  Diagnostic d;
  d.rule = std::string(rule);
  d.message = std::move(message);
  d.hint = std::move(hint);
  for (unsigned r : regs)
    d.registers.push_back({"r" + std::to_string(r), s.reg(r).to_string()});
  return d;
}

Diag check(const Assertion &assertion, const State &s, const AnalysisContext &c) {
  if (s.is_bottom())
    return std::nullopt;
  if (auto *a = std::get_if<RegInitialized>(&assertion)) {
    if (s.reg(a->reg).type == RegType::Uninit)
      return make_diagnostic(rule::kUninitializedRegister,
                             rname(a->reg) + " is read before it is written on some path", s,
                             {a->reg});
  } else if (auto *f = std::get_if<NotFramePointer>(&assertion)) {
    if (f->reg == 10)
      return make_diagnostic(rule::kFramePointerWrite, "r10 is the read-only frame pointer", s);
  } else if (auto *u = std::get_if<UsableValue>(&assertion)) {
    if (s.reg(u->reg).type == RegType::Invalid)
      return make_diagnostic(rule::kMixedRegisterTypes,
                             rname(u->reg) + " holds values of different kinds on different paths",
                             s, {u->reg});
  } else if (auto *alu = std::get_if<ValidAlu>(&assertion)) {
    return check_alu(alu->alu, s);
  } else if (auto *m = std::get_if<ValidAccess>(&assertion)) {
    return check_access(*m, s, c);
  } else if (std::holds_alternative<ValidReturn>(assertion)) {
    return check_return(s, c);
  } else if (std::holds_alternative<NoLeakedReferences>(assertion)) {
    return check_references(s);
  } else if (std::holds_alternative<SubprogramExit>(assertion)) {
    return check_subprogram_exit(s, c);
  } else if (auto *p = std::get_if<NoStackPointerToCaller>(&assertion)) {
    return check_stack_pointer_store(*p, s);
  } else if (auto *h = std::get_if<ValidHelperCall>(&assertion)) {
    return check_helper_call(*h, s, c);
  } else if (auto *at = std::get_if<ValidAtomic>(&assertion)) {
    return check_atomic(*at, s);
  } else if (auto *l = std::get_if<ValidLegacyPacketLoad>(&assertion)) {
    return check_legacy_packet_load(*l, s, c);
  } else if (auto *x = std::get_if<Unsupported>(&assertion)) {
    return make_diagnostic(rule::kUnsupportedFeature,
                           "not supported yet: " + std::string(x->feature), s);
  }
  return std::nullopt;
}

} // namespace bpfcheck::analyzer
