// Graphviz DOT export of function CFGs: one digraph per function, each block labelled with its
// disassembly (and source lines), edges labelled by kind, back edges to loop heads marked.
#pragma once

#include "cfg.h"
#include "disassembler.h"
#include "wto.h"

#include <string>

namespace bpfcheck {

// The digraph of `cfg.functions[function]`. Back edges (those the WTO orders backwards) are
// drawn dashed red with `back=true`-style label "back"; unreachable blocks are greyed.
std::string to_dot(const Program &program, const DecodedProgram &decoded, const ProgramCfg &cfg,
                   std::uint32_t function, const DisassemblyOptions &options = {});

} // namespace bpfcheck
