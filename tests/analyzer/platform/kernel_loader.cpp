// Kernel loading for the platform agreement tests (see kernel_loader.h).
#include "kernel_loader.h"

#include <bpf/bpf.h>
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

namespace platform_test {

using enum ProgramType;

// Attach types are those libbpf gives each section; several hooks of one type where the
// tables depend on the attach type.
namespace {

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

} // namespace

std::span<const Target> targets() { return kTargets; }

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

LoadResult load(const Target &target, const std::vector<bpf_insn> &insns, const char *license,
                int log_level) {
  static std::vector<char> log(1 << 16);
  log[0] = '\0';
  // LIBBPF_OPTS is a C macro (statement expression, compound literal): fill the struct here.
  bpf_prog_load_opts opts{};
  opts.sz = sizeof(opts);
  opts.log_level = static_cast<std::uint32_t>(log_level);
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
bpf_insn mov_reg(std::uint8_t dst, std::uint8_t src) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn exit_insn() { return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

std::uint8_t size_code(int size) {
  return size == 1 ? BPF_B : size == 2 ? BPF_H : size == 4 ? BPF_W : BPF_DW;
}

} // namespace platform_test
