// Loading small programs into the running kernel for the platform agreement tests: the program
// types (with attach types) compared, and BPF_PROG_LOAD through libbpf with the verifier log.
#pragma once

#include "platform.h"

#include <linux/bpf.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace platform_test {

using bpfcheck::ProgramType;

struct Target {
  ProgramType type;
  std::optional<std::uint32_t> attach;
  const char *name;
};

std::span<const Target> targets();
// False (with a doctest MESSAGE saying why) unless root on a kernel with BTF.
bool kernel_available();

struct LoadResult {
  bool loaded = false;
  std::string log;
};
// log_level 2 also prints the register state after every instruction.
LoadResult load(const Target &target, const std::vector<bpf_insn> &insns,
                const char *license = "GPL", int log_level = 1);

bpf_insn insn(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int16_t off,
              std::int32_t imm);
bpf_insn mov_imm(std::uint8_t dst, std::int32_t imm);
bpf_insn mov_reg(std::uint8_t dst, std::uint8_t src);
bpf_insn exit_insn();
std::uint8_t size_code(int size);

} // namespace platform_test
