// Helper calls: permission, argument kinds (maps, keys, memory with sizes, context, strings),
// stack bytes a helper writes, packet pointers killed by helpers that move the packet, and the
// context and return rules of the platform tables. Each rule has a failing case and a safe twin.
#include "asm.h"

#include "analyzer/rule_ids.h"
#include "analyzer/state.h"

#include <set>

using namespace bpfcheck;
using namespace bpfcheck::test;
using analyzer::RegType;
using analyzer::Scalar64;

namespace {

constexpr std::uint32_t kHash = 1, kArray = 2, kProgArray = 3, kPerfArray = 4, kRingbuf = 27;

Run lookup_then(ProgramType type, std::initializer_list<RawInstruction> tail,
                std::vector<MapDescriptor> maps) {
  return run(type, lookup_key0() + tail, std::move(maps));
}

} // namespace

TEST_CASE("map lookup: the value after a null check, and without one") {
  std::vector<MapDescriptor> maps{map_of(kArray, 4, 8)};
  Run ok =
      lookup_then(ProgramType::Xdp,
                  {jmp_imm(kJeq, 0, 0, 1), ldx(8, 1, 0, 0), mov64_imm(0, 2), exit_insn()}, maps);
  CHECK(ok.rules() == Rules{});
  CHECK(ok.at(6).reg(0).type == RegType::MapValue);
  CHECK(ok.at(6).reg(0).maybe_null);
  CHECK_FALSE(ok.at(7).reg(0).maybe_null);
  Run bad = lookup_then(ProgramType::Xdp, {ldx(8, 1, 0, 0), mov64_imm(0, 2), exit_insn()}, maps);
  CHECK(bad.rules() == Rules{"null-dereference@6"});
  // A value access past the value's 8 bytes.
  Run past =
      lookup_then(ProgramType::Xdp,
                  {jmp_imm(kJeq, 0, 0, 1), ldx(8, 1, 0, 4), mov64_imm(0, 2), exit_insn()}, maps);
  CHECK(past.rules() == Rules{"map-value-out-of-bounds@7"});
}

TEST_CASE("map key: initialized and inside the stack") {
  std::vector<MapDescriptor> maps{map_of(kHash, 8, 8)};
  // The key is 8 bytes but only 4 are written.
  Run r = run(ProgramType::Xdp,
              {st_imm(4, 10, -8, 0), ld_map(1, 0), ld_hi(), mov64_reg(2, 10),
               alu64_imm(kAdd, 2, -8), call(1), mov64_imm(0, 2), exit_insn()},
              maps);
  CHECK(r.rules() == Rules{"uninitialized-stack-read@5"});
  CHECK(r.result.diagnostics[0].message.find("bpf_map_lookup_elem argument 2") !=
        std::string::npos);
  CHECK(r.result.diagnostics[0].registers.at(0).name == "r2");
  CHECK(run(ProgramType::Xdp,
            {st_imm(8, 10, -8, 0), ld_map(1, 0), ld_hi(), mov64_reg(2, 10), alu64_imm(kAdd, 2, -8),
             call(1), mov64_imm(0, 2), exit_insn()},
            maps)
            .rules() == Rules{});
  // A 4-byte key at fp - 2 leaves the frame.
  CHECK(run(ProgramType::Xdp,
            {ld_map(1, 0), ld_hi(), mov64_reg(2, 10), alu64_imm(kAdd, 2, -2), call(1),
             mov64_imm(0, 0), exit_insn()},
            {map_of(kHash, 4, 8)})
            .rules() == Rules{"helper-argument@4"});
}

TEST_CASE("map arguments must be maps of the prototype's types") {
  // bpf_tail_call(ctx, map, 0) through a PROG_ARRAY, and through a HASH.
  auto tail_call = [](std::uint32_t type) {
    return run(ProgramType::Xdp,
               {ld_map(2, 0), ld_hi(), mov64_imm(3, 0), call(12), mov64_imm(0, 2), exit_insn()},
               {map_of(type, 4, 4)})
        .rules();
  };
  CHECK(tail_call(kProgArray) == Rules{});
  CHECK(tail_call(kHash) == Rules{"helper-argument@3"});
  // A PROG_ARRAY is no map for lookups; a scalar is no map at all.
  CHECK(lookup_then(ProgramType::Xdp, {mov64_imm(0, 2), exit_insn()}, {map_of(kProgArray, 4, 4)})
            .rules() == Rules{"helper-argument@5"});
  CHECK(run(ProgramType::Xdp, {mov64_imm(1, 0), mov64_reg(2, 10), alu64_imm(kAdd, 2, -8),
                               st_imm(8, 10, -8, 0), call(1), mov64_imm(0, 0), exit_insn()})
            .rules() == Rules{"helper-argument@4"});
}

TEST_CASE("unknown helpers, helpers of other program types, GPL-only helpers") {
  CHECK(run(ProgramType::Xdp, {call(999), exit_insn()}).rules() == Rules{"unknown-helper@0"});
  // bpf_xdp_adjust_head is for XDP programs.
  std::initializer_list<RawInstruction> adjust{mov64_imm(2, 0), call(44), mov64_imm(0, 0),
                                               exit_insn()};
  CHECK(run(ProgramType::SchedCls, adjust).rules() == Rules{"helper-not-allowed@1"});
  CHECK(run(ProgramType::Xdp, adjust).rules() == Rules{});
  // bpf_probe_read_kernel is GPL-only.
  std::initializer_list<RawInstruction> probe{mov64_reg(1, 10), alu64_imm(kAdd, 1, -8),
                                              mov64_imm(2, 8),  mov64_imm(3, 0),
                                              call(113),        exit_insn()};
  CHECK(run(ProgramType::Kprobe, probe).rules() == Rules{});
  Run proprietary = run(ProgramType::Kprobe, probe, {}, "Proprietary");
  CHECK(proprietary.rules() == Rules{"helper-not-allowed@4"});
  CHECK(proprietary.result.diagnostics[0].message.find("GPL") != std::string::npos);
}

TEST_CASE("memory and size arguments: bounds, sign, and bytes the helper writes") {
  // bpf_probe_read_kernel(fp - 16, size, src); then read fp - 16, which the helper wrote.
  auto probe = [](std::initializer_list<RawInstruction> size) {
    Slots slots = Slots{mov64_reg(1, 10), alu64_imm(kAdd, 1, -16)} + size +
                  std::initializer_list<RawInstruction>{mov64_imm(3, 0), call(113),
                                                        ldx(8, 0, 10, -16), exit_insn()};
    return run(ProgramType::Kprobe, slots).rules();
  };
  CHECK(probe({mov64_imm(2, 16)}) == Rules{});
  CHECK(probe({mov64_imm(2, 17)}) == Rules{"helper-argument@4"});
  CHECK(probe({mov64_imm(2, -1)}) == Rules{"helper-argument@4"});
  // A random size masked to [0, 15] fits, but only the bytes surely written are initialized:
  // fp - 16 may stay unwritten.
  CHECK(probe({call(7), alu64_imm(kAnd, 0, 15), mov64_reg(2, 0), mov64_reg(1, 10),
               alu64_imm(kAdd, 1, -16)}) == Rules{"uninitialized-stack-read@9"});
  CHECK(probe({call(7), alu64_imm(kAnd, 0, 31), mov64_reg(2, 0), mov64_reg(1, 10),
               alu64_imm(kAdd, 1, -16)}) == Rules{"helper-argument@8"});
  CHECK(probe({call(7), mov64_reg(2, 0), mov64_reg(1, 10), alu64_imm(kAdd, 1, -16)}) ==
        Rules{"helper-argument@7"});
}

TEST_CASE("perf_event_output takes a perf event array, not a ring buffer") {
  auto output = [](std::uint32_t type) {
    return run(ProgramType::Kprobe,
               {st_imm(8, 10, -8, 7), ld_map(2, 0), ld_hi(), mov64_imm(3, 0), mov64_reg(4, 10),
                alu64_imm(kAdd, 4, -8), mov64_imm(5, 8), call(25), mov64_imm(0, 0), exit_insn()},
               {map_of(type, 4, 4)})
        .rules();
  };
  CHECK(output(kPerfArray) == Rules{});
  CHECK(output(kRingbuf) == Rules{"helper-argument@7"});
}

TEST_CASE("constant strings must be NUL-terminated in a read-only map") {
  MapDescriptor rodata = map_of(kArray, 4, 4, ".rodata");
  rodata.origin = MapOrigin::Rodata;
  rodata.initial_data = {'a', 'b', 0, 0};
  MapDescriptor unterminated = rodata;
  unterminated.initial_data = {'a', 'b', 'c', 'd'};
  MapDescriptor data = rodata;
  data.origin = MapOrigin::Data;
  // bpf_strncmp(fp - 8, 4, &rodata)
  auto strncmp = [](MapDescriptor m) {
    return run(ProgramType::Xdp,
               {st_imm(8, 10, -8, 0), mov64_reg(1, 10), alu64_imm(kAdd, 1, -8), mov64_imm(2, 4),
                ld_map_value(3, 0), ld_hi(), call(182), mov64_imm(0, 2), exit_insn()},
               {std::move(m)})
        .rules();
  };
  CHECK(strncmp(rodata) == Rules{});
  CHECK(strncmp(unterminated) == Rules{"helper-argument@6"});
  CHECK(strncmp(data) == Rules{"helper-argument@6"});
}

TEST_CASE("helpers that move the packet invalidate every packet pointer") {
  // r7 = data checked for 4 bytes; call `helper`(ctx, 0); read through r7.
  auto after = [](std::int32_t helper) {
    return run(ProgramType::SchedCls,
               {mov64_reg(6, 1), ldx(4, 7, 1, 76), ldx(4, 3, 1, 80), mov64_reg(4, 7),
                alu64_imm(kAdd, 4, 4), jmp_reg(kJgt, 4, 3, 7), stx(8, 10, 7, -8), mov64_reg(1, 6),
                mov64_imm(2, 0), call(helper), ldx(4, 0, 7, 0), mov64_imm(0, 0), exit_insn(),
                mov64_imm(0, 0), exit_insn()});
  };
  CHECK(after(48).rules() == Rules{}); // bpf_set_hash keeps the packet
  Run pulled = after(39);              // bpf_skb_pull_data may move it
  CHECK(pulled.rules() == Rules{"invalid-memory-access@10"});
  CHECK(pulled.at(10).reg(7).type == RegType::Scalar);
  // The spilled copy is dead too.
  CHECK(pulled.at(10).stack().spill_at(-8)->type == RegType::Scalar);
}

TEST_CASE("context access through the platform's layouts") {
  CHECK(run(ProgramType::SchedCls, {ldx(4, 0, 1, 8), exit_insn()}).rules() == Rules{});
  CHECK(run(ProgramType::SchedCls, {mov64_imm(2, 1), stx(4, 1, 2, 8), mov64_imm(0, 0), exit_insn()})
            .rules() == Rules{});
  // Socket filters may write cb[] only; and nobody stores immediates into the context.
  CHECK(run(ProgramType::SocketFilter,
            {mov64_imm(2, 1), stx(4, 1, 2, 32), mov64_imm(0, 0), exit_insn()})
            .rules() == Rules{"context-access@1"});
  CHECK(run(ProgramType::SocketFilter,
            {mov64_imm(2, 1), stx(4, 1, 2, 48), mov64_imm(0, 0), exit_insn()})
            .rules() == Rules{});
  CHECK(run(ProgramType::SchedCls, {st_imm(4, 1, 8, 1), mov64_imm(0, 0), exit_insn()}).rules() ==
        Rules{"context-access@0"});
  // Tracing contexts are raw: pt_regs reads of any naturally aligned word.
  CHECK(run(ProgramType::Kprobe, {ldx(8, 0, 1, 8), exit_insn()}).rules() == Rules{});
}

TEST_CASE("return values: enforced ranges reject, documented ones do not") {
  CHECK(run(ProgramType::CgroupSkb, {mov64_imm(0, 5), exit_insn()}).rules() ==
        Rules{"bad-return-value@1"});
  CHECK(run(ProgramType::Xdp, {mov64_imm(0, 7), exit_insn()}).rules() == Rules{});
}

TEST_CASE("every rule id is listed once") {
  std::set<std::string_view> ids(analyzer::rule::all_rule_ids().begin(),
                                 analyzer::rule::all_rule_ids().end());
  CHECK(ids.size() == analyzer::rule::all_rule_ids().size());
  CHECK(ids.count("helper-argument") == 1);
}

TEST_CASE("atomic operations: map values after the null test, the stack, never the context") {
  std::vector<MapDescriptor> maps{map_of(kArray, 4, 8)};
  // lock *(u64 *)(r0 + 0) += r1
  RawInstruction add = raw(0xdb, 0, 1, 0, 0x00);
  CHECK(lookup_then(ProgramType::Xdp,
                    {jmp_imm(kJeq, 0, 0, 2), mov64_imm(1, 1), add, mov64_imm(0, 2), exit_insn()},
                    maps)
            .rules() == Rules{});
  CHECK(lookup_then(ProgramType::Xdp, {mov64_imm(1, 1), add, mov64_imm(0, 2), exit_insn()}, maps)
            .rules() == Rules{"null-dereference@7"});
  // r1 = atomic_fetch_add((u64 *)(fp - 8), r1): the stack slot must be initialized first.
  RawInstruction fetch_add = raw(0xdb, 10, 1, -8, 0x01);
  Run stack = run(ProgramType::Xdp, {st_imm(8, 10, -8, 5), mov64_imm(1, 1), fetch_add,
                                     ldx(8, 0, 10, -8), exit_insn()});
  CHECK(stack.rules() == Rules{});
  CHECK(stack.at(3).reg(1).type == RegType::Scalar);
  CHECK(run(ProgramType::Xdp, {mov64_imm(1, 1), fetch_add, mov64_imm(0, 2), exit_insn()}).rules() ==
        Rules{"uninitialized-stack-read@1"});
  CHECK(run(ProgramType::SchedCls,
            {mov64_imm(2, 1), raw(0xc3, 1, 2, 48, 0x00), mov64_imm(0, 0), exit_insn()})
            .rules() == Rules{"invalid-memory-access@1"});
}

TEST_CASE("byte reads at a variable stack offset need every byte they may read") {
  auto read = [](std::int16_t initialized_from) {
    return run(ProgramType::Xdp, {st_imm(8, 10, -8, 0), st_imm(4, 10, initialized_from, 0), call(7),
                                  alu64_imm(kAnd, 0, 7), mov64_reg(1, 10), alu64_imm(kAdd, 1, -8),
                                  alu64_reg(kAdd, 1, 0), ldx(1, 0, 1, 0), exit_insn()})
        .rules();
  };
  CHECK(read(-16) == Rules{});
  CHECK(run(ProgramType::Xdp,
            {st_imm(4, 10, -8, 0), call(7), alu64_imm(kAnd, 0, 7), mov64_reg(1, 10),
             alu64_imm(kAdd, 1, -8), alu64_reg(kAdd, 1, 0), ldx(1, 0, 1, 0), exit_insn()})
            .rules() == Rules{"uninitialized-stack-read@6"});
}

TEST_CASE("NULL memory only with a size of zero") {
  // bpf_csum_diff(NULL, n, NULL, 0, 0)
  auto csum = [](std::int32_t n) {
    return run(ProgramType::Xdp,
               {mov64_imm(1, 0), mov64_imm(2, n), mov64_imm(3, 0), mov64_imm(4, 0), mov64_imm(5, 0),
                call(28), mov64_imm(0, 2), exit_insn()})
        .rules();
  };
  CHECK(csum(0) == Rules{});
  CHECK(csum(4) == Rules{"helper-argument@5"});
}
