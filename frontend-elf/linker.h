// Functions of an object and the bpf2bpf linker: each program gets its entry function followed
// by every subprogram it reaches (calls and callback addresses), appended once in depth-first
// order with call offsets fixed up, as libbpf's bpf_object__reloc_code lays them out.
#pragma once

#include "elf_image.h"
#include "object_file.h"
#include "relocations.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bpfcheck {

class Btf;

struct Function {
  std::uint32_t section = 0;
  std::string name;
  std::uint64_t start = 0; // first slot within the section
  std::uint64_t count = 0; // slots
  bool global = false;
  bool program = false; // an entry point (global function outside .text)
};

class FunctionIndex {
public:
  // Programs as libbpf finds them; a code section without FUNC symbols is one function.
  static FunctionIndex build(const elf::ElfImage &image, const std::string &file,
                             std::vector<LoadDiagnostic> &diagnostics);
  const std::vector<Function> &functions() const { return functions_; }
  const Function *starting_at(std::uint32_t section, std::uint64_t slot) const;

private:
  std::vector<Function> functions_; // sorted by (section, start)
};

struct LinkedProgram {
  struct Placement {
    const Function *function = nullptr;
    std::uint32_t start = 0; // first slot in `instructions`
  };
  std::vector<RawInstruction> instructions;
  std::vector<Placement> placements; // [0] is the entry
  std::vector<ExternSymbol> externs;
  std::vector<LoaderMismatch> loader_mismatches;
};

struct LinkFailure {
  std::uint32_t section = 0;
  std::uint64_t offset = 0; // byte offset within that section
  std::string message;
};

struct LinkContext {
  const elf::ElfImage &image;
  const FunctionIndex &functions;
  const std::vector<const SectionCode *> &code; // indexed by section, null for non-code
  const Btf *btf = nullptr;
};

// Either the linked program or where linking failed (a broken relocation in any reached
// function, a call into the middle of a function, a program over the size limit).
std::variant<LinkedProgram, LinkFailure> link_program(const Function &entry,
                                                      const LinkContext &context);

} // namespace bpfcheck
