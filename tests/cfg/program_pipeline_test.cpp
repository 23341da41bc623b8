// End to end on real objects: every program of the fixture objects (and of the corpus, when
// built) goes through the frontend, decode, CFG, WTO, listing and DOT. Checks the invariants
// that hold for compiler output: every block reachable, every function in the call graph.
#include "cfg.h"
#include "decoder.h"
#include "disassembler.h"
#include "dot.h"
#include "object_file.h"
#include "wto.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

namespace bpfcheck {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> objects_in(const fs::path &root) {
  std::vector<std::string> objects;
  std::error_code error;
  if (!fs::is_directory(root, error))
    return objects;
  for (const auto &entry : fs::recursive_directory_iterator(root, error))
    if (entry.is_regular_file() && entry.path().extension() == ".o")
      objects.push_back(entry.path().string());
  std::sort(objects.begin(), objects.end());
  return objects;
}

struct Tally {
  int programs = 0;
  int functions = 0;
  int loops = 0;
  int with_source = 0;
};

void check_program(const Program &program, Tally &tally) {
  CAPTURE(program.section);
  CAPTURE(program.name);
  auto decoded = decode(program);
  REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error()));
  auto cfg = build_cfg(program, *decoded);
  REQUIRE_MESSAGE(cfg.ok(), (cfg.ok() ? "" : cfg.error()));
  CHECK(cfg->functions.size() >= std::max<std::size_t>(1, program.subprograms.size()));
  for (std::uint32_t f = 0; f < cfg->functions.size(); ++f) {
    const FunctionCfg &function = cfg->functions[f];
    CAPTURE(function.name);
    CHECK(unreachable_blocks(function).empty());
    Wto wto(function);
    CHECK(wto.entries().size() == boost::num_vertices(function.graph));
    tally.loops += static_cast<int>(std::count_if(wto.entries().begin(), wto.entries().end(),
                                                  [](const auto &entry) { return entry.head; }));
    std::string dot = to_dot(program, *decoded, *cfg, f);
    CHECK(dot.rfind("digraph \"", 0) == 0);
    if (f > 0)
      CHECK(boost::in_degree(f, cfg->calls) > 0); // every subprogram is called or referenced
  }
  std::string listing = disassemble(program, *decoded);
  CHECK(static_cast<std::size_t>(std::count(listing.begin(), listing.end(), '\t')) >=
        decoded->instructions.size());
  if (!program.lines.empty()) {
    CHECK(listing.find("\n; ") != std::string::npos);
    ++tally.with_source;
  }
  ++tally.programs;
  tally.functions += static_cast<int>(cfg->functions.size());
}

Tally check_objects(const std::vector<std::string> &objects) {
  Tally tally;
  for (const std::string &path : objects) {
    CAPTURE(path);
    auto object = load_object(path);
    REQUIRE_MESSAGE(object.ok(), (object.ok() ? "" : object.error()));
    for (const LoadDiagnostic &diagnostic : object->diagnostics)
      MESSAGE("frontend: " << diagnostic.to_string());
    for (const Program &program : object->programs)
      check_program(program, tally);
  }
  return tally;
}

TEST_CASE("fixture programs go through decode, CFG, WTO, listing and DOT") {
  Tally tally = check_objects(objects_in(CFG_FIXTURE_DIR));
  MESSAGE(tally.programs << " programs, " << tally.functions << " functions, " << tally.loops
                         << " loop heads");
  CHECK(tally.programs >= 3);
  CHECK(tally.functions >= 5); // loops.c: entry, mix, count_step
  CHECK(tally.loops >= 2);     // loops.c: the two nested loops
  CHECK(tally.with_source >= 3);
}

TEST_CASE("corpus programs go through decode, CFG, WTO, listing and DOT") {
  auto objects = objects_in(BPFCHECK_CORPUS_DIR);
  if (objects.empty()) {
    MESSAGE("no corpus objects under " BPFCHECK_CORPUS_DIR "; skipped");
    return;
  }
  Tally tally = check_objects(objects);
  MESSAGE(objects.size() << " objects, " << tally.programs << " programs, " << tally.functions
                         << " functions, " << tally.loops << " loop heads");
}

} // namespace
} // namespace bpfcheck
