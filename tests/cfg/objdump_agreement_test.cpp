// Agreement with llvm-objdump-16: every executable section of the fixture objects (and of the
// corpus, when it has been built) is disassembled both by `llvm-objdump-16 -d --no-show-raw-insn`
// and by us from the raw section bytes (read with LLVM's Object library, independently of the
// frontend), and the texts are compared instruction by instruction.
#include "decoder.h"
#include "disassembler.h"

#include <doctest/doctest.h>
#include <llvm/Object/ObjectFile.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bpfcheck {
namespace {

namespace fs = std::filesystem;

// section name -> slot -> objdump's text (without the trailing `<label>`).
using Listing = std::map<std::string, std::map<std::uint32_t, std::string>>;

// std::regex is avoided: GCC 12 warns inside it under the sanitizers (-Wmaybe-uninitialized).
void parse_line(const std::string &line, std::string &section, Listing &listing) {
  const std::string kSection = "Disassembly of section ";
  if (line.rfind(kSection, 0) == 0 && line.back() == ':') {
    section = line.substr(kSection.size(), line.size() - kSection.size() - 1);
    return;
  }
  // "      12:\tr1 = ... <LBB0_2>"
  std::size_t digits = line.find_first_not_of(' ');
  std::size_t colon = line.find(":\t");
  if (digits == std::string::npos || colon == std::string::npos || colon <= digits ||
      line.find_first_not_of("0123456789", digits) != colon)
    return;
  std::string text = line.substr(colon + 2);
  std::size_t label = text.rfind(" <");
  if (!text.empty() && text.back() == '>' && label != std::string::npos &&
      text.find(' ', label + 1) == std::string::npos)
    text.resize(label);
  listing[section][static_cast<std::uint32_t>(std::stoul(line.substr(digits, colon - digits)))] =
      text;
}

Listing run_objdump(const std::string &object) {
  std::string command = std::string(LLVM_OBJDUMP) + " -d --no-show-raw-insn '" + object + "'";
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe != nullptr);
  Listing listing;
  std::string section;
  std::array<char, 4096> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) {
    std::string line(buffer.data());
    if (!line.empty() && line.back() == '\n')
      line.pop_back();
    parse_line(line, section, listing);
  }
  return listing;
}

std::vector<RawInstruction> slots_of(llvm::StringRef bytes) {
  std::vector<RawInstruction> slots;
  for (std::size_t at = 0; at + 8 <= bytes.size(); at += 8) {
    auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[at + i]); };
    RawInstruction raw;
    raw.opcode = byte(0);
    raw.dst = byte(1) & 0xf;
    raw.src = byte(1) >> 4;
    raw.offset = static_cast<std::int16_t>(byte(2) | byte(3) << 8);
    raw.imm = static_cast<std::int32_t>(static_cast<std::uint32_t>(byte(4)) | byte(5) << 8 |
                                        byte(6) << 16 | static_cast<std::uint32_t>(byte(7)) << 24);
    slots.push_back(raw);
  }
  return slots;
}

struct Tally {
  int compared = 0;
  int unknown_to_objdump = 0;
};

void compare_object(const std::string &path, Tally &tally) {
  CAPTURE(path);
  Listing expected = run_objdump(path);
  auto object = llvm::object::ObjectFile::createObjectFile(path);
  REQUIRE_MESSAGE(static_cast<bool>(object), llvm::toString(object.takeError()));
  for (const llvm::object::SectionRef &section : object->getBinary()->sections()) {
    auto name = section.getName();
    auto contents = section.getContents();
    if (!section.isText() || !name || !contents || contents->empty())
      continue;
    CAPTURE(name->str());
    std::vector<RawInstruction> slots = slots_of(*contents);
    const auto &texts = expected[name->str()];
    for (std::uint32_t pc = 0; pc < slots.size(); ++pc) {
      auto text = texts.find(pc);
      if (text == texts.end())
        continue; // the second slot of an ld_imm64
      CAPTURE(pc);
      if (text->second == "<unknown>") {
        ++tally.unknown_to_objdump;
        continue;
      }
      auto decoded = decode_instruction(slots, pc);
      REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error()));
      CHECK(format_instruction(*decoded) == text->second);
      ++tally.compared;
    }
    // Slots objdump listed must be exactly the instruction starts we decode.
    CHECK(texts.size() <= slots.size());
  }
}

std::vector<std::string> objects_under(const fs::path &root) {
  std::vector<std::string> objects;
  std::error_code error;
  if (!fs::is_directory(root, error))
    return objects;
  for (const auto &entry : fs::recursive_directory_iterator(root, error))
    if (entry.is_regular_file() && entry.path().extension() == ".o")
      objects.push_back(entry.path().string());
  std::sort(objects.begin(), objects.end());
  return objects;
}

TEST_CASE("disassembly agrees with llvm-objdump-16 on the fixture objects") {
  std::vector<std::string> objects = objects_under(CFG_FIXTURE_DIR);
  REQUIRE(objects.size() >= 4);
  Tally tally;
  for (const std::string &object : objects)
    compare_object(object, tally);
  MESSAGE(tally.compared << " instructions compared, " << tally.unknown_to_objdump
                         << " unknown to objdump");
  CHECK(tally.compared > 200);
}

TEST_CASE("disassembly agrees with llvm-objdump-16 on the corpus") {
  std::vector<std::string> objects = objects_under(BPFCHECK_CORPUS_DIR);
  if (objects.empty()) {
    MESSAGE("no corpus objects under " BPFCHECK_CORPUS_DIR "; skipped");
    return;
  }
  Tally tally;
  for (const std::string &object : objects)
    compare_object(object, tally);
  MESSAGE(objects.size() << " corpus objects, " << tally.compared << " instructions compared, "
                         << tally.unknown_to_objdump << " unknown to objdump");
}

} // namespace
} // namespace bpfcheck
