// Kernel-backed checks of helper argument kinds: the verifier's first complaint when the
// arguments are zeros (or the context), and its silence when each argument gets a value of the
// kind the table claims (maps of the claimed type, stack memory, sizes).
#include "kernel_loader.h"

#include <bpf/bpf.h>
#include <doctest/doctest.h>
#include <unistd.h>

#include <map>
#include <sstream>

using namespace bpfcheck::platform;
using namespace platform_test;

namespace {

// The kernel's "expected=" list for an argument that refused the value it was given, reduced
// to the start of the list, which is distinct per argument kind.
std::string_view expected_list(ArgKind kind) {
  switch (kind) {
  case ArgKind::ConstMapPtr:
    return "map_ptr";
  case ArgKind::PtrToCtx:
    return "ctx";
  case ArgKind::PtrToMem:
  case ArgKind::PtrToMapKey:
  case ArgKind::PtrToMapValue:
  case ArgKind::PtrToUninitMapValue:
  case ArgKind::PtrToLong:
  case ArgKind::PtrToInt:
    return "fp, pkt, pkt_meta, map_key, map_value, mem";
  case ArgKind::PtrToSockCommon:
    return "sock_common, sock, tcp_sock, xdp_sock";
  case ArgKind::PtrToBtfIdSockCommon:
    return "sock_common, sock, tcp_sock, xdp_sock, ptr_";
  case ArgKind::PtrToBtfId:
    return "ptr_, trusted_ptr_";
  case ArgKind::PtrToConstStr:
  case ArgKind::PtrToTimer:
    return "map_value";
  case ArgKind::PtrToSpinLock:
  case ArgKind::PtrToKptr:
    return "map_value, ptr_";
  case ArgKind::PtrToDynptr:
    return "fp, dynptr_ptr";
  case ArgKind::PtrToRingbufMem:
    return "ringbuf_mem";
  case ArgKind::PtrToPercpuBtfId:
    return "percpu_ptr_";
  case ArgKind::PtrToFunc:
    return "func";
  default:
    return "";
  }
}

// Which register the verifier should complain about first when r1 holds the context (or 0)
// and r2..r5 hold 0, and what it should say it expected; 0 when every argument is satisfied.
std::pair<int, std::string_view> first_refused_argument(const HelperPrototype &helper,
                                                        bool r1_is_ctx) {
  for (std::size_t i = 0; i < helper.args.size(); ++i) {
    const Arg &arg = helper.args[i];
    const bool ctx = i == 0 && r1_is_ctx;
    switch (arg.kind) {
    case ArgKind::None:
      return {0, ""};
    case ArgKind::Anything:
      continue;
    case ArgKind::ConstSizeOrZero:
    case ArgKind::ConstAllocSizeOrZero:
      if (!ctx)
        continue;
      return {static_cast<int>(i + 1), ""};
    case ArgKind::ConstSize: // zero is refused, and so is a pointer
      return {static_cast<int>(i + 1), ""};
    default:
      if (ctx ? arg.kind == ArgKind::PtrToCtx : (arg.flags & kMaybeNull) != 0)
        continue;
      return {static_cast<int>(i + 1), expected_list(arg.kind)};
    }
  }
  return {0, ""};
}

} // namespace

TEST_CASE("platform/kernel: helper argument kinds agree with the verifier's complaints") {
  if (!kernel_available())
    return;
  int probes = 0, mismatches = 0;
  std::ostringstream report;
  // Every permitted (program type, helper) pair: some prototypes differ by program type.
  for (const Target &target : targets()) {
    for (const HelperPrototype *any_type : all_helpers()) {
      if (!helper_allowed(target.type, any_type->id, target.attach).allowed)
        continue;
      const HelperPrototype *helper = find_helper(any_type->id, target.type);
      if ((helper->flags & kMightSleep) != 0)
        continue;
      for (bool r1_is_ctx : {false, true}) {
        std::vector<bpf_insn> program;
        for (std::uint8_t reg = r1_is_ctx ? 2 : 1; reg <= 5; ++reg)
          program.push_back(mov_imm(reg, 0));
        program.push_back(insn(BPF_JMP | BPF_CALL, 0, 0, 0, static_cast<std::int32_t>(helper->id)));
        program.push_back(mov_imm(0, 0));
        program.push_back(exit_insn());
        const std::string log = load(target, program).log;
        // The verifier's first complaint after the call line names the register.
        int kernel_reg = 0;
        std::string kernel_expected;
        if (auto call = log.find("call bpf_"); call != std::string::npos) {
          const auto line_start = log.find('\n', call) + 1;
          const std::string line = log.substr(line_start, log.find('\n', line_start) - line_start);
          if (line.size() > 1 && line[0] == 'R' && line[1] >= '1' && line[1] <= '5')
            kernel_reg = line[1] - '0';
          if (auto at = line.find("expected="); at != std::string::npos)
            kernel_expected = line.substr(at + 9);
        }
        const auto [reg, expected] = first_refused_argument(*helper, r1_is_ctx);
        ++probes;
        const bool same_reg = reg == kernel_reg;
        const bool same_kind = expected.empty() || kernel_expected.rfind(expected, 0) == 0;
        if (!same_reg || !same_kind) {
          ++mismatches;
          report << "  " << target.name << " " << helper->name
                 << (r1_is_ctx ? " (r1=ctx)" : " (r1=0)") << ": table R" << reg << " " << expected
                 << ", kernel R" << kernel_reg << " " << kernel_expected << "\n";
        }
      }
    }
  }
  MESSAGE("argument probes: " << probes << ", mismatches: " << mismatches << "\n" << report.str());
  CHECK(mismatches == 0);
}

namespace {

// One map per type, created on first use; -1 when the type cannot be made without BTF.
int map_fd(MapType type) {
  static std::map<MapType, int> cache;
  if (auto found = cache.find(type); found != cache.end())
    return found->second;
  std::uint32_t key = 4, value = 8, entries = 4;
  switch (type) {
  case MapType::ProgArray:
  case MapType::PerfEventArray:
  case MapType::CgroupArray:
  case MapType::Devmap:
  case MapType::Sockmap:
  case MapType::Sockhash:
  case MapType::Cpumap:
  case MapType::Xskmap:
    value = 4;
    break;
  case MapType::Queue:
  case MapType::Stack:
  case MapType::BloomFilter:
    key = 0;
    break;
  case MapType::Ringbuf:
  case MapType::UserRingbuf:
    key = value = 0;
    entries = 4096;
    break;
  case MapType::CgroupStorage:
  case MapType::PercpuCgroupStorage:
    key = 8;
    entries = 0;
    break;
  default:
    break;
  }
  const int fd =
      bpf_map_create(static_cast<bpf_map_type>(type), nullptr, key, value, entries, nullptr);
  cache[type] = fd;
  return fd;
}

MapType first_map_type(MapTypeMask mask) {
  for (unsigned bit = 1; bit < 64; ++bit)
    if (mask >> bit & 1)
      return static_cast<MapType>(bit);
  return MapType::Hash;
}

constexpr std::uint8_t kCtxReg = 6;
constexpr std::int16_t kStackBytes = 64;

// Instructions that put a value of `arg`'s kind into `reg`; false when no simple value exists
// (BTF objects, callbacks, dynptrs, timers, read-only strings).
bool set_argument(const HelperPrototype &helper, const Arg &arg, std::uint8_t reg,
                  std::vector<bpf_insn> &out) {
  if (arg.flags & kMaybeNull) {
    out.push_back(mov_imm(reg, 0));
    return true;
  }
  switch (arg.kind) {
  case ArgKind::Anything:
    out.push_back(mov_imm(reg, 0));
    return true;
  case ArgKind::ConstSize:
  case ArgKind::ConstSizeOrZero:
  case ArgKind::ConstAllocSizeOrZero: {
    // NULL memory (a nullable pointer we passed as 0) is accepted only with a zero size.
    const Arg &previous = helper.args[reg >= 2 ? reg - 2 : 0];
    const bool after_null =
        reg >= 2 && previous.kind == ArgKind::PtrToMem && (previous.flags & kMaybeNull) != 0;
    out.push_back(mov_imm(reg, after_null ? 0 : 8));
    return true;
  }
  case ArgKind::PtrToCtx:
    out.push_back(mov_reg(reg, kCtxReg));
    return true;
  case ArgKind::PtrToMem:
  case ArgKind::PtrToMapKey:
  case ArgKind::PtrToMapValue:
  case ArgKind::PtrToUninitMapValue:
  case ArgKind::PtrToLong:
  case ArgKind::PtrToInt:
    out.push_back(mov_reg(reg, BPF_REG_10));
    out.push_back(insn(BPF_ALU64 | BPF_ADD | BPF_K, reg, 0, 0, -kStackBytes));
    return true;
  case ArgKind::ConstMapPtr: {
    const int fd = map_fd(first_map_type(helper.map_types));
    if (fd < 0)
      return false;
    out.push_back(insn(BPF_LD | BPF_DW | BPF_IMM, reg, BPF_PSEUDO_MAP_FD, 0, fd));
    out.push_back(insn(0, 0, 0, 0, 0));
    return true;
  }
  default:
    return false;
  }
}

// How the verifier prints r0 after a call returning `kind` (reg_type_str); empty: not checked.
std::string_view printed_return(RetKind kind) {
  switch (kind) {
  case RetKind::Integer:
    return "scalar";
  case RetKind::PtrToMapValueOrNull:
    return "map_value_or_null";
  case RetKind::PtrToMapValue:
    return "map_value(";
  case RetKind::PtrToSocketOrNull:
    return "sock_or_null";
  case RetKind::PtrToTcpSockOrNull:
    return "tcp_sock_or_null";
  case RetKind::PtrToSockCommonOrNull:
    return "sock_common_or_null";
  case RetKind::PtrToAllocMemOrNull:
    return "ringbuf_mem_or_null";
  case RetKind::PtrToBtfIdOrNull:
    return "ptr_or_null_";
  case RetKind::PtrToBtfId:
    return "trusted_ptr_";
  default:
    return "";
  }
}

// r0's printed type after the call, e.g. "map_value_or_null(id=1,...)": on the call's state
// line, or (after precision marking) on a state line of its own before the next instruction.
std::string r0_after_call(const std::string &log) {
  const auto call = log.find(": (85) call bpf_");
  if (call == std::string::npos)
    return "";
  const auto next = log.find(": (b7) r0 = 0", call);
  const std::string after = log.substr(call, next == std::string::npos ? next : next - call);
  for (const char *label : {"R0=", "R0_w="}) {
    if (const auto at = after.find(label); at != std::string::npos)
      return after.substr(at + std::string_view(label).size(),
                          after.find_first_of(" \n", at) - at - std::string_view(label).size());
  }
  return "";
}

} // namespace

TEST_CASE("platform/kernel: arguments of the claimed kinds satisfy the verifier") {
  if (!kernel_available())
    return;
  int probes = 0, skipped = 0, mismatches = 0, return_probes = 0, return_mismatches = 0;
  std::ostringstream report;
  for (const Target &target : targets()) {
    for (const HelperPrototype *any_type : all_helpers()) {
      if (!helper_allowed(target.type, any_type->id, target.attach).allowed)
        continue;
      const HelperPrototype &helper = *find_helper(any_type->id, target.type);
      if (helper.flags & kMightSleep)
        continue;
      std::vector<bpf_insn> program = {mov_reg(kCtxReg, 1)};
      for (std::int16_t off = 8; off <= kStackBytes; off += 8)
        program.push_back(insn(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -off, 0));
      bool ok = true;
      for (std::size_t i = 0; ok && i < helper.args.size() && helper.args[i].kind != ArgKind::None;
           ++i)
        ok = set_argument(helper, helper.args[i], static_cast<std::uint8_t>(i + 1), program);
      if (!ok) {
        ++skipped;
        continue;
      }
      program.push_back(insn(BPF_JMP | BPF_CALL, 0, 0, 0, static_cast<std::int32_t>(helper.id)));
      program.push_back(mov_imm(0, 0));
      program.push_back(exit_insn());
      const std::string log = load(target, program, "GPL", 2).log;
      ++probes;
      if (const std::string_view want = printed_return(helper.ret); !want.empty()) {
        const std::string r0 = r0_after_call(log);
        // No r0 printed (a refused call, tail_call, inlined get_func_ip): nothing to compare.
        return_probes += r0.empty() ? 0 : 1;
        if (!r0.empty() && r0.rfind(want, 0) != 0) {
          ++return_mismatches;
          report << "  " << target.name << " " << helper.name << ": r0 = " << r0 << ", table "
                 << want << "\n";
        }
      }
      // A complaint right after the call line names an argument register or the map type.
      const auto call = log.find(": (85) call bpf_");
      if (call == std::string::npos)
        continue;
      const auto start = log.find('\n', call) + 1;
      const std::string line = log.substr(start, log.find('\n', start) - start);
      const bool about_argument =
          (line.size() > 1 && line[0] == 'R' && line[1] >= '1' && line[1] <= '5') ||
          line.find("cannot pass map_type") != std::string::npos;
      if (about_argument) {
        ++mismatches;
        report << "  " << target.name << " " << helper.name << ": " << line << "\n";
      }
    }
  }
  MESSAGE("satisfied-argument probes: " << probes << " (skipped " << skipped
                                        << " needing BTF objects or callbacks), mismatches: "
                                        << mismatches << "; return kinds checked: " << return_probes
                                        << ", mismatches: " << return_mismatches << "\n"
                                        << report.str());
  CHECK(mismatches == 0);
  CHECK(return_mismatches == 0);
}
