// Relocation semantics follow libbpf's bpf_program__record_reloc and bpf_object__relocate_data:
// the instruction decides what a relocation means (call or ld_imm64), not the relocation type
// number, because gcc-bpf 12 and LLVM name the same numbers differently.
#include "relocations.h"

namespace bpfcheck {
namespace {

constexpr std::uint32_t kRelNone = 0;
constexpr std::uint32_t kShnLoreserve = 0xff00;

RawInstruction decode(std::span<const std::uint8_t> bytes) {
  RawInstruction insn;
  insn.opcode = bytes[0];
  insn.dst = bytes[1] & 0x0f;
  insn.src = (bytes[1] >> 4) & 0x0f;
  insn.offset = static_cast<std::int16_t>(bytes[2] | (bytes[3] << 8));
  insn.imm = static_cast<std::int32_t>(
      static_cast<std::uint32_t>(bytes[4]) | (static_cast<std::uint32_t>(bytes[5]) << 8) |
      (static_cast<std::uint32_t>(bytes[6]) << 16) | (static_cast<std::uint32_t>(bytes[7]) << 24));
  return insn;
}

class Relocator {
public:
  Relocator(const elf::ElfImage &image, const MapTable &maps, SectionCode &code)
      : image_(image), maps_(maps), code_(code) {}

  void apply(const elf::Relocation &rel) {
    if (rel.type == kRelNone)
      return;
    if (rel.offset % 8 != 0 || rel.offset / 8 >= code_.slots.size())
      return fail(rel.offset, "relocation offset is outside the section's instructions");
    if (rel.symbol == 0 || rel.symbol >= image_.symbols.size())
      return fail(rel.offset, "relocation refers to symbol #" + std::to_string(rel.symbol) +
                                  ", which does not exist");
    const std::uint64_t slot = rel.offset / 8;
    if (code_.fixups[slot].kind == SlotFixup::Kind::Broken)
      return;
    if (relocated_.size() != code_.slots.size())
      relocated_.resize(code_.slots.size());
    if (relocated_[slot])
      return fail(rel.offset, "second relocation on the same instruction");
    relocated_[slot] = true;
    const RawInstruction &insn = code_.slots[slot];
    if (insn.opcode == kOpCall)
      return call(rel, slot);
    if (insn.opcode == kOpLdImm64)
      return load(rel, slot);
    fail(rel.offset, "relocation type " + std::to_string(rel.type) +
                         " on an instruction with opcode 0x" + hex(insn.opcode) +
                         " (expected a call or ld_imm64)");
  }

  void fail(std::uint64_t offset, std::string message) {
    const std::uint64_t slot = offset / 8;
    if (slot < code_.fixups.size())
      code_.fixups[slot].kind = SlotFixup::Kind::Broken;
    code_.errors.push_back({offset, std::move(message)});
  }

private:
  static std::string hex(unsigned value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    return {kDigits[(value >> 4) & 0xf], kDigits[value & 0xf]};
  }

  void call(const elf::Relocation &rel, std::uint64_t slot) {
    const elf::Symbol &symbol = image_.symbols[rel.symbol];
    RawInstruction &insn = code_.slots[slot];
    if (symbol.undefined()) {
      code_.fixups[slot] = {SlotFixup::Kind::Kfunc, 0, 0, rel.symbol};
      return;
    }
    const elf::Section *target = image_.section(symbol.section);
    if (target == nullptr || !target->executable())
      return fail(rel.offset,
                  "call relocation against '" + symbol.name + "', which is not in a code section");
    // Static callees are reached through the section symbol plus the pc-relative imm
    // (value/8 + imm + 1); global ones through their own symbol. clang writes imm = -1 there,
    // gcc-bpf 12 a meaningless value, so the symbol alone decides.
    const std::int64_t byte = static_cast<std::int64_t>(symbol.value) + rel.addend;
    const std::int64_t target_slot =
        byte / 8 + (symbol.type == elf::kSttFunc ? 0 : std::int64_t{insn.imm} + 1);
    if (byte % 8 != 0 || target_slot < 0 ||
        static_cast<std::uint64_t>(target_slot) * 8 >= target->data.size())
      return fail(rel.offset, "call relocation against '" + symbol.name +
                                  "' points outside section " + target->name);
    insn.src = kPseudoCall;
    code_.fixups[slot] = {SlotFixup::Kind::Call, target->index,
                          static_cast<std::uint64_t>(target_slot), 0};
  }

  void load(const elf::Relocation &rel, std::uint64_t slot) {
    if (slot + 1 >= code_.slots.size())
      return fail(rel.offset, "ld_imm64 is missing its second slot");
    const elf::Symbol &symbol = image_.symbols[rel.symbol];
    RawInstruction &insn = code_.slots[slot];
    RawInstruction &next = code_.slots[slot + 1];
    if (symbol.undefined())
      return load_extern(rel, slot);
    if (symbol.section >= kShnLoreserve)
      return fail(rel.offset, "ld_imm64 relocation against '" + symbol.name +
                                  "' in a special section (an uninitialized common global?)");
    const elf::Section *target = image_.section(symbol.section);
    if (target == nullptr)
      return fail(rel.offset, "relocation against a symbol of a section that does not exist");
    const std::int64_t offset = static_cast<std::int64_t>(symbol.value) + addend(rel, insn);
    const std::int64_t folded = folded_symbol_value(rel, insn);
    if (target->executable()) {
      if (offset % 8 != 0 || offset < 0 ||
          static_cast<std::uint64_t>(offset) >= target->data.size())
        return fail(rel.offset, "function address of '" + symbol.name + "' is not an instruction");
      insn.src = kPseudoFunc;
      code_.fixups[slot] = {SlotFixup::Kind::FuncAddr, target->index,
                            static_cast<std::uint64_t>(offset) / 8, 0};
      return;
    }
    if (maps_.is_map_section(target->index)) {
      auto index = offset >= 0
                       ? maps_.find_definition(target->index, static_cast<std::uint64_t>(offset))
                       : std::nullopt;
      if (!index)
        return fail(rel.offset, "no map is defined at " + target->name + "+" +
                                    std::to_string(offset) + " ('" + symbol.name + "')");
      insn.src = kPseudoMapFd;
      insn.imm = static_cast<std::int32_t>(*index);
      next.imm = 0;
      return;
    }
    if (auto index = maps_.find_data(target->index)) {
      insn.src = kPseudoMapValue;
      insn.imm = static_cast<std::int32_t>(*index);
      next.imm = static_cast<std::int32_t>(offset);
      if (folded != 0)
        code_.loader_mismatches.push_back(
            {static_cast<std::uint32_t>(slot),
             "gcc 12 already folded the offset of '" + symbol.name + "' (" +
                 std::to_string(folded) + ") into this instruction and libbpf adds it " +
                 "again: the loaded program addresses " + target->name + "+" +
                 std::to_string(offset + folded) + " instead of " + target->name + "+" +
                 std::to_string(offset)});
      return;
    }
    fail(rel.offset, "ld_imm64 relocation against '" + symbol.name + "' in section '" +
                         target->name + "', which is neither a map nor global data");
  }

  // The addend of an ld_imm64 relocation: libbpf's insn imm (REL) or r_addend (RELA), minus
  // the symbol value gcc-bpf 12 already folded into the imm (else data offsets double).
  std::int64_t addend(const elf::Relocation &rel, const RawInstruction &insn) const {
    return std::int64_t{insn.imm} + rel.addend - folded_symbol_value(rel, insn);
  }

  // The symbol value gcc-bpf 12 wrote into a REL relocation's imm, or 0. libbpf does not
  // subtract it: the object means symbol+imm-value, but the kernel receives symbol+imm.
  std::int64_t folded_symbol_value(const elf::Relocation &rel, const RawInstruction &insn) const {
    const elf::Symbol &symbol = image_.symbols[rel.symbol];
    if (image_.gcc_folds_symbol_values && !rel.rela && symbol.type != elf::kSttSection &&
        symbol.value > 0 && insn.imm >= 0 && static_cast<std::uint64_t>(insn.imm) >= symbol.value)
      return static_cast<std::int64_t>(symbol.value);
    return 0;
  }

  void load_extern(const elf::Relocation &rel, std::uint64_t slot) {
    const elf::Symbol &symbol = image_.symbols[rel.symbol];
    RawInstruction &insn = code_.slots[slot];
    if (auto offset = maps_.find_kconfig(symbol.name); offset && maps_.kconfig) {
      insn.src = kPseudoMapValue;
      insn.imm = static_cast<std::int32_t>(*maps_.kconfig);
      code_.slots[slot + 1].imm = static_cast<std::int32_t>(*offset);
      return;
    }
    code_.fixups[slot] = {SlotFixup::Kind::Ksym, 0, 0, rel.symbol};
  }

  const elf::ElfImage &image_;
  const MapTable &maps_;
  SectionCode &code_;
  std::vector<bool> relocated_;
};

// Calls inside one section need no relocation: the compiler already wrote the pc-relative imm.
void resolve_local_calls(SectionCode &code) {
  for (std::size_t slot = 0; slot < code.slots.size(); ++slot) {
    const RawInstruction &insn = code.slots[slot];
    SlotFixup &fixup = code.fixups[slot];
    if (fixup.kind != SlotFixup::Kind::None) {
      if (insn.opcode == kOpLdImm64)
        ++slot;
      continue;
    }
    if (insn.opcode == kOpLdImm64 && insn.src == kPseudoFunc) {
      fixup.kind = SlotFixup::Kind::Broken;
      code.errors.push_back({slot * 8, "function address without a relocation"});
    } else if (insn.opcode == kOpCall && insn.src == kPseudoCall) {
      const std::int64_t target = static_cast<std::int64_t>(slot) + insn.imm + 1;
      if (target < 0 || static_cast<std::uint64_t>(target) >= code.slots.size()) {
        fixup.kind = SlotFixup::Kind::Broken;
        code.errors.push_back({slot * 8, "call target is outside the section"});
      } else {
        fixup = {SlotFixup::Kind::Call, code.section, static_cast<std::uint64_t>(target), 0};
      }
    }
    if (insn.opcode == kOpLdImm64)
      ++slot; // the second slot is data, not an instruction
  }
}

} // namespace

SectionCode prepare_section(const elf::ElfImage &image, const elf::Section &section,
                            const MapTable &maps) {
  SectionCode code;
  code.section = section.index;
  const std::size_t count = section.data.size() / 8;
  code.slots.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    code.slots.push_back(decode(section.data.subspan(i * 8, 8)));
  code.fixups.resize(count);
  Relocator relocator(image, maps, code);
  if (section.data.size() % 8 != 0)
    code.errors.push_back({count * 8, "section size is not a multiple of 8"});
  for (const elf::RelocationSection &relocations : image.relocations)
    if (relocations.target == section.index)
      for (const elf::Relocation &rel : relocations.entries)
        relocator.apply(rel);
  resolve_local_calls(code);
  return code;
}

} // namespace bpfcheck
