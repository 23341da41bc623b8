// LineTable: sorted, sparse instruction -> source location records.
#include "program.h"

#include <algorithm>

namespace bpfcheck {

void LineTable::add(std::uint32_t instruction, SourceLocation location) {
  auto pos = std::upper_bound(
      entries_.begin(), entries_.end(), instruction,
      [](std::uint32_t insn, const Entry &entry) { return insn < entry.instruction; });
  // A later record for the same instruction replaces the earlier one, as in .BTF.ext.
  if (pos != entries_.begin() && std::prev(pos)->instruction == instruction) {
    std::prev(pos)->location = std::move(location);
    return;
  }
  entries_.insert(pos, Entry{instruction, std::move(location)});
}

const SourceLocation *LineTable::at(std::uint32_t instruction) const {
  auto pos = std::upper_bound(
      entries_.begin(), entries_.end(), instruction,
      [](std::uint32_t insn, const Entry &entry) { return insn < entry.instruction; });
  if (pos == entries_.begin())
    return nullptr;
  return &std::prev(pos)->location;
}

const SourceLocation *LineTable::starting_at(std::uint32_t instruction) const {
  const SourceLocation *location = at(instruction);
  if (location == nullptr)
    return nullptr;
  auto pos = std::lower_bound(
      entries_.begin(), entries_.end(), instruction,
      [](const Entry &entry, std::uint32_t insn) { return entry.instruction < insn; });
  return (pos != entries_.end() && pos->instruction == instruction) ? location : nullptr;
}

} // namespace bpfcheck
