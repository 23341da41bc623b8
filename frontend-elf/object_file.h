// Entry point of frontend-elf: turn a BPF ELF object (clang or gcc output) into self-contained
// Programs. A broken program is reported with the file, section and byte offset while the
// object's other programs stay usable; a file that is not a BPF object at all is one Error.
#pragma once

#include "program.h"
#include "result.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace bpfcheck {

// A problem confined to one section or program: the rest of the object is still loaded.
struct LoadDiagnostic {
  std::string file;
  std::string section;
  std::uint64_t offset = 0; // byte offset within the section
  std::string message;
  // "FILE: section SECTION+0xOFF: MESSAGE", one line.
  std::string to_string() const;
};

struct ObjectFile {
  std::string path;
  std::string license;
  std::vector<MapDescriptor> maps;
  std::vector<Program> programs;
  std::vector<LoadDiagnostic> diagnostics; // sections or programs that could not be loaded
};

// Reads the file at `path`.
Result<ObjectFile> load_object(const std::string &path);
// Reads an object already in memory; `name` is used in messages (fuzzing, tests, LLVM frontend).
Result<ObjectFile> load_object(std::span<const std::uint8_t> bytes, const std::string &name);

} // namespace bpfcheck
