// DOT writer. Labels use `\l` line ends so that the disassembly is left-aligned, and every
// string is quoted and escaped so that any source text yields a valid file.
#include "dot.h"

namespace bpfcheck {
namespace {

// Escapes for a double-quoted DOT string; tabs become spaces so objdump's `ld_pseudo\t` aligns.
std::string escape(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\t' || c == '\n' || c == '\r')
      c = ' ';
    out += c;
  }
  return out;
}

std::string block_label(const Program &program, const DecodedProgram &decoded,
                        const BasicBlock &block, const DisassemblyOptions &options) {
  std::string label;
  SourceLinePrinter source_lines;
  for (std::uint32_t i = block.first; i <= block.last; ++i) {
    const DecodedInstruction &insn = decoded.instructions[i];
    std::string source = options.source_lines ? source_lines.before(program, insn.pc) : "";
    if (!source.empty())
      label += escape("; " + source) + "\\l";
    label += std::to_string(insn.pc) + ": " +
             escape(format_instruction(insn.instruction, options)) + "\\l";
  }
  return label;
}

const char *edge_label(EdgeKind kind) {
  switch (kind) {
  case EdgeKind::Taken:
    return "true";
  case EdgeKind::NotTaken:
    return "false";
  case EdgeKind::Goto:
    return "goto";
  case EdgeKind::FallThrough:
    break;
  }
  return "";
}

} // namespace

std::string to_dot(const Program &program, const DecodedProgram &decoded, const ProgramCfg &cfg,
                   std::uint32_t function_index, const DisassemblyOptions &options) {
  const FunctionCfg &function = cfg.functions[function_index];
  Wto wto(function);
  std::string out = "digraph \"" + escape(function.name) + "\" {\n";
  out += "  node [shape=box, fontname=\"monospace\"];\n";
  for (BlockId block = 0; block < boost::num_vertices(function.graph); ++block) {
    out += "  b" + std::to_string(block) + " [label=\"" +
           block_label(program, decoded, function.graph[block], options) + "\"";
    if (wto.position(block) == Wto::kAbsent)
      out += ", style=filled, fillcolor=lightgrey";
    else if (wto.entries()[wto.position(block)].head)
      out += ", peripheries=2";
    out += "];\n";
  }
  for (auto [edge, edges_end] = boost::edges(function.graph); edge != edges_end; ++edge) {
    BlockId from = boost::source(*edge, function.graph);
    BlockId to = boost::target(*edge, function.graph);
    std::string label = edge_label(function.graph[*edge].kind);
    out += "  b" + std::to_string(from) + " -> b" + std::to_string(to);
    std::string attributes;
    if (wto.is_back_edge(from, to)) {
      label += label.empty() ? "back" : ", back";
      attributes = ", style=dashed, color=red";
    }
    if (!label.empty() || !attributes.empty())
      out += " [label=\"" + label + "\"" + attributes + "]";
    out += ";\n";
  }
  return out + "}\n";
}

} // namespace bpfcheck
