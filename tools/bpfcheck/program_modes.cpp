// Decoding and the inspector views for one program.
#include "program_modes.h"

#include "cfg.h"
#include "decoder.h"
#include "disassembler.h"
#include "dot.h"
#include "listing.h"
#include "render.h"
#include "verify.h"
#include "wto.h"

#include <cctype>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

namespace bpfcheck::cli {

static std::string qualified_name(const Program &program) {
  return fmt::format("{}: program {}/{}", program.file, program.section, program.name);
}

// A file name made of the characters every file system accepts.
static std::string file_name_part(std::string_view text) {
  std::string part;
  for (char c : text)
    part += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return part;
}

// Writes DIR/<object>.<program>.<function>.dot for every function of the program.
static std::string write_dot_files(const Program &program, const DecodedProgram &decoded,
                                   const ProgramCfg &cfg, const Options &options) {
  std::error_code error;
  std::filesystem::create_directories(options.dot_dir, error);
  if (error)
    return fmt::format("{}: cannot create directory: {}", options.dot_dir, error.message());
  std::string object = std::filesystem::path(program.file).stem().string();
  DisassemblyOptions disassembly;
  disassembly.source_lines = !options.no_source;
  for (std::uint32_t function = 0; function < cfg.functions.size(); ++function) {
    std::filesystem::path path =
        std::filesystem::path(options.dot_dir) /
        fmt::format("{}.{}.{}.dot", file_name_part(object), file_name_part(program.name),
                    file_name_part(cfg.functions[function].name));
    std::ofstream out(path);
    out << to_dot(program, decoded, cfg, function, disassembly);
    if (!out)
      return fmt::format("{}: cannot write", path.string());
  }
  return "";
}

ModeResult run_program_modes(const Program &program, const Options &options) {
  ModeResult result;
  Result<DecodedProgram> decoded = decode(program);
  if (!decoded) {
    result.error = fmt::format("{}: {}", qualified_name(program), decoded.error());
    return result;
  }
  if (options.asm_listing) {
    DisassemblyOptions disassembly;
    disassembly.source_lines = !options.no_source;
    result.output += fmt::format("\n{}:\tfile format elf64-bpf\n\nDisassembly of section {}:\n\n",
                                 program.file, program.section);
    result.output += disassemble(program, *decoded, disassembly);
  }
  Result<ProgramCfg> cfg = build_cfg(program, *decoded);
  if (!cfg) {
    result.error = fmt::format("{}: {}", qualified_name(program), cfg.error());
    return result;
  }
  if (!options.dot_dir.empty())
    result.error = write_dot_files(program, *decoded, *cfg, options);
  return result;
}

} // namespace bpfcheck::cli

namespace bpfcheck::cli {

ModeResult inspect_everything(const Program &program) {
  ModeResult result;
  ProgramTable table;
  table.add(program);
  result.output = table.render();
  Result<DecodedProgram> decoded = decode(program);
  if (!decoded) {
    result.error = fmt::format("{}: {}", qualified_name(program), decoded.error());
    return result;
  }
  result.output += disassemble(program, *decoded);
  Result<ProgramCfg> cfg = build_cfg(program, *decoded);
  if (!cfg) {
    result.error = fmt::format("{}: {}", qualified_name(program), cfg.error());
    return result;
  }
  for (std::uint32_t function = 0; function < cfg->functions.size(); ++function) {
    result.output += Wto(cfg->functions[function]).to_string();
    result.output += to_dot(program, *decoded, *cfg, function);
  }
  // The analysis with its invariants, rendered as a user would see them.
  Verification verification = verify_program(program, true);
  Report report;
  report.programs.push_back(std::move(verification.report));
  result.output += render_text(report, TextOptions{.current_directory = ""});
  result.error = verification.error;
  return result;
}

} // namespace bpfcheck::cli
