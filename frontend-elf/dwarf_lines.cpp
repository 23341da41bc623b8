// Line table from DWARF .debug_line, for objects without .BTF.ext (bpf-gcc -g). LLVM's
// DWARFContext applies the .rel.debug_line relocations, so each row carries the index of the
// code section it belongs to; every error is routed to a handler that drops it (never fatal).
// bpf-gcc 12 numbers its debug relocations the old GNU way, which LLVM does not know: we
// renumber them in a private copy of the object first (see renumber_gnu_relocations).
#include "dwarf_lines.h"

#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>

#include <cstring>
#include <map>
#include <optional>

namespace bpfcheck {
namespace {

// Source files can be named by hostile DWARF: read only regular files of a sane size.
constexpr std::uint64_t kMaxSourceBytes = 16u << 20;

class SourceCache {
public:
  std::string line(const std::string &path, std::uint32_t number) {
    auto [it, inserted] = files_.try_emplace(path);
    if (inserted)
      it->second = load(path);
    if (!it->second || number == 0 || number > it->second->size())
      return {};
    return (*it->second)[number - 1];
  }

private:
  static std::optional<std::vector<std::string>> load(const std::string &path) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer || (*buffer)->getBufferSize() > kMaxSourceBytes)
      return std::nullopt;
    std::vector<std::string> lines;
    llvm::StringRef rest = (*buffer)->getBuffer();
    while (!rest.empty()) {
      auto [line, tail] = rest.split('\n');
      lines.emplace_back(line.rtrim('\r'));
      rest = tail;
    }
    return lines;
  }

  std::map<std::string, std::optional<std::vector<std::string>>> files_;
};

// Index -> name of the sections that hold code; rows elsewhere (or unrelocated) are dropped.
std::map<std::uint64_t, std::string> code_sections(const llvm::object::ObjectFile &object) {
  std::map<std::uint64_t, std::string> names;
  for (const llvm::object::SectionRef &section : object.sections()) {
    auto name = section.getName();
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    if (section.isText())
      names.emplace(section.getIndex(), name->str());
  }
  return names;
}

// GNU binutils (before its 2023 renumbering, so in Debian's bpf-gcc 12) calls the absolute
// data relocations R_BPF_DATA_32 = 11 and R_BPF_DATA_64 = 12; LLVM knows the same relocations
// as R_BPF_64_ABS32 = 3 and R_BPF_64_ABS64 = 2 and rejects 11/12 as unknown, which leaves every
// line row without its section. Both are S + A with the addend in place (SHT_REL).
constexpr std::uint32_t kGnuData32 = 11, kGnuData64 = 12;

// Returns a copy of the object with the debug relocations renumbered, or nothing when the
// object needs no change (not little-endian BPF ELF, or no GNU-numbered debug relocation).
std::optional<std::vector<char>> renumber_gnu_relocations(const llvm::object::ObjectFile &object) {
  const auto *elf_object = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(&object);
  if (elf_object == nullptr || elf_object->getELFFile().getHeader().e_machine != llvm::ELF::EM_BPF)
    return std::nullopt;
  const auto &elf = elf_object->getELFFile();
  auto sections = elf.sections();
  if (!sections) {
    llvm::consumeError(sections.takeError());
    return std::nullopt;
  }
  const llvm::StringRef data = object.getData();
  std::vector<char> copy;
  for (const auto &header : *sections) {
    if (header.sh_type != llvm::ELF::SHT_REL || header.sh_info >= sections->size() ||
        header.sh_offset > data.size() || header.sh_size > data.size() - header.sh_offset)
      continue;
    auto target = elf.getSectionName((*sections)[header.sh_info]);
    if (!target) {
      llvm::consumeError(target.takeError());
      continue;
    }
    if (!target->startswith(".debug_"))
      continue;
    for (std::uint64_t at = header.sh_offset; at + 16 <= header.sh_offset + header.sh_size;
         at += 16) {
      std::uint32_t type = 0; // low half of r_info, little-endian
      std::memcpy(&type, data.data() + at + 8, sizeof type);
      if (type != kGnuData32 && type != kGnuData64)
        continue;
      if (copy.empty())
        copy.assign(data.begin(), data.end());
      const std::uint32_t llvm_type =
          type == kGnuData32 ? llvm::ELF::R_BPF_64_ABS32 : llvm::ELF::R_BPF_64_ABS64;
      std::memcpy(copy.data() + at + 8, &llvm_type, sizeof llvm_type);
    }
  }
  if (copy.empty())
    return std::nullopt;
  return copy;
}

// LLVM 16 reaches llvm_unreachable (undefined behaviour in a release build; we saw crashes and
// endless loops) when DWARF names a form it does not know: in an abbreviation, through
// DW_FORM_indirect, or in a v5 line-table entry format. We never parse DIEs (see
// read_dwarf_lines), and check the forms of each line-table header before LLVM reads it.
bool cursor_ok(llvm::DataExtractor::Cursor &cursor) {
  const bool ok = static_cast<bool>(cursor);
  llvm::consumeError(cursor.takeError());
  return ok;
}

// Skips one value of a form allowed in a v5 line-table entry; false for any other form.
bool skip_entry_value(const llvm::DataExtractor &data, llvm::DataExtractor::Cursor &cursor,
                      std::uint64_t form, unsigned offset_size) {
  using namespace llvm::dwarf;
  switch (form) {
  case DW_FORM_string:
    data.getCStrRef(cursor);
    return true;
  case DW_FORM_line_strp:
  case DW_FORM_strp:
    data.skip(cursor, offset_size);
    return true;
  case DW_FORM_strx:
  case DW_FORM_udata:
    data.getULEB128(cursor);
    return true;
  case DW_FORM_block:
    data.skip(cursor, data.getULEB128(cursor));
    return true;
  case DW_FORM_data1:
  case DW_FORM_strx1:
    return data.skip(cursor, 1), true;
  case DW_FORM_data2:
  case DW_FORM_strx2:
    return data.skip(cursor, 2), true;
  case DW_FORM_strx3:
    return data.skip(cursor, 3), true;
  case DW_FORM_data4:
  case DW_FORM_strx4:
    return data.skip(cursor, 4), true;
  case DW_FORM_data8:
    return data.skip(cursor, 8), true;
  case DW_FORM_data16:
    return data.skip(cursor, 16), true;
  default:
    return false;
  }
}

// The line-table header at `offset`: only version 5 names forms (directory and file tables).
bool line_header_uses_known_forms(llvm::StringRef section, std::uint64_t offset) {
  if (offset >= section.size())
    return false;
  const llvm::DataExtractor data(section, /*IsLittleEndian=*/true, 8);
  llvm::DataExtractor::Cursor cursor(offset);
  unsigned offset_size = 4;
  if (data.getU32(cursor) == 0xffffffffu) {
    data.getU64(cursor);
    offset_size = 8;
  }
  if (data.getU16(cursor) != 5)
    return cursor_ok(cursor);
  data.skip(cursor, 2 + offset_size + 5);       // sizes, header_length, min_inst .. line_range
  data.skip(cursor, data.getU8(cursor) - 1ull); // opcode_base, then standard_opcode_lengths
  for (int table = 0; table < 2 && cursor; ++table) { // directories, then files
    std::vector<std::uint64_t> forms(data.getU8(cursor));
    for (std::uint64_t &form : forms) {
      data.getULEB128(cursor); // content type
      form = data.getULEB128(cursor);
    }
    const std::uint64_t entries = data.getULEB128(cursor);
    for (std::uint64_t entry = 0; entry < entries && cursor && !forms.empty(); ++entry)
      for (const std::uint64_t form : forms)
        if (!skip_entry_value(data, cursor, form, offset_size)) {
          llvm::consumeError(cursor.takeError());
          return false;
        }
  }
  return cursor_ok(cursor);
}

using SectionRows = std::map<std::string, std::map<std::uint32_t, LineInfoRecord>>;

void collect_rows(const llvm::DWARFDebugLine::LineTable &table, const char *comp_dir,
                  const std::map<std::uint64_t, std::string> &sections, SourceCache &sources,
                  SectionRows &out) {
  for (const llvm::DWARFDebugLine::Row &row : table.Rows) {
    if (row.EndSequence || row.Line == 0 || row.Address.Address > 0xffffffffu)
      continue;
    auto section = sections.find(row.Address.SectionIndex);
    if (section == sections.end())
      continue;
    LineInfoRecord record;
    record.insn_offset = static_cast<std::uint32_t>(row.Address.Address);
    record.line = row.Line;
    record.column = row.Column;
    if (!table.getFileNameByIndex(row.File, comp_dir ? comp_dir : "",
                                  llvm::DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath,
                                  record.file))
      record.file.clear();
    if (!record.file.empty())
      record.text = sources.line(record.file, record.line);
    // Several rows at one address: the last wins, as in LLVM's own address lookup.
    out[section->second][record.insn_offset] = std::move(record);
  }
}

} // namespace

std::vector<DwarfSectionLines> read_dwarf_lines(const llvm::object::ObjectFile &original) {
  // The patched copy (if any) must outlive the DWARF context built on it.
  const auto patched = renumber_gnu_relocations(original);
  std::unique_ptr<llvm::object::ObjectFile> patched_object;
  if (patched) {
    auto reparsed = llvm::object::ObjectFile::createObjectFile(
        llvm::MemoryBufferRef(llvm::StringRef(patched->data(), patched->size()), "patched"));
    if (reparsed)
      patched_object = std::move(*reparsed);
    else
      llvm::consumeError(reparsed.takeError());
  }
  const llvm::object::ObjectFile &object = patched_object ? *patched_object : original;
  auto drop = [](llvm::Error error) { llvm::consumeError(std::move(error)); };
  auto context = llvm::DWARFContext::create(
      object, llvm::DWARFContext::ProcessDebugRelocations::Process, nullptr, "", drop, drop);
  if (!context)
    return {};
  const auto sections = code_sections(object);
  SourceCache sources;
  SectionRows rows;
  // The line programs are read straight from .debug_line, with no compile unit: parsing the
  // units' DIEs (for DW_AT_stmt_list and DW_AT_comp_dir) makes LLVM 16 read out of bounds on
  // corrupted .debug_info. Without a unit, DWARF 5 tables still name the compilation directory
  // (directory 0); DWARF 4 file names stay relative to it.
  const llvm::DWARFObject &dwarf = context->getDWARFObj();
  const llvm::DWARFSection &line_section = dwarf.getLineSection();
  llvm::DWARFDataExtractor data(dwarf, line_section, object.isLittleEndian(),
                                object.getBytesInAddress());
  llvm::DWARFUnitVector no_units;
  llvm::DWARFDebugLine::SectionParser parser(
      data, *context, llvm::DWARFUnitVector::iterator_range(no_units.begin(), no_units.end()));
  // Each table advances the offset; the bound guards against a parser that would not.
  for (std::size_t tables = 0; !parser.done() && tables < line_section.Data.size(); ++tables) {
    if (!line_header_uses_known_forms(line_section.Data, parser.getOffset()))
      break;
    const std::uint64_t before = parser.getOffset();
    llvm::DWARFDebugLine::LineTable table = parser.parseNext(drop, drop);
    collect_rows(table, nullptr, sections, sources, rows);
    if (parser.getOffset() <= before)
      break;
  }
  std::vector<DwarfSectionLines> result;
  for (auto &[name, by_address] : rows) {
    DwarfSectionLines section{name, {}};
    for (auto &[address, record] : by_address)
      section.lines.push_back(std::move(record));
    result.push_back(std::move(section));
  }
  return result;
}

} // namespace bpfcheck
