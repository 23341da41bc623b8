// The dispatch of transfer functions over the Instruction variant, and the instructions with
// small effects: ld_imm64, calls other than helpers, exit and jumps.
#include "analyzer/transfer.h"

namespace bpfcheck::analyzer {
namespace {

// A call clobbers r1-r5 and defines r0.
void clobber_call(State &s, const RegValue &r0) {
  for (unsigned r = 1; r <= 5; ++r)
    s.set_reg(r, RegValue::uninit());
  s.set_reg(0, r0);
}

void transfer_ld_imm64(State &s, const LoadImm64 &l) {
  unsigned d = l.dst.number;
  switch (l.kind) {
  case ImmKind::Value:
    return s.set_reg(d, RegValue::constant(l.value()));
  case ImmKind::MapFd:
    return s.set_reg(d, RegValue::pointer(RegType::MapPtr, 0, static_cast<std::uint32_t>(l.imm)));
  case ImmKind::MapValue:
    return s.set_reg(
        d, RegValue::pointer(RegType::MapValue, l.next_imm, static_cast<std::uint32_t>(l.imm)));
  default: // ksyms, callbacks, fd_array indices: unsupported (assertion), unusable here
    return s.set_reg(d, {RegType::Invalid, false, 0, {}});
  }
}

} // namespace

RegValue operand_value(const State &state, const Operand &operand) {
  if (const Reg *r = std::get_if<Reg>(&operand))
    return state.reg(r->number);
  return RegValue::constant(static_cast<std::uint64_t>(std::get<Imm>(operand).value));
}

void transfer(State &s, const Instruction &instruction, const AnalysisContext &c) {
  if (s.is_bottom())
    return;
  std::optional<std::uint32_t> pc = c.pc_of(instruction);
  std::visit(
      [&](const auto &i) {
        using T = std::decay_t<decltype(i)>;
        if constexpr (std::is_same_v<T, Alu>)
          transfer_alu(s, i);
        else if constexpr (std::is_same_v<T, Neg>)
          transfer_neg(s, i);
        else if constexpr (std::is_same_v<T, Endian>)
          transfer_endian(s, i);
        else if constexpr (std::is_same_v<T, Load>)
          transfer_load(s, i, c, pc ? *pc + 1 : 0);
        else if constexpr (std::is_same_v<T, Store>)
          transfer_store(s, i);
        else if constexpr (std::is_same_v<T, LoadImm64>)
          transfer_ld_imm64(s, i);
        else if constexpr (std::is_same_v<T, Call>) {
          if (i.kind == Call::Kind::Helper)
            transfer_call(s, i, pc, c);
          else // bpf2bpf calls and kfuncs are unsupported (assertions)
            clobber_call(s, RegValue::scalar_top());
        } else if constexpr (std::is_same_v<T, LoadPacket>) {
          // The byte-swapped packet bytes, zero-extended; a load past the end leaves the
          // program with return value 0 instead (the kernel's implicit exit).
          clobber_call(
              s, RegValue::scalar(Scalar64::urange(0, (std::uint64_t{1} << (8 * i.size)) - 1)));
        } else if constexpr (std::is_same_v<T, Atomic>) {
          transfer_atomic(s, i);
        }
        // Goto, CondJump, MayGoto, Exit: no effect on the state (edges refine, see fixpoint).
      },
      instruction);
}

} // namespace bpfcheck::analyzer
