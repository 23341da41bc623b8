// bpfcheck: the command line. Reads BPF objects (files, or directories of *.o), and for every
// program lists, disassembles or exports its CFG. Exit codes: 0 fine, 1 a program rejected,
// 2 a usage or input error (DESIGN.md section 6).
#include "inputs.h"
#include "listing.h"
#include "object_file.h"
#include "options.h"
#include "program_modes.h"
#include "section_types.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fmt/format.h>

namespace bpfcheck::cli {
namespace {

void report_error(const std::string &message) {
  std::fprintf(stderr, "bpfcheck: error: %s\n", message.c_str());
}

std::optional<ProgramType> parse_type(const std::string &name) {
  if (name.empty())
    return std::nullopt;
  return program_type_from_name(name);
}

// Reads one object and runs the requested modes over its selected programs. Returns the worst
// exit code seen.
int process_object(const std::string &path, const Options &options, ProgramTable &table) {
  Result<ObjectFile> object = load_object(path);
  if (!object) {
    report_error(object.error());
    return kExitInputError;
  }
  int exit_code = kExitVerified;
  for (const LoadDiagnostic &diagnostic : object->diagnostics) {
    report_error(diagnostic.to_string());
    exit_code = kExitInputError;
  }
  for (Program &program : object->programs) {
    if (!program_selected(options.programs, program.section, program.name))
      continue;
    if (options.type)
      program.type = *options.type;
    if (options.list)
      table.add(program);
    ModeResult result = run_program_modes(program, options);
    if (!result.error.empty()) {
      report_error(result.error);
      exit_code = kExitInputError;
    }
    std::fputs(result.output.c_str(), stdout);
  }
  return exit_code;
}

} // namespace

int run(int argc, char **argv) {
  Options options;
  std::string type_name;
  CLI::App app{"bpfcheck: a static verifier for eBPF programs"};
  app.add_option("inputs", options.inputs, "BPF ELF objects, or directories of *.o")->required();
  app.add_option("-p,--program", options.programs,
                 "only these programs (glob over NAME or SECTION/NAME)");
  app.add_option("--type", type_name, "override the program type (e.g. xdp, sched_cls, kprobe)");
  app.add_flag("--list", options.list, "list programs: section, name, type, instructions, maps");
  app.add_flag("--asm", options.asm_listing, "disassemble, interleaved with source lines");
  app.add_option("--dot", options.dot_dir, "write one Graphviz file per program into DIR");
  app.add_flag("--no-source", options.no_source, "leave source lines out of --asm listings");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &error) {
    return app.exit(error) == 0 ? kExitVerified : kExitInputError;
  }
  options.type = parse_type(type_name);
  if (!type_name.empty() && !options.type) {
    report_error("unknown program type '" + type_name + "'");
    return kExitInputError;
  }
  if (!options.list && !options.asm_listing && options.dot_dir.empty()) {
    // Until the safety analysis lands, the default action is the inspector's listing.
    options.list = true;
  }

  ExpandedInputs inputs = expand_inputs(options.inputs);
  int exit_code = kExitVerified;
  for (const std::string &error : inputs.errors) {
    report_error(error);
    exit_code = kExitInputError;
  }
  ProgramTable table;
  for (const std::string &path : inputs.objects)
    exit_code = std::max(exit_code, process_object(path, options, table));
  if (options.list && !table.empty())
    std::fputs(table.render().c_str(), stdout);
  return exit_code;
}

} // namespace bpfcheck::cli

int main(int argc, char **argv) { return bpfcheck::cli::run(argc, argv); }
