// Null tests of helper results: every copy (registers and spilled slots) sharing the result's id
// is refined on both edges; a register known to be 0 works as the immediate 0; a pointer the
// kernel knows is never NULL prunes the null edge; arithmetic before the test is rejected.
#include "asm.h"

#include "analyzer/state.h"

using namespace bpfcheck;
using namespace bpfcheck::test;
using analyzer::RegType;
using analyzer::Scalar64;

namespace {
const std::vector<MapDescriptor> kMaps{map_of(2, 4, 8)};
}

TEST_CASE("a null test refines every copy, in registers and spilled slots") {
  // r6 = r0; *(fp - 16) = r0; if r6 == 0 goto out; r1 = *(fp - 16); r0 = *(r1 + 0); r0 = *r0
  Run r = run(ProgramType::Xdp,
              lookup_key0() +
                  std::initializer_list<RawInstruction>{mov64_reg(6, 0), stx(8, 10, 0, -16),
                                                        jmp_imm(kJeq, 6, 0, 5), ldx(8, 1, 10, -16),
                                                        ldx(8, 2, 1, 0), ldx(8, 3, 0, 0),
                                                        mov64_imm(0, 2), exit_insn(), exit_insn()},
              kMaps);
  CHECK(r.rules() == Rules{});
  CHECK(r.at(7).reg(6).id == r.at(7).reg(0).id);
  CHECK(r.at(7).reg(6).id != 0);
  CHECK_FALSE(r.at(9).reg(0).maybe_null);
  CHECK_FALSE(r.at(10).reg(1).maybe_null);
  // On the null edge every copy is the number 0.
  CHECK(r.at(14).reg(0).type == RegType::Scalar);
  CHECK(r.at(14).reg(0).num == Scalar64::constant(0));
  CHECK(r.at(14).stack().spill_at(-16)->num == Scalar64::constant(0));
}

TEST_CASE("the null edge and the non-null edge of `!=`, and a register known to be 0") {
  Run ne = run(ProgramType::Xdp,
               lookup_key0() + std::initializer_list<RawInstruction>{jmp_imm(kJne, 0, 0, 2),
                                                                     mov64_imm(0, 2), exit_insn(),
                                                                     ldx(8, 1, 0, 0),
                                                                     mov64_imm(0, 1), exit_insn()},
               kMaps);
  CHECK(ne.rules() == Rules{});
  Run reg =
      run(ProgramType::Xdp,
          lookup_key0() +
              std::initializer_list<RawInstruction>{mov64_imm(5, 0), jmp_reg(kJeq, 0, 5, 1),
                                                    ldx(8, 1, 0, 0), mov64_imm(0, 1), exit_insn()},
          kMaps);
  CHECK(reg.rules() == Rules{});
  // The wrong edge: the access is on the null side.
  Run wrong = run(ProgramType::Xdp,
                  lookup_key0() +
                      std::initializer_list<RawInstruction>{jmp_imm(kJne, 0, 0, 1), ldx(8, 1, 0, 0),
                                                            mov64_imm(0, 1), exit_insn()},
                  kMaps);
  CHECK(wrong.rules() == Rules{"invalid-memory-access@7"});
}

TEST_CASE("a 32-bit test is no null check") {
  Run r = run(ProgramType::Xdp,
              lookup_key0() + std::initializer_list<RawInstruction>{jmp32_imm(kJeq, 0, 0, 1),
                                                                    ldx(8, 1, 0, 0),
                                                                    mov64_imm(0, 1), exit_insn()},
              kMaps);
  CHECK(r.rules() == Rules{"null-dereference@7"});
}

TEST_CASE("a copy made before the test shares it; a copy of another lookup does not") {
  // Two lookups at different call sites: testing the second says nothing about the first.
  Run r =
      run(ProgramType::Xdp,
          lookup_key0() + std::initializer_list<RawInstruction>{mov64_reg(6, 0), mov64_reg(1, 0)} +
              std::initializer_list<RawInstruction>{
                  ld_map(1, 0), ld_hi(), mov64_reg(2, 10), alu64_imm(kAdd, 2, -4), call(1),
                  jmp_imm(kJeq, 0, 0, 1), ldx(8, 1, 6, 0), mov64_imm(0, 1), exit_insn()},
          kMaps);
  CHECK(r.rules() == Rules{"null-dereference@14"});
}

TEST_CASE("arithmetic on a maybe-null pointer, and a never-null pointer's null edge") {
  Run arith =
      run(ProgramType::Xdp,
          lookup_key0() +
              std::initializer_list<RawInstruction>{alu64_imm(kAdd, 0, 4), jmp_imm(kJeq, 0, 0, 1),
                                                    ldx(4, 1, 0, 0), mov64_imm(0, 1), exit_insn()},
          kMaps);
  CHECK(arith.rules() == Rules{"null-dereference@6"});
  // After the check the value is never NULL: a second test's null edge is dead code.
  Run twice = run(
      ProgramType::Xdp,
      lookup_key0() +
          std::initializer_list<RawInstruction>{jmp_imm(kJeq, 0, 0, 3), jmp_imm(kJne, 0, 0, 1),
                                                ldx(8, 1, 10, -64), mov64_imm(0, 1), exit_insn()},
      kMaps);
  CHECK(twice.rules() == Rules{});
  CHECK_FALSE(twice.result.before[8].has_value());
}

TEST_CASE("NULL on one path and the pointer on the other join to a maybe-null pointer") {
  // if (r0 == 0) goto join; r7 = *(u64 *)r0; join: if (r0 == 0) goto out; r1 = *(u64 *)r0
  Run r = run(ProgramType::Xdp,
              lookup_key0() +
                  std::initializer_list<RawInstruction>{jmp_imm(kJeq, 0, 0, 1), ldx(8, 7, 0, 0),
                                                        jmp_imm(kJeq, 0, 0, 1), ldx(8, 1, 0, 0),
                                                        mov64_imm(0, 2), exit_insn()},
              kMaps);
  CHECK(r.rules() == Rules{});
  CHECK(r.at(8).reg(0).type == RegType::MapValue);
  CHECK(r.at(8).reg(0).maybe_null);
  // Without the second test the joined pointer may be NULL.
  Run bad =
      run(ProgramType::Xdp,
          lookup_key0() + std::initializer_list<RawInstruction>{jmp_imm(kJeq, 0, 0, 1),
                                                                ldx(8, 7, 0, 0), ldx(8, 1, 0, 0),
                                                                mov64_imm(0, 2), exit_insn()},
          kMaps);
  CHECK(bad.rules() == Rules{"null-dereference@8"});
}
