// bpfcheck: the command line. Reads BPF objects (files, or directories of *.o) and verifies every
// selected program, printing diagnostics as text, JSON, SARIF or CSV; --list, --asm and --dot
// inspect objects instead. Exit codes: 0 all verified, 1 a program rejected, 2 a usage or input
// error (DESIGN.md section 6).
#include "inputs.h"
#include "listing.h"
#include "object_file.h"
#include "options.h"
#include "program_modes.h"
#include "render.h"
#include "section_types.h"
#include "verify.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>

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

// What one run accumulates over all objects: the verification report, the --list table and the
// worst exit code.
class Session {
public:
  explicit Session(const Options &options) : options_(options) {}

  void process_object(const std::string &path);
  // An input error goes to stderr at once; JSON and SARIF also carry it, so that their
  // consumers know the run was incomplete.
  void input_error(const std::string &message);
  int finish();

private:
  void process_program(Program &program);

  const Options &options_;
  Report report_;
  ProgramTable table_;
  int exit_code_ = kExitVerified;
};

void Session::input_error(const std::string &message) {
  report_error(message);
  if (options_.format == OutputFormat::Json || options_.format == OutputFormat::Sarif)
    report_.input_errors.push_back("bpfcheck: error: " + message);
  exit_code_ = kExitInputError;
}

void Session::process_object(const std::string &path) {
  Result<ObjectFile> object = load_object(path);
  if (!object)
    return input_error(object.error());
  for (const LoadDiagnostic &diagnostic : object->diagnostics)
    input_error(diagnostic.to_string());
  for (Program &program : object->programs)
    if (program_selected(options_.programs, program.section, program.name))
      process_program(program);
}

void Session::process_program(Program &program) {
  if (options_.type)
    program.type = *options_.type;
  if (options_.inspecting()) {
    if (options_.list)
      table_.add(program);
    ModeResult result = run_program_modes(program, options_);
    if (!result.error.empty())
      input_error(result.error);
    std::fputs(result.output.c_str(), stdout);
    return;
  }
  Verification verification = verify_program(program, options_.print_invariants);
  if (!verification.error.empty())
    input_error(verification.error);
  if (verification.report.verdict == Verdict::Rejected)
    exit_code_ = std::max(exit_code_, kExitRejected);
  report_.programs.push_back(std::move(verification.report));
}

std::string render(const Report &report, const Options &options, bool color) {
  switch (options.format) {
  case OutputFormat::Json:
    return render_json(report);
  case OutputFormat::Sarif:
    return render_sarif(report);
  case OutputFormat::Csv:
    return render_csv(report);
  case OutputFormat::Text:
    break;
  }
  TextOptions text;
  text.color = color;
  return render_text(report, text);
}

int Session::finish() {
  if (options_.inspecting()) {
    if (options_.list && !table_.empty())
      std::fputs(table_.render().c_str(), stdout);
    return exit_code_;
  }
  if (options_.output_file.empty()) {
    std::fputs(render(report_, options_, should_use_color(stdout)).c_str(), stdout);
    return exit_code_;
  }
  std::ofstream out(options_.output_file, std::ios::binary);
  out << render(report_, options_, false);
  out.close();
  if (!out) {
    report_error(options_.output_file + ": cannot write the report");
    return kExitInputError;
  }
  return exit_code_;
}

void add_options(CLI::App &app, Options &options, std::string &type_name,
                 std::string &format_name) {
  app.add_option("inputs", options.inputs, "BPF ELF objects, or directories of *.o")->required();
  // One glob per -p, so that `-p NAME FILE...` leaves the files alone.
  app.add_option("-p,--program", options.programs,
                 "only these programs (glob over NAME or SECTION/NAME; repeat for more)")
      ->allow_extra_args(false)
      ->type_name("GLOB");
  app.add_option("--type", type_name, "override the program type (e.g. xdp, sched_cls, kprobe)")
      ->type_name("TYPE");
  app.add_option("--format", format_name, "report format: text (default), json, sarif or csv")
      ->type_name("FORMAT");
  app.add_option("-o,--output", options.output_file, "write the report to FILE, not stdout")
      ->type_name("FILE");
  app.add_flag("--print-invariants", options.print_invariants,
               "print the abstract state before every reachable instruction (text, json)");
  app.add_flag("--list", options.list,
               "instead of verifying, list programs: section, name, type, instructions, maps");
  app.add_flag("--asm", options.asm_listing,
               "instead of verifying, disassemble, interleaved with source lines");
  app.add_option("--dot", options.dot_dir,
                 "instead of verifying, write one Graphviz file per program into DIR")
      ->type_name("DIR");
  app.add_flag("--no-source", options.no_source, "leave source lines out of --asm listings");
}

} // namespace

int run(int argc, char **argv) {
  Options options;
  std::string type_name;
  std::string format_name = "text";
  CLI::App app{"bpfcheck: a static verifier for eBPF programs"};
  add_options(app, options, type_name, format_name);
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
  std::optional<OutputFormat> format = parse_output_format(format_name);
  if (!format) {
    report_error("unknown format '" + format_name + "' (text, json, sarif or csv)");
    return kExitInputError;
  }
  options.format = *format;

  Session session(options);
  ExpandedInputs inputs = expand_inputs(options.inputs);
  for (const std::string &error : inputs.errors)
    session.input_error(error);
  for (const std::string &path : inputs.objects)
    session.process_object(path);
  return session.finish();
}

} // namespace bpfcheck::cli

int main(int argc, char **argv) { return bpfcheck::cli::run(argc, argv); }
