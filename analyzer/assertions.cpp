// Assertion generation: which registers an instruction reads and writes, which memory it
// touches, and which instructions are not modelled yet.
#include "analyzer/assertions.h"

#include "analyzer/transfer.h"

namespace bpfcheck::analyzer {
namespace {

bool is_move(AluOp op) {
  return op == AluOp::Mov || op == AluOp::MovSx8 || op == AluOp::MovSx16 || op == AluOp::MovSx32;
}

// A register read for its value: initialized, and (unless only copied) of one kind.
void read(Assertions &out, Reg r, bool used) {
  out.add(RegInitialized{r.number});
  if (used)
    out.add(UsableValue{r.number});
}

void for_alu(Assertions &out, const Alu &a) {
  if (const Reg *src = std::get_if<Reg>(&a.src))
    read(out, *src, !(a.op == AluOp::Mov && a.is64));
  if (!is_move(a.op))
    read(out, a.dst, true);
  out.add(NotFramePointer{a.dst.number});
  out.add(ValidAlu{a});
}

void for_call(Assertions &out, const Call &c, std::optional<std::uint32_t> pc, bool local_calls) {
  switch (c.kind) {
  case Call::Kind::Helper:
    out.add(ValidHelperCall{c.imm, pc});
    break;
  case Call::Kind::Local: // checked and run by the call engine (subprogram.h) when it is on
    if (!local_calls)
      out.add(Unsupported{"bpf2bpf call"});
    break;
  case Call::Kind::Kfunc:
    out.add(Unsupported{"kfunc call"});
    break;
  }
}

// An atomic read-modify-write reads the old value and writes the new one (check_atomic).
void for_atomic(Assertions &out, const Atomic &a) {
  read(out, a.base, true);
  read(out, a.src, true);
  if (a.op == Atomic::Op::CmpXchg)
    read(out, Reg{0}, true);
  out.add(ValidAtomic{a.base.number, a.src.number});
  out.add(ValidAccess{a.base.number, a.offset, a.size, false});
  out.add(ValidAccess{a.base.number, a.offset, a.size, true});
}

} // namespace

Assertions assertions_for(const Instruction &instruction, const AnalysisContext &context) {
  Assertions out;
  std::visit(
      [&](const auto &i) {
        using T = std::decay_t<decltype(i)>;
        if constexpr (std::is_same_v<T, Alu>) {
          for_alu(out, i);
        } else if constexpr (std::is_same_v<T, Neg> || std::is_same_v<T, Endian>) {
          read(out, i.dst, true);
          out.add(NotFramePointer{i.dst.number});
        } else if constexpr (std::is_same_v<T, Load>) {
          read(out, i.base, true);
          out.add(NotFramePointer{i.dst.number});
          out.add(ValidAccess{i.base.number, i.offset, i.size, false});
        } else if constexpr (std::is_same_v<T, Store>) {
          read(out, i.base, true);
          if (const Reg *src = std::get_if<Reg>(&i.src))
            read(out, *src, false);
          out.add(ValidAccess{i.base.number, i.offset, i.size, true,
                              std::holds_alternative<Imm>(i.src)});
          if (const Reg *src = std::get_if<Reg>(&i.src); src && context.local_calls)
            out.add(NoStackPointerToCaller{i.base.number, src->number});
        } else if constexpr (std::is_same_v<T, CondJump>) {
          read(out, i.left, true);
          if (const Reg *r = std::get_if<Reg>(&i.right))
            read(out, *r, true);
        } else if constexpr (std::is_same_v<T, LoadImm64>) {
          out.add(NotFramePointer{i.dst.number});
          if (i.kind == ImmKind::BtfId)
            out.add(Unsupported{"ksym address (ld_imm64 BTF id)"});
          if (i.kind == ImmKind::Func)
            out.add(Unsupported{"callback address (ld_imm64 function)"});
          if (i.kind == ImmKind::MapIdx || i.kind == ImmKind::MapIdxValue)
            out.add(Unsupported{"map by fd_array index (ld_imm64 src 5/6)"});
        } else if constexpr (std::is_same_v<T, Call>) {
          for_call(out, i, context.pc_of(instruction), context.local_calls);
        } else if constexpr (std::is_same_v<T, Exit>) {
          if (context.role == AnalysisContext::Role::Static) { // r0 may be unset (void)
            out.add(SubprogramExit{});
            return;
          }
          read(out, Reg{0}, false);
          out.add(NoLeakedReferences{}); // the kernel checks leaks before the return value
          out.add(context.role == AnalysisContext::Role::Global ? Assertion{SubprogramExit{}}
                                                                : Assertion{ValidReturn{}});
        } else if constexpr (std::is_same_v<T, Atomic>) {
          for_atomic(out, i);
        } else if constexpr (std::is_same_v<T, LoadPacket>) {
          out.add(RegInitialized{6});
          if (i.indirect)
            read(out, i.index, true);
          out.add(ValidLegacyPacketLoad{i.indirect, i.index.number});
        } else if constexpr (std::is_same_v<T, MayGoto>) {
          out.add(Unsupported{"may_goto"});
        }
      },
      instruction);
  return out;
}

std::optional<Diagnostic> first_failure(const Instruction &instruction, const State &state,
                                        const AnalysisContext &context) {
  for (const Assertion &a : assertions_for(instruction, context))
    if (auto d = check(a, state, context))
      return d;
  return std::nullopt;
}

} // namespace bpfcheck::analyzer
