// Acquired references: ring buffer records must be submitted or discarded and looked-up sockets
// released on every path; a release of a reference not surely held is an argument error; the
// null edge of the acquiring call holds nothing.
#include "asm.h"

#include "analyzer/state.h"

using namespace bpfcheck;
using namespace bpfcheck::test;
using analyzer::RegType;

namespace {

const std::vector<MapDescriptor> kRingbuf{map_of(27, 0, 0, "events")};

// r0 = bpf_ringbuf_reserve(&events, 8, 0); if (!r0) goto out (slot 5 + 1 + skip).
Slots reserve(std::int16_t skip) {
  return {ld_map(1, 0),    ld_hi(),   mov64_imm(2, 8),
          mov64_imm(3, 0), call(131), jmp_imm(kJeq, 0, 0, skip)};
}

Rules rules_of(Slots slots) { return run(ProgramType::Kprobe, std::move(slots), kRingbuf).rules(); }

} // namespace

TEST_CASE("ring buffer records: submitted, leaked, leaked on one path, released twice") {
  // *(u64 *)r0 = 1; bpf_ringbuf_submit(r0, 0); out: return 0
  Run ok =
      run(ProgramType::Kprobe,
          reserve(4) + std::initializer_list<RawInstruction>{st_imm(8, 0, 0, 1), mov64_reg(1, 0),
                                                             mov64_imm(2, 0), call(132),
                                                             mov64_imm(0, 0), exit_insn()},
          kRingbuf);
  CHECK(ok.rules() == Rules{});
  CHECK(ok.at(6).reg(0).type == RegType::RingbufMem);
  CHECK(ok.at(6).refs().find(ok.at(6).reg(0).id) != nullptr);
  CHECK(ok.at(10).refs().empty());
  // Never submitted: the exit reached with the record held.
  Run leak = run(ProgramType::Kprobe,
                 reserve(1) + std::initializer_list<RawInstruction>{st_imm(8, 0, 0, 1),
                                                                    mov64_imm(0, 0), exit_insn()},
                 kRingbuf);
  CHECK(leak.rules() == Rules{"reference-leak@8"});
  CHECK(leak.result.diagnostics[0].message.find("bpf_ringbuf_reserve at instruction 4") !=
        std::string::npos);
  // Submitted only when a random number is odd.
  CHECK(rules_of(reserve(7) + std::initializer_list<RawInstruction>{
                                  mov64_reg(6, 0), call(7), jmp_imm(kJset, 0, 1, 3),
                                  mov64_reg(1, 6), mov64_imm(2, 0), call(133), mov64_imm(0, 0),
                                  exit_insn()}) == Rules{"reference-leak@13"});
  // Discarded, then submitted: the copy in r6 died with the discard.
  CHECK(rules_of(reserve(7) + std::initializer_list<RawInstruction>{
                                  mov64_reg(6, 0), mov64_reg(1, 6), mov64_imm(2, 0), call(133),
                                  mov64_reg(1, 6), mov64_imm(2, 0), call(132), mov64_imm(0, 0),
                                  exit_insn()}) == Rules{"helper-argument@12"});
}

TEST_CASE("a released record cannot be released again through a saved copy") {
  // The copy spilled to the stack dies with the release too: filling it gives a number.
  CHECK(rules_of(reserve(7) + std::initializer_list<RawInstruction>{
                                  stx(8, 10, 0, -8), mov64_reg(1, 0), mov64_imm(2, 0), call(133),
                                  ldx(8, 1, 10, -8), mov64_imm(2, 0), call(132), mov64_imm(0, 0),
                                  exit_insn()}) == Rules{"helper-argument@12"});
}

TEST_CASE("the record's size bounds its accesses and helper writes") {
  CHECK(
      rules_of(reserve(4) + std::initializer_list<RawInstruction>{
                                st_imm(8, 0, 4, 1), mov64_reg(1, 0), mov64_imm(2, 0), call(132),
                                mov64_imm(0, 0), exit_insn()}) == Rules{"memory-out-of-bounds@6"});
}

TEST_CASE("sockets from bpf_sk_lookup_tcp are released on every path") {
  // tuple at fp - 16 (12 bytes used); sk = bpf_sk_lookup_tcp(ctx, fp - 16, 12, -1, 0)
  Slots lookup{
      st_imm(8, 10, -16, 0), st_imm(8, 10, -8, 0), mov64_reg(2, 10), alu64_imm(kAdd, 2, -16),
      mov64_imm(3, 12),      mov64_imm(4, -1),     mov64_imm(5, 0),  call(84),
      jmp_imm(kJeq, 0, 0, 4)};
  // if (!sk) goto out; r6 = sk->state; bpf_sk_release(sk); out: return 0
  Run ok = run(ProgramType::SchedCls, lookup + std::initializer_list<RawInstruction>{
                                                   ldx(4, 6, 0, 72), mov64_reg(1, 0), call(86),
                                                   mov64_imm(0, 0), mov64_imm(0, 0), exit_insn()});
  CHECK(ok.rules() == Rules{});
  Run leak = run(ProgramType::SchedCls,
                 lookup + std::initializer_list<RawInstruction>{ldx(4, 6, 0, 72), mov64_imm(0, 0),
                                                                mov64_imm(0, 0), mov64_imm(0, 0),
                                                                mov64_imm(0, 0), exit_insn()});
  CHECK(leak.rules() == Rules{"reference-leak@14"});
  // The socket read before the null test.
  Run unchecked =
      run(ProgramType::SchedCls,
          Slots(lookup.begin(), lookup.end() - 1) +
              std::initializer_list<RawInstruction>{ldx(4, 6, 0, 72), mov64_reg(1, 0), call(86),
                                                    mov64_imm(0, 0), exit_insn()});
  CHECK(unchecked.rules() == Rules{"null-dereference@8"});
}

TEST_CASE("a record from one of two reservations is released through the joined pointer") {
  // r6 = reserve(); if (!r6) { r6 = reserve(); if (!r6) return 0; } submit(r6); return 0
  Slots slots{ld_map(1, 0),
              ld_hi(),
              mov64_imm(2, 8),
              mov64_imm(3, 0),
              call(131),
              mov64_reg(6, 0),
              jmp_imm(kJne, 6, 0, 7),
              ld_map(1, 0),
              ld_hi(),
              mov64_imm(2, 8),
              mov64_imm(3, 0),
              call(131),
              mov64_reg(6, 0),
              jmp_imm(kJeq, 6, 0, 4),
              mov64_reg(1, 6),
              mov64_imm(2, 0),
              call(132),
              mov64_imm(0, 0),
              exit_insn()};
  CHECK(rules_of(slots) == Rules{});
}
