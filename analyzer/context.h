// What the transfer functions and assertions need to know about the program being analyzed:
// its type and attach type (context layout and helpers come from the platform tables), license
// and sleepability, return range, maps, and the widening thresholds from its constants.
#pragma once

#include "analyzer/platform/platform.h"
#include "instruction.h"
#include "program.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace bpfcheck::analyzer {

struct AnalysisContext {
  ProgramType type = ProgramType::Unspec;
  std::optional<std::uint32_t> attach_type; // enum bpf_attach_type, when known
  platform::ReturnRange return_range;
  std::span<const MapDescriptor> maps;
  std::vector<std::uint64_t> thresholds; // sorted, unique
  bool gpl_compatible = false;           // GPL-only helpers need a GPL-compatible license
  bool sleepable = false;
  // The program's instructions, to name the slot of an instruction handed to transfer() (helper
  // results get the kernel-like id of their call site). Empty in contexts built by hand.
  std::span<const DecodedInstruction> instructions;
  // The function being analyzed: the entry, a static subprogram (run in its caller's context)
  // or a global function (verified alone); their exits are checked differently (subprogram.h).
  enum class Role : std::uint8_t { Entry, Static, Global };
  Role role = Role::Entry;
  bool local_calls = false; // bpf2bpf calls are run by analyze.cpp's call engine

  // The slot of an instruction that is an element of `instructions`, else nullopt.
  std::optional<std::uint32_t> pc_of(const Instruction &instruction) const;
};

AnalysisContext make_context(const Program &program, const DecodedProgram &decoded,
                             std::vector<std::uint64_t> thresholds);

// Maps the program cannot write: frozen global data (.rodata, .kconfig), BPF_F_RDONLY_PROG, and
// the map types whose values the kernel makes read-only for programs (devmaps).
bool map_read_only(const MapDescriptor &map);

// The kernel's license_is_gpl_compatible.
bool license_is_gpl_compatible(std::string_view license);

} // namespace bpfcheck::analyzer
