// Walks the headers of every line table in .debug_line (DWARF 2-5, 32- and 64-bit) and checks
// the DWARF 5 entry formats; the line programs themselves are left to LLVM, which parses them
// safely. Every read is bounds-checked and every loop bounded by the section size.
#include "dwarf_guard.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace bpfcheck {
namespace {

class Reader {
public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::optional<std::uint64_t> fixed(unsigned size) {
    if (size > bytes_.size() - position_)
      return std::nullopt;
    std::uint64_t value = 0;
    for (unsigned i = 0; i < size; ++i)
      value |= std::uint64_t{bytes_[position_ + i]} << (8 * i);
    position_ += size;
    return value;
  }

  std::optional<std::uint64_t> uleb() {
    std::uint64_t value = 0;
    for (unsigned shift = 0; shift < 64 && position_ < bytes_.size(); shift += 7) {
      const std::uint8_t byte = bytes_[position_++];
      value |= std::uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0)
        return value;
    }
    return std::nullopt;
  }

  std::size_t position() const { return position_; }
  bool seek(std::uint64_t position) {
    if (position > bytes_.size())
      return false;
    position_ = static_cast<std::size_t>(position);
    return true;
  }

private:
  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
};

// The forms DWARF 5 allows in line table entry formats (section 6.2.4.1).
bool known_form(std::uint64_t form) {
  switch (form) {
  case 0x05:
  case 0x06:
  case 0x07:
  case 0x08:
  case 0x09:
  case 0x0b:
  case 0x0e:
  case 0x0f:
  case 0x1a:
  case 0x1e:
  case 0x1f:
  case 0x25:
  case 0x26:
  case 0x27:
  case 0x28:
    return true;
  default:
    return false;
  }
}

using Formats = std::vector<std::uint64_t>;

// Reads one entry format list (count, then (content type, form) pairs); nullopt on a bad form.
std::optional<Formats> read_formats(Reader &reader) {
  const auto count = reader.fixed(1);
  if (!count)
    return std::nullopt;
  Formats forms;
  for (std::uint64_t i = 0; i < *count; ++i) {
    const auto content = reader.uleb();
    const auto form = reader.uleb();
    if (!content || !form || !known_form(*form))
      return std::nullopt;
    forms.push_back(*form);
  }
  return forms;
}

// Skips one value of a known form; every form consumes at least one byte.
bool skip_value(Reader &reader, std::uint64_t form, unsigned offset_size) {
  switch (form) {
  case 0x0b:
  case 0x25:
    return reader.fixed(1).has_value();
  case 0x05:
  case 0x26:
    return reader.fixed(2).has_value();
  case 0x27:
    return reader.fixed(3).has_value();
  case 0x06:
  case 0x28:
    return reader.fixed(4).has_value();
  case 0x07:
    return reader.fixed(8).has_value();
  case 0x1e:
    return reader.fixed(8).has_value() && reader.fixed(8).has_value();
  case 0x0e:
  case 0x1f:
    return reader.fixed(offset_size).has_value();
  case 0x0f:
  case 0x1a:
    return reader.uleb().has_value();
  case 0x09: {
    const auto length = reader.uleb();
    return length && reader.seek(reader.position() + *length);
  }
  case 0x08:
    for (;;) {
      const auto byte = reader.fixed(1);
      if (!byte)
        return false;
      if (*byte == 0)
        return true;
    }
  default:
    return false;
  }
}

// DWARF 5: directory formats, directories, file formats. The file entries use forms just
// checked, which LLVM reads safely.
bool v5_formats_ok(Reader &reader, unsigned offset_size) {
  const auto directory_forms = read_formats(reader);
  const auto directories = reader.uleb();
  if (!directory_forms || !directories)
    return false;
  if (!directory_forms->empty())
    for (std::uint64_t i = 0; i < *directories; ++i) // each entry takes at least one byte
      for (std::uint64_t form : *directory_forms)
        if (!skip_value(reader, form, offset_size))
          return false;
  return read_formats(reader).has_value();
}

bool table_ok(Reader &reader, std::size_t section_size) {
  auto length = reader.fixed(4);
  if (!length)
    return false;
  unsigned offset_size = 4;
  if (*length == 0xffffffff) {
    length = reader.fixed(8);
    offset_size = 8;
    if (!length)
      return false;
  }
  const std::size_t end = reader.position() + std::min<std::uint64_t>(*length, section_size);
  const auto version = reader.fixed(2);
  if (!version)
    return false;
  if (*version == 5) {
    if (!reader.fixed(2)) // address_size, segment_selector_size
      return false;
  }
  if (*version < 5) {
    reader.seek(std::min(end, section_size));
    return true; // no entry formats before DWARF 5
  }
  const auto header_length = reader.fixed(offset_size);
  const auto fixed_fields = reader.fixed(4); // min_inst_length, max_ops, default_is_stmt, base
  const auto line_range = reader.fixed(1);
  const auto opcode_base = reader.fixed(1);
  if (!header_length || !fixed_fields || !line_range || !opcode_base)
    return false;
  if (!reader.seek(reader.position() + (*opcode_base > 0 ? *opcode_base - 1 : 0)))
    return false;
  if (!v5_formats_ok(reader, offset_size))
    return false;
  return reader.seek(std::min(end, section_size));
}

} // namespace

bool debug_line_is_safe(std::span<const std::uint8_t> debug_line) {
  Reader reader(debug_line);
  // Each table is at least a few bytes long, so this bounds the walk by the section size.
  for (std::size_t tables = 0; reader.position() < debug_line.size(); ++tables) {
    const std::size_t before = reader.position();
    if (tables > debug_line.size() || !table_ok(reader, debug_line.size()) ||
        reader.position() <= before)
      return false;
  }
  return true;
}

} // namespace bpfcheck
