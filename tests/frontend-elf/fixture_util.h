// Helpers shared by the frontend-elf tests: fixture paths, program lookup, call-target decoding
// and a tiny ELF64 patcher to build broken objects from good ones in memory.
#pragma once

#include "object_file.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace bpfcheck::test {

inline std::string fixture(const std::string &compiler, const std::string &name) {
  return std::string(FIXTURE_DIR) + "/" + compiler + "/" + name + ".o";
}

inline bool have_fixture(const std::string &path) { return std::filesystem::exists(path); }

inline std::vector<std::uint8_t> read_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline ObjectFile load_ok(const std::string &path) {
  auto loaded = load_object(path);
  REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? std::string() : loaded.error()));
  return std::move(loaded.value());
}

inline const Program *find_program(const ObjectFile &object, const std::string &name) {
  for (const Program &program : object.programs)
    if (program.name == name)
      return &program;
  return nullptr;
}

inline const Program &program(const ObjectFile &object, const std::string &name) {
  const Program *found = find_program(object, name);
  REQUIRE_MESSAGE(found != nullptr, "no program " << name << " in " << object.path);
  return *found;
}

// The name of the subprogram starting at `slot`, or "" when none starts there.
inline std::string subprogram_at(const Program &program, std::int64_t slot) {
  for (const Subprogram &sub : program.subprograms)
    if (sub.start == slot)
      return sub.name;
  return "";
}

// The subprogram a bpf2bpf call (or BPF_PSEUDO_FUNC load) at `pc` reaches: pc + imm + 1.
inline std::string call_target(const Program &program, std::size_t pc) {
  return subprogram_at(program, static_cast<std::int64_t>(pc) + program.instructions[pc].imm + 1);
}

// Every pc of an instruction with this opcode and src register.
inline std::vector<std::size_t> find_insns(const Program &program, std::uint8_t opcode,
                                           std::uint8_t src) {
  std::vector<std::size_t> out;
  for (std::size_t pc = 0; pc < program.instructions.size(); ++pc)
    if (program.instructions[pc].opcode == opcode && program.instructions[pc].src == src)
      out.push_back(pc);
  return out;
}

inline std::optional<std::size_t> map_index(const ObjectFile &object, const std::string &name) {
  for (std::size_t i = 0; i < object.maps.size(); ++i)
    if (object.maps[i].name == name)
      return i;
  return std::nullopt;
}

// Just enough ELF64 to find sections and patch relocation or symbol entries in tests.
class ElfPatcher {
public:
  explicit ElfPatcher(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  std::vector<std::uint8_t> &bytes() { return bytes_; }

  struct Shdr {
    std::string name;
    std::uint32_t type;
    std::uint64_t offset, size, entsize;
  };

  std::optional<Shdr> section(const std::string &wanted) const {
    const auto shoff = read<std::uint64_t>(0x28);
    const auto shnum = read<std::uint16_t>(0x3c);
    const auto shstrndx = read<std::uint16_t>(0x3e);
    const auto strings = read<std::uint64_t>(shoff + shstrndx * 64 + 0x18);
    for (std::uint16_t i = 0; i < shnum; ++i) {
      const std::uint64_t at = shoff + i * 64ull;
      const char *name =
          reinterpret_cast<const char *>(bytes_.data() + strings + read<std::uint32_t>(at));
      if (wanted == name)
        return Shdr{name, read<std::uint32_t>(at + 4), read<std::uint64_t>(at + 0x18),
                    read<std::uint64_t>(at + 0x20), read<std::uint64_t>(at + 0x38)};
    }
    return std::nullopt;
  }

  template <typename T> T read(std::uint64_t at) const {
    T value{};
    std::memcpy(&value, bytes_.data() + at, sizeof(T));
    return value;
  }
  template <typename T> void write(std::uint64_t at, T value) {
    std::memcpy(bytes_.data() + at, &value, sizeof(T));
  }

private:
  std::vector<std::uint8_t> bytes_;
};

} // namespace bpfcheck::test
