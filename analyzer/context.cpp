// Building the analysis context from a Program and the platform tables.
#include "analyzer/context.h"

#include <array>
#include <cstdint>

namespace bpfcheck::analyzer {

bool license_is_gpl_compatible(std::string_view license) {
  constexpr std::array<std::string_view, 6> kGpl = {
      "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"};
  for (std::string_view l : kGpl)
    if (license == l)
      return true;
  return false;
}

bool map_read_only(const MapDescriptor &map) {
  constexpr std::uint32_t kRdonlyProg = 1u << 7; // BPF_F_RDONLY_PROG
  auto type = static_cast<platform::MapType>(map.type);
  return map.origin == MapOrigin::Rodata || map.origin == MapOrigin::Kconfig ||
         (map.flags & kRdonlyProg) != 0 || type == platform::MapType::Devmap ||
         type == platform::MapType::DevmapHash;
}

AnalysisContext make_context(const Program &program, const DecodedProgram &decoded,
                             std::vector<std::uint64_t> thresholds) {
  AnalysisContext c;
  c.type = program.type;
  c.attach_type = program.expected_attach_type;
  c.return_range = platform::return_range(program.type, program.expected_attach_type);
  c.maps = program.maps;
  c.thresholds = std::move(thresholds);
  c.gpl_compatible = license_is_gpl_compatible(program.license);
  c.sleepable = program.sleepable;
  c.instructions = decoded.instructions;
  return c;
}

// The instruction is found by its address: transfer() receives a reference into the decoded
// program, and this keeps the transfer interface free of a slot argument.
std::optional<std::uint32_t> AnalysisContext::pc_of(const Instruction &instruction) const {
  if (instructions.empty())
    return std::nullopt;
  auto base = reinterpret_cast<std::uintptr_t>(&instructions.front().instruction);
  auto at = reinterpret_cast<std::uintptr_t>(&instruction);
  if (at < base)
    return std::nullopt;
  std::size_t index = (at - base) / sizeof(DecodedInstruction);
  if (index >= instructions.size() || &instructions[index].instruction != &instruction)
    return std::nullopt;
  return instructions[index].pc;
}

} // namespace bpfcheck::analyzer
