// Helpers of the frontend-elf tests that compare our parsers with LLVM's and bpftool's view of
// the same object: running a reference tool, reading raw ELF sections, reading source files.
#pragma once

#include <llvm/Object/ObjectFile.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bpfcheck::test {

// Runs a tool and returns its stdout; nullopt when it cannot be run or fails (the tests that
// use it then skip the comparison).
inline std::optional<std::string> run_tool(const std::string &command) {
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen((command + " 2>/dev/null").c_str(), "r"),
                                              pclose);
  if (!pipe)
    return std::nullopt;
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe.get()))
    output.append(buffer.data(), n);
  if (pclose(pipe.release()) != 0)
    return std::nullopt;
  return output;
}

// The lines of a text file (empty when it cannot be read).
inline std::vector<std::string> read_lines(const std::string &path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// The bytes of one section, read with LLVM Object (empty when absent): the reference against
// which our own ELF reader is checked.
inline std::vector<std::uint8_t> section_bytes(const llvm::object::ObjectFile &object,
                                               std::string_view wanted) {
  for (const llvm::object::SectionRef &section : object.sections()) {
    auto name = section.getName();
    auto contents = section.getContents();
    if (name && std::string_view(name->data(), name->size()) == wanted && contents)
      return {contents->bytes_begin(), contents->bytes_end()};
    if (!name)
      llvm::consumeError(name.takeError());
    if (!contents)
      llvm::consumeError(contents.takeError());
  }
  return {};
}

inline std::vector<std::uint8_t> elf_section(const std::string &path, std::string_view wanted) {
  auto binary = llvm::object::ObjectFile::createObjectFile(path);
  if (!binary) {
    llvm::consumeError(binary.takeError());
    return {};
  }
  return section_bytes(*binary->getBinary(), wanted);
}

} // namespace bpfcheck::test
