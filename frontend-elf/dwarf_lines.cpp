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
  for (const auto &unit : context->compile_units()) {
    auto table = context->getLineTableForUnit(unit.get(), drop);
    if (!table) {
      llvm::consumeError(table.takeError());
      continue;
    }
    if (*table != nullptr)
      collect_rows(**table, unit->getCompilationDir(), sections, sources, rows);
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
