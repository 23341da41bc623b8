// A tiny in-test assembler: functions spelled like the kernel's BPF_* macros (as the kernel's
// verifier selftests write programs), and a runner that analyzes a sequence as one program.
#pragma once

#include "analyzer/analyze.h"

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace bpfcheck::test {

using Slots = std::vector<RawInstruction>;

// Opcode fields (<linux/bpf_common.h>, <linux/bpf.h>).
enum : std::uint8_t {
  kAdd = 0x00,
  kSub = 0x10,
  kMul = 0x20,
  kDiv = 0x30,
  kOr = 0x40,
  kAnd = 0x50,
  kLsh = 0x60,
  kRsh = 0x70,
  kMod = 0x90,
  kXor = 0xa0,
  kMov = 0xb0,
  kArsh = 0xc0
};
enum : std::uint8_t {
  kJeq = 0x10,
  kJgt = 0x20,
  kJge = 0x30,
  kJset = 0x40,
  kJne = 0x50,
  kJsgt = 0x60,
  kJsge = 0x70,
  kJlt = 0xa0,
  kJle = 0xb0,
  kJslt = 0xc0,
  kJsle = 0xd0
};

inline RawInstruction raw(std::uint8_t op, std::uint8_t dst, std::uint8_t src, std::int16_t off,
                          std::int32_t imm) {
  return RawInstruction{op, dst, src, off, imm};
}
inline std::uint8_t size_bits(int size) {
  return size == 1 ? 0x10 : size == 2 ? 0x08 : size == 4 ? 0x00 : 0x18;
}
inline RawInstruction alu64_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm) {
  return raw(op | 0x07, dst, 0, 0, imm);
}
inline RawInstruction alu64_reg(std::uint8_t op, std::uint8_t dst, std::uint8_t src) {
  return raw(op | 0x0f, dst, src, 0, 0);
}
inline RawInstruction alu32_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm) {
  return raw(op | 0x04, dst, 0, 0, imm);
}
inline RawInstruction alu32_reg(std::uint8_t op, std::uint8_t dst, std::uint8_t src) {
  return raw(op | 0x0c, dst, src, 0, 0);
}
inline RawInstruction mov64_imm(std::uint8_t dst, std::int32_t imm) {
  return alu64_imm(kMov, dst, imm);
}
inline RawInstruction mov64_reg(std::uint8_t dst, std::uint8_t src) {
  return alu64_reg(kMov, dst, src);
}
// dst = *(size *)(src + off)
inline RawInstruction ldx(int size, std::uint8_t dst, std::uint8_t src, std::int16_t off) {
  return raw(0x61 | size_bits(size), dst, src, off, 0);
}
// *(size *)(dst + off) = src
inline RawInstruction stx(int size, std::uint8_t dst, std::uint8_t src, std::int16_t off) {
  return raw(0x63 | size_bits(size), dst, src, off, 0);
}
inline RawInstruction st_imm(int size, std::uint8_t dst, std::int16_t off, std::int32_t imm) {
  return raw(0x62 | size_bits(size), dst, 0, off, imm);
}
// if dst <op> imm goto pc + 1 + off
inline RawInstruction jmp_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm,
                              std::int16_t off) {
  return raw(op | 0x05, dst, 0, off, imm);
}
inline RawInstruction jmp_reg(std::uint8_t op, std::uint8_t dst, std::uint8_t src,
                              std::int16_t off) {
  return raw(op | 0x0d, dst, src, off, 0);
}
inline RawInstruction jmp32_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm,
                                std::int16_t off) {
  return raw(op | 0x06, dst, 0, off, imm);
}
inline RawInstruction ja(std::int16_t off) { return raw(0x05, 0, 0, off, 0); }
inline RawInstruction call(std::int32_t helper) { return raw(0x85, 0, 0, 0, helper); }
// dst = &maps[index] (ld_imm64 with src = BPF_PSEUDO_MAP_FD): two slots, the second is ld_hi().
inline RawInstruction ld_map(std::uint8_t dst, std::int32_t index) {
  return raw(0x18, dst, 1, 0, index);
}
// dst = &maps[index] value + offset (BPF_PSEUDO_MAP_VALUE); the offset goes into ld_hi(offset).
inline RawInstruction ld_map_value(std::uint8_t dst, std::int32_t index) {
  return raw(0x18, dst, 2, 0, index);
}
inline RawInstruction ld_hi(std::int32_t imm = 0) { return raw(0, 0, 0, 0, imm); }
inline RawInstruction exit_insn() { return raw(0x95, 0, 0, 0, 0); }

struct Run {
  analyzer::AnalysisResult result;
  // The state before slot `pc` (fails the test when unreachable).
  const analyzer::State &at(std::uint32_t pc) const {
    REQUIRE(pc < result.before.size());
    REQUIRE(result.before[pc].has_value());
    return *result.before[pc];
  }
  // "rule@slot rule@slot ..." in slot order: one string so that doctest prints it on failure.
  std::string rules() const {
    std::string r;
    for (const Diagnostic &d : result.diagnostics)
      r += (r.empty() ? "" : " ") + d.rule + "@" + std::to_string(d.instruction);
    return r;
  }
};

inline MapDescriptor map_of(std::uint32_t type, std::uint32_t key_size, std::uint32_t value_size,
                            std::string name = "m") {
  MapDescriptor m;
  m.name = std::move(name);
  m.type = type;
  m.key_size = key_size;
  m.value_size = value_size;
  m.max_entries = 16;
  return m;
}

inline Run run(ProgramType type, std::vector<RawInstruction> slots,
               std::vector<MapDescriptor> maps = {}, std::string license = "GPL") {
  Program p;
  p.name = "test";
  p.type = type;
  p.license = std::move(license);
  p.instructions = std::move(slots);
  p.maps = std::move(maps);
  auto r = analyzer::analyze(p, {.keep_invariants = true});
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error()));
  return Run{std::move(r.value())};
}

inline Run run(ProgramType type, std::initializer_list<RawInstruction> slots,
               std::vector<MapDescriptor> maps = {}, std::string license = "GPL") {
  return run(type, Slots(slots), std::move(maps), std::move(license));
}

inline Slots operator+(Slots a, std::initializer_list<RawInstruction> b) {
  a.insert(a.end(), b);
  return a;
}

// *(u32 *)(fp - 4) = 0; r1 = &maps[map]; r2 = fp - 4; r0 = bpf_map_lookup_elem(r1, r2): six
// slots, so the code after it starts at slot 6.
inline Slots lookup_key0(std::int32_t map = 0) {
  return {st_imm(4, 10, -4, 0), ld_map(1, map),         ld_hi(),
          mov64_reg(2, 10),     alu64_imm(0x00, 2, -4), call(1)};
}

using Rules = std::string;

} // namespace bpfcheck::test
