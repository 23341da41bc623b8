// `bpfcheck --list`: one row per program with its section, type, size and the maps it uses.
#pragma once

#include "program.h"

#include <string>
#include <vector>

namespace bpfcheck::cli {

// Names of the maps (and global-data sections) the program's ld_imm64 instructions refer to, in
// order of first use.
std::vector<std::string> maps_used(const Program &program);

class ProgramTable {
public:
  void add(const Program &program);
  // Aligned columns: FILE SECTION PROGRAM TYPE INSNS MAPS.
  std::string render() const;
  bool empty() const { return rows_.empty(); }

private:
  std::vector<std::vector<std::string>> rows_;
};

} // namespace bpfcheck::cli
