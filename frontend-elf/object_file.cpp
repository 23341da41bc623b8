// load_object: ELF image -> BTF -> maps -> relocated code sections -> one linked Program per
// entry function, with source info. Problems local to a section or program become
// LoadDiagnostics so that the object's other programs stay usable.
#include "object_file.h"

#include "btf.h"
#include "elf_image.h"
#include "linker.h"
#include "maps.h"
#include "relocations.h"
#include "section_types.h"
#include "source_info.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace bpfcheck {
namespace {

// Bounds the memory a hostile object can make us spend on copies of shared subprograms.
constexpr std::uint64_t kMaxObjectSlots = std::uint64_t{1} << 24;

std::string hex(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[value & 0xf]);
    value >>= 4;
  } while (value != 0);
  return "0x" + out;
}

std::string read_license(const elf::ElfImage &image) {
  const elf::Section *section = image.find_section("license");
  if (section == nullptr)
    return {};
  const auto *begin = reinterpret_cast<const char *>(section->data.data());
  return std::string(begin, strnlen(begin, section->data.size()));
}

std::shared_ptr<const Btf> load_btf(const elf::ElfImage &image, const std::string &file,
                                    std::vector<LoadDiagnostic> &diagnostics) {
  const elf::Section *section = image.find_section(".BTF");
  if (section == nullptr)
    return nullptr;
  auto parsed = Btf::parse(section->data);
  if (!parsed) {
    diagnostics.push_back({file, section->name, 0, "BTF: " + parsed.error()});
    return nullptr;
  }
  return std::move(parsed.value());
}

struct Loader {
  const elf::ElfImage &image;
  ObjectFile &object;
  std::shared_ptr<const Btf> btf;

  void diagnose(std::string section, std::uint64_t offset, std::string message) {
    object.diagnostics.push_back({object.path, std::move(section), offset, std::move(message)});
  }

  std::string section_name(std::uint32_t index) const {
    const elf::Section *section = image.section(index);
    return section != nullptr ? section->name : "#" + std::to_string(index);
  }

  void load_programs(const MapTable &maps) {
    const FunctionIndex functions = FunctionIndex::build(image, object.path, object.diagnostics);
    std::vector<SectionCode> codes;
    std::vector<const SectionCode *> by_section(image.sections.size(), nullptr);
    codes.reserve(image.sections.size());
    for (const elf::Section &section : image.sections)
      if (section.executable() && !section.data.empty()) {
        codes.push_back(prepare_section(image, section, maps));
        by_section[section.index] = &codes.back();
      }
    const SourceInfo source = load_source_info(image, btf.get(), object.path, object.diagnostics);
    const LinkContext context{image, functions, by_section, btf.get()};
    std::vector<std::uint32_t> unknown_sections;
    std::uint64_t total_slots = 0;
    for (const Function &function : functions.functions()) {
      if (!function.program)
        continue;
      if (total_slots > kMaxObjectSlots) { // every program repeats its subprograms
        diagnose(section_name(function.section), function.start * 8,
                 "program '" + function.name + "' skipped: the object's programs exceed " +
                     std::to_string(kMaxObjectSlots) + " instructions in total");
        continue;
      }
      auto linked = link_program(function, context);
      if (auto *failure = std::get_if<LinkFailure>(&linked)) {
        diagnose(section_name(failure->section), failure->offset,
                 "program '" + function.name + "' is not usable: " + failure->message);
        continue;
      }
      total_slots += std::get<LinkedProgram>(linked).instructions.size();
      Program program = make_program(function, std::get<LinkedProgram>(linked), source);
      if (program.type == ProgramType::Unspec &&
          std::find(unknown_sections.begin(), unknown_sections.end(), function.section) ==
              unknown_sections.end()) {
        unknown_sections.push_back(function.section);
        diagnose(program.section, 0,
                 "unknown section name '" + program.section +
                     "': pass --type to set the program type");
      }
      object.programs.push_back(std::move(program));
    }
  }

  Program make_program(const Function &entry, LinkedProgram &linked, const SourceInfo &source) {
    Program program;
    program.file = object.path;
    program.section = section_name(entry.section);
    program.name = entry.name;
    SectionType type = section_type(program.section);
    program.type = type.type;
    program.expected_attach_type = type.expected_attach_type;
    program.attach_target = std::move(type.attach_target);
    program.sleepable = type.sleepable;
    program.license = object.license;
    program.maps = object.maps;
    program.btf = btf;
    attach_source_info(source, image, linked, program);
    program.instructions = std::move(linked.instructions);
    program.externs = std::move(linked.externs);
    program.loader_mismatches = std::move(linked.loader_mismatches);
    return program;
  }
};

} // namespace

std::string LoadDiagnostic::to_string() const {
  return file + ": section " + (section.empty() ? std::string("?") : section) + "+" + hex(offset) +
         ": " + message;
}

Result<ObjectFile> load_object(std::span<const std::uint8_t> bytes, const std::string &name) {
  auto image = elf::read_elf_image(bytes);
  if (!image)
    return Error{name + ": not a BPF ELF object: " + image.error()};
  ObjectFile object;
  object.path = name;
  for (const std::string &problem : image->problems)
    object.diagnostics.push_back({name, "", 0, problem});
  object.license = read_license(*image);
  Loader loader{*image, object, load_btf(*image, name, object.diagnostics)};
  const MapTable maps = collect_maps(*image, loader.btf.get(), name, object.diagnostics);
  object.maps = maps.maps;
  loader.load_programs(maps);
  return object;
}

Result<ObjectFile> load_object(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error{path + ": cannot open: " + std::strerror(errno)};
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad())
    return Error{path + ": read error"};
  return load_object(bytes, path);
}

} // namespace bpfcheck
