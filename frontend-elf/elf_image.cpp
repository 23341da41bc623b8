// Reads a BPF ELF object into an ElfImage with LLVM's Object library. Every llvm::Expected is
// consumed here (Debian's LLVM has exceptions off and asserts on unchecked errors), so the rest
// of frontend-elf works on plain, bounds-checked data.
#include "elf_image.h"

#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>

#include <cstring>

namespace bpfcheck::elf {
namespace {

using Elf64 = llvm::object::ELF64LE;
using ElfFile = llvm::object::ELFFile<Elf64>;
using Shdr = ElfFile::Elf_Shdr;

constexpr std::uint32_t kShtSymtab = 2, kShtRela = 4, kShtRel = 9;
constexpr std::uint16_t kEmBpf = 247;

std::string take_error(llvm::Error error) { return llvm::toString(std::move(error)); }

// The checks LLVM does not do for us, in the words a user understands.
std::optional<std::string> check_header(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 64)
    return "file is " + std::to_string(bytes.size()) + " bytes, too short for an ELF64 header";
  if (std::memcmp(bytes.data(),
                  "\x7f"
                  "ELF",
                  4) != 0)
    return std::string("no ELF magic");
  if (bytes[4] != 2)
    return std::string("not ELF64 (EI_CLASS is ") + std::to_string(bytes[4]) + ")";
  if (bytes[5] != 1)
    return std::string("not little-endian (EI_DATA is ") + std::to_string(bytes[5]) + ")";
  const std::uint16_t machine = static_cast<std::uint16_t>(bytes[18] | (bytes[19] << 8));
  if (machine != kEmBpf)
    return "e_machine is " + std::to_string(machine) + ", not EM_BPF (247)";
  return std::nullopt;
}

Result<std::vector<Symbol>> read_symbols(const ElfFile &file, const Shdr &symtab) {
  auto strtab = file.getStringTableForSymtab(symtab);
  if (!strtab)
    return Error{"symbol table: " + take_error(strtab.takeError())};
  auto range = file.symbols(&symtab);
  if (!range)
    return Error{"symbol table: " + take_error(range.takeError())};
  std::vector<Symbol> symbols;
  symbols.reserve(range->size());
  for (const auto &sym : *range) {
    Symbol out;
    if (auto name = sym.getName(*strtab))
      out.name = name->str();
    else
      llvm::consumeError(name.takeError()); // a nameless symbol is still usable by index
    out.value = sym.st_value;
    out.size = sym.st_size;
    out.type = sym.getType();
    out.binding = sym.getBinding();
    out.section = sym.st_shndx;
    symbols.push_back(std::move(out));
  }
  return symbols;
}

template <typename Range>
void copy_relocations(const Range &range, bool rela, RelocationSection &out) {
  for (const auto &rel : range) {
    Relocation entry;
    entry.offset = rel.r_offset;
    entry.type = rel.getType(false);
    entry.symbol = rel.getSymbol(false);
    entry.rela = rela;
    if constexpr (requires { rel.r_addend; }) {
      if (rela)
        entry.addend = rel.r_addend;
    }
    out.entries.push_back(entry);
  }
}

// The conditions under which LLVM's ELFObjectFile relocation accessors cannot abort: the
// entry size is right, sh_link names a symbol table, every symbol index is inside it.
bool relocation_section_consistent(const ElfFile &file, const Shdr &shdr) {
  const std::uint64_t entry = shdr.sh_type == kShtRel ? 16 : 24;
  if (shdr.sh_entsize != entry || shdr.sh_size % entry != 0)
    return false;
  auto symtab = file.getSection(shdr.sh_link);
  if (!symtab) {
    llvm::consumeError(symtab.takeError());
    return false;
  }
  const Shdr &table = **symtab;
  if (table.sh_type != kShtSymtab || table.sh_entsize != 24)
    return false;
  const std::uint64_t symbols = table.sh_size / 24;
  auto check = [&](const auto &range) {
    for (const auto &rel : range)
      if (rel.getSymbol(false) >= symbols)
        return false;
    return true;
  };
  if (shdr.sh_type == kShtRel) {
    auto range = file.rels(shdr);
    if (!range) {
      llvm::consumeError(range.takeError());
      return false;
    }
    return check(*range);
  }
  auto range = file.relas(shdr);
  if (!range) {
    llvm::consumeError(range.takeError());
    return false;
  }
  return check(*range);
}

// A relocation section that cannot be read is reported, not fatal: only the programs in its
// target section lose their relocations (they are then rejected by the linker).
void read_relocations(const ElfFile &file, const Shdr &shdr, const std::string &name,
                      ElfImage &image) {
  RelocationSection out;
  out.name = name;
  out.target = shdr.sh_info;
  if (shdr.sh_type == kShtRel) {
    auto range = file.rels(shdr);
    if (!range) {
      image.problems.push_back(name + ": " + take_error(range.takeError()));
      return;
    }
    copy_relocations(*range, false, out);
  } else {
    auto range = file.relas(shdr);
    if (!range) {
      image.problems.push_back(name + ": " + take_error(range.takeError()));
      return;
    }
    copy_relocations(*range, true, out);
  }
  image.relocations.push_back(std::move(out));
}

Result<bool> read_sections(const ElfFile &file, ElfImage &image) {
  auto sections = file.sections();
  if (!sections)
    return Error{"section headers: " + take_error(sections.takeError())};
  const Shdr *symtab = nullptr;
  std::uint32_t index = 0;
  for (const Shdr &shdr : *sections) {
    Section section;
    section.index = index++;
    if (auto name = file.getSectionName(shdr))
      section.name = name->str();
    else
      image.problems.push_back("section " + std::to_string(section.index) + ": " +
                               take_error(name.takeError()));
    section.type = shdr.sh_type;
    section.flags = shdr.sh_flags;
    section.size = shdr.sh_size;
    if (shdr.sh_type != kShtNobits && section.index != 0) {
      if (auto contents = file.getSectionContents(shdr))
        section.data = std::span<const std::uint8_t>(contents->data(), contents->size());
      else
        return Error{"section " + std::to_string(section.index) + " (" + section.name +
                     "): " + take_error(contents.takeError())};
    }
    if (shdr.sh_type == kShtSymtab && symtab == nullptr)
      symtab = &shdr;
    if (shdr.sh_type == kShtRel || shdr.sh_type == kShtRela) {
      read_relocations(file, shdr, section.name, image);
      image.relocations_consistent =
          image.relocations_consistent && relocation_section_consistent(file, shdr);
    }
    image.sections.push_back(std::move(section));
  }
  if (symtab != nullptr) {
    auto symbols = read_symbols(file, *symtab);
    if (!symbols)
      return Error{symbols.error()};
    image.symbols = std::move(symbols.value());
  }
  return true;
}

// zlib and zstd cannot inflate beyond ~1032:1; 64 MiB is far above any BPF object's DWARF.
bool compressed_size_plausible(const Section &section) {
  constexpr std::uint64_t kShfCompressed = 0x800, kMaxInflated = 64u << 20;
  if ((section.flags & kShfCompressed) == 0)
    return true;
  if (section.data.size() < 24)
    return false;
  std::uint64_t inflated = 0; // Elf64_Chdr::ch_size, little-endian
  for (int i = 7; i >= 0; --i)
    inflated = (inflated << 8) | section.data[8 + static_cast<std::size_t>(i)];
  return inflated <= kMaxInflated && inflated <= 1100 * section.data.size();
}

} // namespace

ElfImage::ElfImage() = default;
ElfImage::ElfImage(ElfImage &&) noexcept = default;
ElfImage &ElfImage::operator=(ElfImage &&) noexcept = default;
ElfImage::~ElfImage() = default;

const Section *ElfImage::find_section(std::string_view name) const {
  for (const Section &section : sections)
    if (section.name == name)
      return &section;
  return nullptr;
}

Result<ElfImage> read_elf_image(std::span<const std::uint8_t> bytes) {
  if (auto problem = check_header(bytes))
    return Error{*problem};
  llvm::StringRef buffer(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  auto object =
      llvm::object::ObjectFile::createELFObjectFile(llvm::MemoryBufferRef(buffer, "object"));
  if (!object)
    return Error{take_error(object.takeError())};
  auto *elf = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(object->get());
  if (elf == nullptr)
    return Error{"not an ELF64 little-endian object"};
  ElfImage image;
  auto ok = read_sections(elf->getELFFile(), image);
  if (!ok)
    return Error{ok.error()};
  image.object = std::move(*object);
  for (const Section &section : image.sections)
    image.compressed_sizes_plausible =
        image.compressed_sizes_plausible && compressed_size_plausible(section);
  if (const Section *comment = image.find_section(".comment")) {
    const std::string_view text(reinterpret_cast<const char *>(comment->data.data()),
                                comment->data.size());
    image.gcc_folds_symbol_values = text.find("GCC: (") != std::string_view::npos;
  }
  return image;
}

} // namespace bpfcheck::elf
