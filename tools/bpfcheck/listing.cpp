// The program table of `--list`. Instruction counts are slots, as libbpf and the kernel count
// them (an ld_imm64 is two).
#include "listing.h"

#include "section_types.h"

#include <algorithm>
#include <fmt/format.h>

namespace bpfcheck::cli {

// BPF_LD | BPF_IMM | BPF_DW, and the pseudo sources that name a map (<linux/bpf.h>).
constexpr std::uint8_t kLoadImm64 = 0x18;
constexpr bool names_map(std::uint8_t src) { return src == 1 || src == 2 || src == 5 || src == 6; }

std::vector<std::string> maps_used(const Program &program) {
  std::vector<std::string> names;
  for (const RawInstruction &insn : program.instructions) {
    if (insn.opcode != kLoadImm64 || !names_map(insn.src) || insn.imm < 0 ||
        static_cast<std::size_t>(insn.imm) >= program.maps.size())
      continue;
    const std::string &name = program.maps[static_cast<std::size_t>(insn.imm)].name;
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  }
  return names;
}

void ProgramTable::add(const Program &program) {
  std::vector<std::string> maps = maps_used(program);
  rows_.push_back({program.file, program.section, program.name,
                   std::string(program_type_name(program.type)),
                   std::to_string(program.instructions.size()),
                   maps.empty() ? "-" : fmt::format("{}", fmt::join(maps, ","))});
}

std::string ProgramTable::render() const {
  std::vector<std::string> header{"FILE", "SECTION", "PROGRAM", "TYPE", "INSNS", "MAPS"};
  std::vector<std::size_t> widths(header.size());
  for (std::size_t column = 0; column < header.size(); ++column) {
    widths[column] = header[column].size();
    for (const auto &row : rows_)
      widths[column] = std::max(widths[column], row[column].size());
  }
  auto render_row = [&](const std::vector<std::string> &row) {
    std::string line;
    for (std::size_t column = 0; column < row.size(); ++column) {
      bool last = column + 1 == row.size();
      bool numeric = column == 4;
      if (last)
        line += row[column];
      else if (numeric)
        line += fmt::format("{:>{}}  ", row[column], widths[column]);
      else
        line += fmt::format("{:<{}}  ", row[column], widths[column]);
    }
    return line + "\n";
  };
  std::string text = render_row(header);
  for (const auto &row : rows_)
    text += render_row(row);
  return text;
}

} // namespace bpfcheck::cli
