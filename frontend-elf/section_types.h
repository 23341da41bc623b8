// Program type from an ELF section name, following libbpf's SEC() conventions (section_defs in
// libbpf.c) plus the legacy names of pre-1.0 loaders (prefix matches such as "socket1").
#pragma once

#include "program.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bpfcheck {

struct SectionType {
  bool known = false; // false: no convention matched, type is Unspec
  ProgramType type = ProgramType::Unspec;
  std::optional<std::uint32_t> expected_attach_type; // enum bpf_attach_type
  bool sleepable = false;
  std::string attach_target; // the part after "prefix/" (kprobe function, tracepoint, ...)
};

SectionType section_type(std::string_view section_name);

// The canonical spelling of a program type for --list and --type ("xdp", "sched_cls", ...);
// the same names as libbpf_bpf_prog_type_str().
std::string_view program_type_name(ProgramType type);
// Inverse of program_type_name; nullopt for an unknown name.
std::optional<ProgramType> program_type_from_name(std::string_view name);

} // namespace bpfcheck
