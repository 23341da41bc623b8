// Programs whose loaded form differs from the object (Program::loader_mismatches, recorded by
// the frontend for gcc 12's doubled global-data offsets): rejected at the named instruction,
// even when the analyzed form is safe, because the kernel verifies the other one.
#include "asm.h"

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

// r1 = &global + 4; r0 = *(u32 *)r1; exit: safe as the object means it (8-byte .data).
Program read_global(std::vector<LoaderMismatch> mismatches) {
  Program p;
  p.name = "test";
  p.type = ProgramType::Xdp;
  p.license = "GPL";
  MapDescriptor data = map_of(2, 4, 8, ".data");
  data.max_entries = 1;
  p.maps = {data};
  p.instructions = {ld_map_value(1, 0), ld_hi(4), ldx(4, 0, 1, 0), exit_insn()};
  p.loader_mismatches = std::move(mismatches);
  return p;
}

} // namespace

TEST_CASE("a load the loader changes is rejected there, with the frontend's explanation") {
  auto clean = analyzer::analyze(read_global({}));
  REQUIRE(clean.ok());
  CHECK(clean->verified());

  auto mismatched = analyzer::analyze(read_global({{0, "libbpf adds it again"}}));
  REQUIRE(mismatched.ok());
  REQUIRE(mismatched->diagnostics.size() == 1);
  const Diagnostic &d = mismatched->diagnostics.front();
  CHECK(d.rule == "loader-mismatch");
  CHECK(d.instruction == 0);
  CHECK(d.message == "libbpf adds it again");
  CHECK_FALSE(d.hint.empty());
}

TEST_CASE("a mismatch recorded past the end of the program is ignored, not a crash") {
  auto r = analyzer::analyze(read_global({{99, "stale slot"}}));
  REQUIRE(r.ok());
  CHECK(r->verified());
}
