// Small queries on decoded instructions shared by the decoder, the CFG builder and the analyzer.
#include "instruction.h"

namespace bpfcheck {

bool falls_through(const Instruction &instruction) {
  return !std::holds_alternative<Goto>(instruction) && !std::holds_alternative<Exit>(instruction);
}

std::uint32_t jump_target(const Instruction &instruction) {
  if (const auto *go = std::get_if<Goto>(&instruction))
    return go->target;
  if (const auto *jump = std::get_if<CondJump>(&instruction))
    return jump->target;
  if (const auto *may_goto = std::get_if<MayGoto>(&instruction))
    return may_goto->target;
  return kNoTarget;
}

std::uint32_t slot_size(const Instruction &instruction) {
  return std::holds_alternative<LoadImm64>(instruction) ? 2 : 1;
}

} // namespace bpfcheck
