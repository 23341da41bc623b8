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
#include <regex>
#include <string>
#include <vector>

namespace bpfcheck {
namespace {

namespace fs = std::filesystem;

// section name -> slot -> objdump's text (without the trailing `<label>`).
using Listing = std::map<std::string, std::map<std::uint32_t, std::string>>;

Listing run_objdump(const std::string &object) {
  std::string command = std::string(LLVM_OBJDUMP) + " -d --no-show-raw-insn '" + object + "'";
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe != nullptr);
  static const std::regex kSection(R"(^Disassembly of section (.*):$)");
  static const std::regex kInstruction(R"(^\s*(\d+):\t(.*?)( <[^ <>]+>)?$)");
  Listing listing;
  std::string section;
  std::array<char, 4096> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) {
    std::string line(buffer.data());
    if (!line.empty() && line.back() == '\n')
      line.pop_back();
    std::smatch match;
    if (std::regex_match(line, match, kSection))
      section = match[1];
    else if (std::regex_match(line, match, kInstruction))
      listing[section][static_cast<std::uint32_t>(std::stoul(match[1]))] = match[2];
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
