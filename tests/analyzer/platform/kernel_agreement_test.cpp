// Kernel-backed agreement: small programs are loaded into the running kernel with BPF_PROG_LOAD
// and its verdicts compared with the tables (helper permissions, context accesses, return
// ranges). Skipped, with the reason printed, unless root on a kernel with BTF.
#include "kernel_loader.h"

#include <doctest/doctest.h>
#include <linux/bpf.h>

#include <sstream>
#include <string>
#include <vector>

using namespace bpfcheck::platform;
using bpfcheck::ProgramType;
using enum ProgramType;
using namespace platform_test;

TEST_CASE("platform/kernel: helper permissions agree with the running kernel") {
  if (!kernel_available())
    return;
  int pairs = 0, mismatches = 0;
  std::ostringstream report;
  for (const Target &target : targets()) {
    for (const HelperPrototype *helper : all_helpers()) {
      // `call helper; r0 = 0; exit`: arguments are left as the kernel finds them, so a
      // permitted helper fails (if at all) on its arguments, never on permission.
      const LoadResult result =
          load(target, {insn(BPF_JMP | BPF_CALL, 0, 0, 0, static_cast<std::int32_t>(helper->id)),
                        mov_imm(0, 0), exit_insn()});
      const bool refused = result.log.find("cannot use helper") != std::string::npos ||
                           result.log.find("unknown func") != std::string::npos;
      const bool table = helper_allowed(target.type, helper->id, target.attach).allowed;
      ++pairs;
      if (table == refused) {
        ++mismatches;
        report << "  " << target.name << " " << helper->name << ": kernel "
               << (refused ? "refuses" : "allows") << "\n";
      }
    }
  }
  MESSAGE("helper permission pairs: " << pairs << ", mismatches: " << mismatches << "\n"
                                      << report.str());
  CHECK(mismatches == 0);
}

TEST_CASE("platform/kernel: GPL-only and might-sleep flags agree with the running kernel") {
  if (!kernel_available())
    return;
  int helpers = 0, mismatches = 0;
  std::ostringstream report;
  for (const HelperPrototype *helper : all_helpers()) {
    // The first program type that may call the helper: the kernel checks the license and
    // sleepability only after handing out the prototype.
    const Target *target = nullptr;
    for (const Target &candidate : targets())
      if (target == nullptr && helper_allowed(candidate.type, helper->id, candidate.attach).allowed)
        target = &candidate;
    if (target == nullptr)
      continue; // syscall/iterator/LSM-only helpers: no program type of these tables
    const std::vector<bpf_insn> program = {
        insn(BPF_JMP | BPF_CALL, 0, 0, 0, static_cast<std::int32_t>(helper->id)), mov_imm(0, 0),
        exit_insn()};
    const bool sleeps = load(*target, program).log.find("might sleep") != std::string::npos;
    const bool gpl =
        load(*target, program, "Proprietary").log.find("GPL-restricted") != std::string::npos;
    ++helpers;
    if (sleeps != ((helper->flags & kMightSleep) != 0) ||
        gpl != ((helper->flags & kGplOnly) != 0)) {
      ++mismatches;
      report << "  " << helper->name << " (as " << target->name << "): kernel "
             << (gpl ? "gpl-only" : "any licence") << (sleeps ? ", might sleep" : "") << "\n";
    }
  }
  MESSAGE("helpers checked for flags: " << helpers << ", mismatches: " << mismatches << "\n"
                                        << report.str());
  CHECK(mismatches == 0);
}

TEST_CASE("platform/kernel: context accesses agree with the running kernel") {
  if (!kernel_available())
    return;
  int accesses = 0, mismatches = 0;
  std::ostringstream report;
  for (const Target &target : targets()) {
    const ContextLayout *layout = context_layout(target.type);
    if (layout == nullptr)
      continue;
    for (std::int64_t offset = -8; offset < layout->size + 8; ++offset) {
      // Tracepoint records are 8 KiB of identical rules: the edges suffice. Negative offsets
      // there are a deliberate difference (the kernel compares them as unsigned and accepts).
      if (target.type == Tracepoint && (offset < 0 || (offset > 64 && offset < layout->size - 16)))
        continue;
      for (int size : {1, 2, 4, 8}) {
        for (bool write : {false, true}) {
          std::vector<bpf_insn> program;
          const auto off = static_cast<std::int16_t>(offset);
          if (write) {
            program = {mov_imm(2, 0), insn(BPF_STX | BPF_MEM | size_code(size), 1, 2, off, 0),
                       mov_imm(0, 1), exit_insn()};
          } else {
            program = {insn(BPF_LDX | BPF_MEM | size_code(size), 0, 1, off, 0), mov_imm(0, 1),
                       exit_insn()};
          }
          const LoadResult result = load(target, program);
          const ContextAccess access =
              check_context_access(target.type, offset, size, write, target.attach);
          ++accesses;
          if (access.allowed != result.loaded) {
            ++mismatches;
            report << "  " << target.name << " off " << offset << " size " << size
                   << (write ? " write" : " read") << ": kernel "
                   << (result.loaded ? "allows" : "refuses");
            if (const auto *field = access.field)
              report << " (" << field->name << ")";
            report << "\n";
          }
        }
      }
    }
  }
  MESSAGE("context accesses: " << accesses << ", mismatches: " << mismatches << "\n"
                               << report.str());
  CHECK(mismatches == 0);
}

TEST_CASE("platform/kernel: enforced return ranges agree with the running kernel") {
  if (!kernel_available())
    return;
  int loads = 0, mismatches = 0;
  std::ostringstream report;
  for (const Target &target : targets()) {
    const ReturnRange range = return_range(target.type, target.attach);
    for (std::int64_t value : {range.min - 1, range.min, range.max, range.max + 1}) {
      if (value < INT32_MIN || value > INT32_MAX)
        continue;
      const LoadResult result =
          load(target, {mov_imm(0, static_cast<std::int32_t>(value)), exit_insn()});
      const bool table = !range.enforced || (value >= range.min && value <= range.max);
      ++loads;
      if (table != result.loaded) {
        ++mismatches;
        report << "  " << target.name << " returning " << value << ": kernel "
               << (result.loaded ? "allows" : "refuses") << "\n";
      }
    }
  }
  MESSAGE("return-value loads: " << loads << ", mismatches: " << mismatches << "\n"
                                 << report.str());
  CHECK(mismatches == 0);
}
