// Function discovery (libbpf's bpf_object__add_programs) and subprogram linking. The depth-first
// walk uses an explicit stack, so a hostile call chain can not exhaust the native stack.
#include "linker.h"

#include "btf.h"

#include <linux/btf.h>

#include <algorithm>
#include <unordered_map>

namespace bpfcheck {
namespace {

// The kernel's BPF_COMPLEXITY_LIMIT_INSNS; also bounds memory on hostile objects where many
// overlapping functions would otherwise be appended to every program.
constexpr std::uint64_t kMaxProgramSlots = 1'000'000;

void add_section_functions(const elf::ElfImage &image, const elf::Section &section,
                           const std::string &file, std::vector<LoadDiagnostic> &diagnostics,
                           std::vector<Function> &out) {
  const std::uint64_t slots = section.data.size() / 8;
  const bool text = section.name == ".text";
  std::vector<Function> found;
  for (const elf::Symbol &symbol : image.symbols) {
    if (symbol.section != section.index || symbol.type != elf::kSttFunc)
      continue;
    if (symbol.value % 8 != 0 || symbol.value / 8 >= slots) {
      diagnostics.push_back({file, section.name, symbol.value,
                             "function '" + symbol.name + "' does not start at an instruction"});
      continue;
    }
    Function function;
    function.section = section.index;
    function.name = symbol.name;
    function.start = symbol.value / 8;
    function.count = symbol.size / 8;
    function.global = symbol.binding != elf::kStbLocal;
    function.program = !text && function.global;
    found.push_back(std::move(function));
  }
  if (found.empty() && slots > 0) // old objects: the whole section is one function
    found.push_back({section.index, section.name, 0, slots, !text, !text});
  std::stable_sort(found.begin(), found.end(), [](const Function &a, const Function &b) {
    return a.start != b.start ? a.start < b.start : a.global > b.global;
  });
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i > 0 && found[i].start == found[i - 1].start)
      continue; // an alias of the previous function
    std::size_t j = i + 1;
    while (j < found.size() && found[j].start == found[i].start)
      ++j; // aliases
    const std::uint64_t next = j < found.size() ? found[j].start : slots;
    // A zero or oversized st_size (hand-written assembly, hostile input) ends at the next
    // function: functions never overlap, so a program never holds more than its sections.
    const std::uint64_t room = next - found[i].start;
    if (found[i].count == 0 || found[i].count > room)
      found[i].count = room;
    out.push_back(found[i]);
  }
}

class Linker {
public:
  Linker(const Function &entry, const LinkContext &context) : entry_(entry), context_(context) {}

  std::variant<LinkedProgram, LinkFailure> run() {
    placed_.emplace(&entry_, 0);
    if (!append(entry_))
      return failure_;
    struct Frame {
      const Function *function;
      std::uint32_t base;
      std::uint64_t next;
    };
    std::vector<Frame> stack{{&entry_, 0, 0}};
    while (!stack.empty()) {
      Frame &frame = stack.back();
      if (frame.next >= frame.function->count) {
        stack.pop_back();
        continue;
      }
      const Function &function = *frame.function;
      const std::uint64_t index = frame.next++;
      const std::uint64_t here = frame.base + index;
      const SlotFixup &fixup = code(function).fixups[function.start + index];
      if (fixup.kind != SlotFixup::Kind::Call && fixup.kind != SlotFixup::Kind::FuncAddr)
        continue;
      const Function *callee = context_.functions.starting_at(fixup.section, fixup.slot);
      if (callee == nullptr)
        return fail(function.section, (function.start + index) * 8,
                    "call target is not the start of a function");
      auto [position, inserted] = placed_.emplace(callee, program_.instructions.size());
      if (inserted) {
        if (!append(*callee))
          return failure_;
        stack.push_back({callee, position->second, 0}); // invalidates `frame`
      }
      program_.instructions[here].imm =
          static_cast<std::int32_t>(std::int64_t{position->second} - std::int64_t(here) - 1);
    }
    return std::move(program_);
  }

private:
  const SectionCode &code(const Function &function) const {
    return *context_.code[function.section];
  }

  LinkFailure fail(std::uint32_t section, std::uint64_t offset, std::string message) {
    failure_ = {section, offset, std::move(message)};
    return failure_;
  }

  // Copies one function, resolving its externs; false (with failure_ set) when it is broken.
  bool append(const Function &function) {
    const SectionCode &section = code(function);
    if (program_.instructions.size() + function.count > kMaxProgramSlots) {
      fail(function.section, function.start * 8,
           "program exceeds " + std::to_string(kMaxProgramSlots) + " instructions when linked");
      return false;
    }
    const auto start = static_cast<std::uint32_t>(program_.instructions.size());
    program_.placements.push_back({&function, start});
    for (const LoaderMismatch &mismatch : section.loader_mismatches)
      if (mismatch.slot >= function.start && mismatch.slot < function.start + function.count)
        program_.loader_mismatches.push_back(
            {static_cast<std::uint32_t>(start + mismatch.slot - function.start), mismatch.message});
    for (std::uint64_t slot = function.start; slot < function.start + function.count; ++slot) {
      RawInstruction insn = section.slots[slot];
      const SlotFixup &fixup = section.fixups[slot];
      if (fixup.kind == SlotFixup::Kind::Broken) {
        fail(function.section, slot * 8, broken_message(section, slot));
        return false;
      }
      if (fixup.kind == SlotFixup::Kind::Kfunc || fixup.kind == SlotFixup::Kind::Ksym) {
        const bool call = fixup.kind == SlotFixup::Kind::Kfunc;
        insn.src = call ? kPseudoKfuncCall : kPseudoBtfId;
        insn.imm = static_cast<std::int32_t>(extern_index(fixup.symbol, call));
      }
      program_.instructions.push_back(insn);
    }
    return true;
  }

  static std::string broken_message(const SectionCode &section, std::uint64_t slot) {
    for (const SectionError &error : section.errors)
      if (error.offset / 8 == slot)
        return error.message;
    return "broken instruction";
  }

  std::uint32_t extern_index(std::uint32_t symbol_index, bool call) {
    const elf::Symbol &symbol = context_.image.symbols[symbol_index];
    const auto kind = call ? ExternSymbol::Kind::Kfunc : ExternSymbol::Kind::Ksym;
    for (std::size_t i = 0; i < program_.externs.size(); ++i)
      if (program_.externs[i].name == symbol.name && program_.externs[i].kind == kind)
        return static_cast<std::uint32_t>(i);
    ExternSymbol item;
    item.name = symbol.name;
    item.kind = kind;
    item.weak = symbol.binding == elf::kStbWeak;
    if (context_.btf != nullptr)
      item.btf_type =
          context_.btf->find(symbol.name, call ? BTF_KIND_FUNC : BTF_KIND_VAR).value_or(0);
    program_.externs.push_back(std::move(item));
    return static_cast<std::uint32_t>(program_.externs.size() - 1);
  }

  const Function &entry_;
  const LinkContext &context_;
  LinkedProgram program_;
  std::unordered_map<const Function *, std::uint32_t> placed_;
  LinkFailure failure_;
};

} // namespace

FunctionIndex FunctionIndex::build(const elf::ElfImage &image, const std::string &file,
                                   std::vector<LoadDiagnostic> &diagnostics) {
  FunctionIndex index;
  for (const elf::Section &section : image.sections)
    if (section.executable() && !section.data.empty())
      add_section_functions(image, section, file, diagnostics, index.functions_);
  return index;
}

const Function *FunctionIndex::starting_at(std::uint32_t section, std::uint64_t slot) const {
  auto position = std::lower_bound(
      functions_.begin(), functions_.end(), std::pair{section, slot},
      [](const Function &function, const std::pair<std::uint32_t, std::uint64_t> &key) {
        return std::pair{function.section, function.start} < key;
      });
  if (position == functions_.end() || position->section != section || position->start != slot)
    return nullptr;
  return &*position;
}

std::variant<LinkedProgram, LinkFailure> link_program(const Function &entry,
                                                      const LinkContext &context) {
  return Linker(entry, context).run();
}

} // namespace bpfcheck
