// Maps section-relative func_info/line_info records onto linked instruction indices: a record
// at byte offset B of a function placed at slot P (whose section start is S) lands on
// P + B/8 - S, which is what libbpf's reloc_prog_func_and_line_info computes.
#include "source_info.h"

#include "dwarf_guard.h"
#include "dwarf_lines.h"

namespace bpfcheck {
namespace {

const BtfExtSection *btf_ext_for(const SourceInfo &info, const std::string &section) {
  for (const BtfExtSection &entry : info.btf_ext)
    if (entry.name == section)
      return &entry;
  return nullptr;
}

const std::vector<LineInfoRecord> *lines_for(const SourceInfo &info, const std::string &section) {
  if (const BtfExtSection *entry = btf_ext_for(info, section); entry && !entry->lines.empty())
    return &entry->lines;
  for (const DwarfSectionLines &entry : info.dwarf)
    if (entry.section == section)
      return &entry.lines;
  return nullptr;
}

void add_lines(const std::vector<LineInfoRecord> &records, const Function &function,
               std::uint32_t placed, LineTable &lines) {
  for (const LineInfoRecord &record : records) {
    const std::uint64_t slot = record.insn_offset / 8;
    if (record.insn_offset % 8 != 0 || slot < function.start ||
        slot >= function.start + function.count)
      continue;
    lines.add(static_cast<std::uint32_t>(placed + (slot - function.start)),
              SourceLocation{record.file, record.line, record.column, record.text});
  }
}

} // namespace

SourceInfo load_source_info(const elf::ElfImage &image, const Btf *btf, const std::string &file,
                            std::vector<LoadDiagnostic> &diagnostics) {
  SourceInfo info;
  const elf::Section *ext = image.find_section(".BTF.ext");
  if (ext != nullptr && btf != nullptr) {
    auto parsed = parse_btf_ext(ext->data, *btf);
    if (parsed)
      info.btf_ext = std::move(parsed.value());
    else
      diagnostics.push_back({file, ext->name, 0, ".BTF.ext: " + parsed.error()});
  }
  bool have_lines = false;
  for (const BtfExtSection &section : info.btf_ext)
    have_lines = have_lines || !section.lines.empty();
  const elf::Section *debug_line = image.find_section(".debug_line");
  if (!have_lines && image.object && debug_line != nullptr) {
    if (!image.relocations_consistent || !image.compressed_sizes_plausible)
      diagnostics.push_back({file, debug_line->name, 0,
                             "DWARF line table skipped: a relocation or compressed section is "
                             "malformed"});
    else if (!debug_line_is_safe(debug_line->data))
      diagnostics.push_back(
          {file, debug_line->name, 0, "DWARF line table skipped: malformed line table header"});
    else
      info.dwarf = read_dwarf_lines(*image.object);
  }
  return info;
}

void attach_source_info(const SourceInfo &info, const elf::ElfImage &image,
                        const LinkedProgram &linked, Program &program) {
  for (const LinkedProgram::Placement &placement : linked.placements) {
    const Function &function = *placement.function;
    const elf::Section *section = image.section(function.section);
    const std::string &section_name = section != nullptr ? section->name : program.section;
    Subprogram subprogram;
    subprogram.name = function.name;
    subprogram.start = placement.start;
    subprogram.global = function.global;
    if (const BtfExtSection *entry = btf_ext_for(info, section_name))
      for (const FuncInfoRecord &record : entry->funcs)
        if (record.insn_offset == function.start * 8)
          subprogram.btf_func = record.type_id;
    program.subprograms.push_back(std::move(subprogram));
    if (const auto *records = lines_for(info, section_name))
      add_lines(*records, function, placement.start, program.lines);
  }
}

} // namespace bpfcheck
