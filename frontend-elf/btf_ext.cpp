// .BTF.ext reader: func_info, line_info and CO-RE relocation records per ELF section. The blob is
// untrusted, so every length, count and string offset is checked before it is used; records
// larger than we know (a newer format) are accepted and their tail skipped, as libbpf does.
#include "btf_ext.h"

#include <bpf/btf.h>

#include <cstring>
#include <functional>
#include <optional>

namespace bpfcheck {
namespace {

constexpr std::uint16_t kMagic = 0xeB9F;
constexpr std::uint32_t kMinHeader = 24;  // up to line_info_len
constexpr std::uint32_t kCoreHeader = 32; // with core_relo_off/len
constexpr std::uint32_t kInsnSize = 8;

using Problem = std::optional<std::string>;

std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  return value;
}

// One of the three sub-sections, and how to turn one record into our structures.
struct SubSection {
  const char *what;
  std::uint32_t offset;
  std::uint32_t length;
  std::uint32_t min_record;
  std::function<Problem(std::span<const std::uint8_t> record, BtfExtSection &section)> record;
};

class ExtParser {
public:
  ExtParser(std::span<const std::uint8_t> data, const Btf &btf) : data_(data), btf_(btf) {}

  Problem walk(const SubSection &sub) {
    if (sub.length == 0)
      return std::nullopt;
    if (sub.offset % 4 != 0 || std::uint64_t{sub.offset} + sub.length > data_.size())
      return std::string(sub.what) + " (offset " + std::to_string(sub.offset) + ", length " +
             std::to_string(sub.length) + ") lies outside the " + std::to_string(data_.size()) +
             " bytes after the header or is misaligned";
    const auto bytes = data_.subspan(sub.offset, sub.length);
    if (bytes.size() < 4)
      return std::string(sub.what) + " is too short for its record size";
    const std::uint32_t rec_size = read_u32(bytes, 0);
    if (rec_size < sub.min_record || rec_size % 4 != 0)
      return std::string(sub.what) + " record size " + std::to_string(rec_size) +
             " is invalid (at least " + std::to_string(sub.min_record) + ", a multiple of 4)";
    for (std::size_t at = 4, block = 0; at < bytes.size(); ++block) {
      auto problem = walk_block(sub, bytes, rec_size, at);
      if (problem)
        return std::string(sub.what) + " block #" + std::to_string(block) + ": " + *problem;
    }
    return std::nullopt;
  }

  std::vector<BtfExtSection> take() { return std::move(sections_); }

private:
  // One per-ELF-section block: sec_name_off, num_info, then num_info records.
  Problem walk_block(const SubSection &sub, std::span<const std::uint8_t> bytes,
                     std::uint32_t rec_size, std::size_t &at) {
    if (bytes.size() - at < 8)
      return "truncated block header at byte " + std::to_string(at);
    const std::uint32_t name_off = read_u32(bytes, at), count = read_u32(bytes, at + 4);
    at += 8;
    const char *name = btf__str_by_offset(btf_.raw(), name_off);
    if (name == nullptr || *name == '\0')
      return "section name offset " + std::to_string(name_off) + " is not a name in .BTF";
    if (count == 0)
      return "section '" + std::string(name) + "' has no records";
    if (std::uint64_t{count} * rec_size > bytes.size() - at)
      return "section '" + std::string(name) + "' claims " + std::to_string(count) +
             " records of " + std::to_string(rec_size) + " bytes, but only " +
             std::to_string(bytes.size() - at) + " bytes remain";
    BtfExtSection &section = section_named(name);
    for (std::uint32_t i = 0; i < count; ++i, at += rec_size)
      if (auto problem = sub.record(bytes.subspan(at, rec_size), section))
        return "section '" + section.name + "' record #" + std::to_string(i) + ": " + *problem;
    return std::nullopt;
  }

  BtfExtSection &section_named(const char *name) {
    for (BtfExtSection &section : sections_)
      if (section.name == name)
        return section;
    sections_.push_back(BtfExtSection{name, {}, {}, {}});
    return sections_.back();
  }

  std::span<const std::uint8_t> data_;
  const Btf &btf_;
  std::vector<BtfExtSection> sections_;
};

Problem check_insn_offset(std::uint32_t offset) {
  if (offset % kInsnSize != 0)
    return "instruction offset " + std::to_string(offset) + " is not a multiple of 8";
  return std::nullopt;
}

Problem read_string(const Btf &btf, std::uint32_t offset, const char *what, std::string &out) {
  const char *text = btf__str_by_offset(btf.raw(), offset);
  if (text == nullptr)
    return std::string(what) + " offset " + std::to_string(offset) +
           " is outside the .BTF string section";
  out = text;
  return std::nullopt;
}

Problem func_record(const Btf &btf, std::span<const std::uint8_t> rec, BtfExtSection &section) {
  FuncInfoRecord func{read_u32(rec, 0), read_u32(rec, 4)};
  if (auto problem = check_insn_offset(func.insn_offset))
    return problem;
  if (btf.kind(func.type_id) != BTF_KIND_FUNC)
    return "type id " + std::to_string(func.type_id) + " is not a BTF FUNC";
  section.funcs.push_back(func);
  return std::nullopt;
}

Problem line_record(const Btf &btf, std::span<const std::uint8_t> rec, BtfExtSection &section) {
  LineInfoRecord line;
  line.insn_offset = read_u32(rec, 0);
  if (auto problem = check_insn_offset(line.insn_offset))
    return problem;
  if (auto problem = read_string(btf, read_u32(rec, 4), "file name", line.file))
    return problem;
  if (auto problem = read_string(btf, read_u32(rec, 8), "source line", line.text))
    return problem;
  const std::uint32_t line_col = read_u32(rec, 12);
  line.line = line_col >> 10; // BPF_LINE_INFO_LINE_NUM
  line.column = line_col & 0x3ff;
  section.lines.push_back(std::move(line));
  return std::nullopt;
}

Problem core_record(const Btf &btf, std::span<const std::uint8_t> rec, BtfExtSection &section) {
  CoreRelocationRecord relo;
  relo.insn_offset = read_u32(rec, 0);
  relo.type_id = read_u32(rec, 4);
  relo.kind = read_u32(rec, 12);
  if (auto problem = check_insn_offset(relo.insn_offset))
    return problem;
  if (relo.type_id == 0 || relo.type_id >= btf.type_count())
    return "type id " + std::to_string(relo.type_id) + " is out of range";
  if (auto problem = read_string(btf, read_u32(rec, 8), "access string", relo.access_string))
    return problem;
  if (relo.access_string.empty())
    return std::string("empty access string");
  section.core_relocations.push_back(std::move(relo));
  return std::nullopt;
}

Problem check_header(std::span<const std::uint8_t> bytes, std::uint32_t &hdr_len) {
  if (bytes.size() < 8)
    return ".BTF.ext is truncated: " + std::to_string(bytes.size()) + " bytes";
  std::uint16_t magic = 0;
  std::memcpy(&magic, bytes.data(), sizeof magic);
  if (magic != kMagic)
    return "bad .BTF.ext magic " + std::to_string(magic) + " (expected 0xeb9f, little-endian)";
  if (bytes[2] != 1)
    return "unsupported .BTF.ext version " + std::to_string(bytes[2]) + " (expected 1)";
  hdr_len = read_u32(bytes, 4);
  if (hdr_len < kMinHeader || hdr_len > bytes.size())
    return ".BTF.ext header length " + std::to_string(hdr_len) +
           " is invalid (at least 24, at most the section size " + std::to_string(bytes.size()) +
           ")";
  return std::nullopt;
}

} // namespace

Result<std::vector<BtfExtSection>> parse_btf_ext(std::span<const std::uint8_t> bytes,
                                                 const Btf &btf) {
  std::uint32_t hdr_len = 0;
  if (auto problem = check_header(bytes, hdr_len))
    return Error{*problem};
  ExtParser parser(bytes.subspan(hdr_len), btf);
  auto bind = [&btf](auto record) {
    return [&btf, record](std::span<const std::uint8_t> rec, BtfExtSection &section) {
      return record(btf, rec, section);
    };
  };
  std::vector<SubSection> subs = {
      {"func_info", read_u32(bytes, 8), read_u32(bytes, 12), 8, bind(func_record)},
      {"line_info", read_u32(bytes, 16), read_u32(bytes, 20), 16, bind(line_record)}};
  if (hdr_len >= kCoreHeader) // the CO-RE part of the header is optional
    subs.push_back({"core_relo", read_u32(bytes, 24), read_u32(bytes, 28), 16, bind(core_record)});
  for (const SubSection &sub : subs)
    if (auto problem = parser.walk(sub))
      return Error{".BTF.ext " + *problem};
  return parser.take();
}

} // namespace bpfcheck
