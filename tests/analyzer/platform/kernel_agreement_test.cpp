// Kernel-backed agreement: small programs are loaded into the running kernel with BPF_PROG_LOAD
// and its verdicts compared with the tables (helper permissions, context accesses, return
// ranges). Skipped, with the reason printed, unless root on a kernel with BTF.
#include "platform.h"

#include <bpf/bpf.h>
#include <doctest/doctest.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

using namespace bpfcheck::platform;
using bpfcheck::ProgramType;
using enum ProgramType;

namespace {

struct Target {
  ProgramType type;
  std::optional<std::uint32_t> attach;
  const char *name;
};

// Attach types are those libbpf gives each section; several hooks of one type where the
// tables depend on the attach type.
const Target kTargets[] = {
    {SocketFilter, {}, "socket_filter"},
    {Kprobe, {}, "kprobe"},
    {SchedCls, {}, "sched_cls"},
    {SchedAct, {}, "sched_act"},
    {Tracepoint, {}, "tracepoint"},
    {Xdp, {}, "xdp"},
    {PerfEvent, {}, "perf_event"},
    {CgroupSkb, BPF_CGROUP_INET_INGRESS, "cgroup_skb/ingress"},
    {CgroupSkb, BPF_CGROUP_INET_EGRESS, "cgroup_skb/egress"},
    {CgroupSock, BPF_CGROUP_INET_SOCK_CREATE, "cgroup/sock_create"},
    {CgroupSock, BPF_CGROUP_INET4_POST_BIND, "cgroup/post_bind4"},
    {LwtIn, {}, "lwt_in"},
    {LwtOut, {}, "lwt_out"},
    {LwtXmit, {}, "lwt_xmit"},
    {LwtSeg6local, {}, "lwt_seg6local"},
    {SockOps, {}, "sock_ops"},
    {SkSkb, {}, "sk_skb"},
    {CgroupDevice, {}, "cgroup/dev"},
    {SkMsg, {}, "sk_msg"},
    {RawTracepoint, {}, "raw_tracepoint"},
    {RawTracepointWritable, {}, "raw_tracepoint.w"},
    {CgroupSockAddr, BPF_CGROUP_INET4_CONNECT, "cgroup/connect4"},
    {CgroupSockAddr, BPF_CGROUP_INET6_BIND, "cgroup/bind6"},
    {CgroupSockAddr, BPF_CGROUP_UDP4_SENDMSG, "cgroup/sendmsg4"},
    {CgroupSockAddr, BPF_CGROUP_UDP6_RECVMSG, "cgroup/recvmsg6"},
    {CgroupSockAddr, BPF_CGROUP_INET4_GETPEERNAME, "cgroup/getpeername4"},
    {SkReuseport, {}, "sk_reuseport"},
    {FlowDissector, {}, "flow_dissector"},
    {CgroupSysctl, {}, "cgroup/sysctl"},
    {CgroupSockopt, BPF_CGROUP_GETSOCKOPT, "cgroup/getsockopt"},
    {CgroupSockopt, BPF_CGROUP_SETSOCKOPT, "cgroup/setsockopt"},
    {SkLookup, BPF_SK_LOOKUP, "sk_lookup"},
};

bool kernel_available() {
  if (geteuid() != 0) {
    MESSAGE("skipped: BPF_PROG_LOAD needs root");
    return false;
  }
  if (!std::filesystem::exists("/sys/kernel/btf/vmlinux")) {
    MESSAGE("skipped: /sys/kernel/btf/vmlinux absent");
    return false;
  }
  return true;
}

struct LoadResult {
  bool loaded = false;
  std::string log;
};

LoadResult load(const Target &target, const std::vector<bpf_insn> &insns,
                const char *license = "GPL") {
  static std::vector<char> log(1 << 16);
  log[0] = '\0';
  // LIBBPF_OPTS is a C macro (statement expression, compound literal): fill the struct here.
  bpf_prog_load_opts opts{};
  opts.sz = sizeof(opts);
  opts.log_level = 1;
  opts.log_size = static_cast<std::uint32_t>(log.size());
  opts.log_buf = log.data();
  if (target.attach)
    opts.expected_attach_type = static_cast<bpf_attach_type>(*target.attach);
  const int fd = bpf_prog_load(static_cast<bpf_prog_type>(target.type), "platform", license,
                               insns.data(), insns.size(), &opts);
  if (fd >= 0)
    close(fd);
  return {fd >= 0, log.data()};
}

bpf_insn insn(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int16_t off,
              std::int32_t imm) {
  bpf_insn result{};
  result.code = code;
  result.dst_reg = dst & 0xf;
  result.src_reg = src & 0xf;
  result.off = off;
  result.imm = imm;
  return result;
}

bpf_insn mov_imm(std::uint8_t dst, std::int32_t imm) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
bpf_insn exit_insn() { return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

std::uint8_t size_code(int size) {
  return size == 1 ? BPF_B : size == 2 ? BPF_H : size == 4 ? BPF_W : BPF_DW;
}

} // namespace

TEST_CASE("platform/kernel: helper permissions agree with the running kernel") {
  if (!kernel_available())
    return;
  int pairs = 0, mismatches = 0;
  std::ostringstream report;
  for (const Target &target : kTargets) {
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
    for (const Target &candidate : kTargets)
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
  for (const Target &target : kTargets) {
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

TEST_CASE("platform/kernel: context accesses agree with the running kernel") {
  if (!kernel_available())
    return;
  int accesses = 0, mismatches = 0;
  std::ostringstream report;
  for (const Target &target : kTargets) {
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
  for (const Target &target : kTargets) {
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
