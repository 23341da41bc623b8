// Section name -> program type: a table of libbpf conventions, legacy spellings and unknown
// names, cross-checked against the installed libbpf's libbpf_prog_type_by_name where it agrees
// on the name (libbpf 1.1 predates tcx, netkit, unix-socket hooks and prefix matching).
#include "section_types.h"

#include <bpf/libbpf.h>
#include <doctest/doctest.h>

#include <optional>
#include <string>

using bpfcheck::ProgramType;
using bpfcheck::section_type;

namespace {

struct Case {
  const char *name;
  ProgramType type;
  std::optional<std::uint32_t> attach;
  bool sleepable = false;
  const char *target = "";
};

constexpr auto kNone = std::nullopt;

const Case kCases[] = {
    {"xdp", ProgramType::Xdp, 37},
    {"xdp.frags", ProgramType::Xdp, 37},
    {"xdp/devmap", ProgramType::Xdp, 33},
    {"xdp.frags/cpumap", ProgramType::Xdp, 35},
    {"tc", ProgramType::SchedCls, kNone},
    {"tc/ingress", ProgramType::SchedCls, 46},
    {"tcx/ingress", ProgramType::SchedCls, 46},
    {"tcx/egress", ProgramType::SchedCls, 47},
    {"classifier", ProgramType::SchedCls, kNone},
    {"action", ProgramType::SchedAct, kNone},
    {"socket", ProgramType::SocketFilter, kNone},
    {"kprobe/do_unlinkat", ProgramType::Kprobe, kNone, false, "do_unlinkat"},
    {"kretprobe/do_unlinkat", ProgramType::Kprobe, kNone, false, "do_unlinkat"},
    {"kprobe", ProgramType::Kprobe, kNone},
    {"uprobe//bin/bash:readline", ProgramType::Kprobe, kNone, false, "/bin/bash:readline"},
    {"uretprobe.s/libc.so.6:malloc", ProgramType::Kprobe, kNone, true, "libc.so.6:malloc"},
    {"usdt/libc.so.6:libc:setjmp", ProgramType::Kprobe, kNone, false, "libc.so.6:libc:setjmp"},
    {"kprobe.multi/tcp_*", ProgramType::Kprobe, 42, false, "tcp_*"},
    {"kretprobe.multi/tcp_*", ProgramType::Kprobe, 42, false, "tcp_*"},
    {"ksyscall/write", ProgramType::Kprobe, kNone, false, "write"},
    {"tracepoint/syscalls/sys_enter_write", ProgramType::Tracepoint, kNone, false,
     "syscalls/sys_enter_write"},
    {"tp/sched/sched_switch", ProgramType::Tracepoint, kNone, false, "sched/sched_switch"},
    {"raw_tracepoint/sched_switch", ProgramType::RawTracepoint, kNone, false, "sched_switch"},
    {"raw_tp/sched_switch", ProgramType::RawTracepoint, kNone, false, "sched_switch"},
    {"raw_tp.w/bpf_test_finish", ProgramType::RawTracepointWritable, kNone, false,
     "bpf_test_finish"},
    {"tp_btf/sched_switch", ProgramType::Tracing, 23, false, "sched_switch"},
    {"fentry/do_unlinkat", ProgramType::Tracing, 24, false, "do_unlinkat"},
    {"fexit/do_unlinkat", ProgramType::Tracing, 25, false, "do_unlinkat"},
    {"fmod_ret/bpf_modify_return_test", ProgramType::Tracing, 26, false, "bpf_modify_return_test"},
    {"fentry.s/__x64_sys_open", ProgramType::Tracing, 24, true, "__x64_sys_open"},
    {"fexit.s/__x64_sys_open", ProgramType::Tracing, 25, true, "__x64_sys_open"},
    {"freplace/handler", ProgramType::Ext, kNone, false, "handler"},
    {"lsm/file_open", ProgramType::Lsm, 27, false, "file_open"},
    {"lsm.s/bprm_committed_creds", ProgramType::Lsm, 27, true, "bprm_committed_creds"},
    {"lsm_cgroup/socket_bind", ProgramType::Lsm, 43, false, "socket_bind"},
    {"iter/task", ProgramType::Tracing, 28, false, "task"},
    {"iter.s/task_vma", ProgramType::Tracing, 28, true, "task_vma"},
    {"syscall", ProgramType::Syscall, kNone, true},
    {"perf_event", ProgramType::PerfEvent, kNone},
    {"lwt_in", ProgramType::LwtIn, kNone},
    {"lwt_out", ProgramType::LwtOut, kNone},
    {"lwt_xmit", ProgramType::LwtXmit, kNone},
    {"lwt_seg6local", ProgramType::LwtSeg6local, kNone},
    {"sockops", ProgramType::SockOps, 3},
    {"sk_skb", ProgramType::SkSkb, kNone},
    {"sk_skb/stream_parser", ProgramType::SkSkb, 4},
    {"sk_skb/stream_verdict", ProgramType::SkSkb, 5},
    {"sk_skb/verdict", ProgramType::SkSkb, 38},
    {"sk_msg", ProgramType::SkMsg, 7},
    {"sk_lookup", ProgramType::SkLookup, 36},
    {"sk_reuseport", ProgramType::SkReuseport, 39},
    {"sk_reuseport/migrate", ProgramType::SkReuseport, 40},
    {"lirc_mode2", ProgramType::LircMode2, 16},
    {"flow_dissector", ProgramType::FlowDissector, 17},
    {"cgroup_skb/ingress", ProgramType::CgroupSkb, 0},
    {"cgroup_skb/egress", ProgramType::CgroupSkb, 1},
    {"cgroup/skb", ProgramType::CgroupSkb, kNone},
    {"cgroup/sock", ProgramType::CgroupSock, 2},
    {"cgroup/sock_create", ProgramType::CgroupSock, 2},
    {"cgroup/sock_release", ProgramType::CgroupSock, 34},
    {"cgroup/post_bind4", ProgramType::CgroupSock, 12},
    {"cgroup/post_bind6", ProgramType::CgroupSock, 13},
    {"cgroup/bind4", ProgramType::CgroupSockAddr, 8},
    {"cgroup/bind6", ProgramType::CgroupSockAddr, 9},
    {"cgroup/connect4", ProgramType::CgroupSockAddr, 10},
    {"cgroup/connect6", ProgramType::CgroupSockAddr, 11},
    {"cgroup/connect_unix", ProgramType::CgroupSockAddr, 49},
    {"cgroup/sendmsg4", ProgramType::CgroupSockAddr, 14},
    {"cgroup/sendmsg6", ProgramType::CgroupSockAddr, 15},
    {"cgroup/sendmsg_unix", ProgramType::CgroupSockAddr, 50},
    {"cgroup/recvmsg4", ProgramType::CgroupSockAddr, 19},
    {"cgroup/recvmsg6", ProgramType::CgroupSockAddr, 20},
    {"cgroup/recvmsg_unix", ProgramType::CgroupSockAddr, 51},
    {"cgroup/getpeername4", ProgramType::CgroupSockAddr, 29},
    {"cgroup/getpeername6", ProgramType::CgroupSockAddr, 30},
    {"cgroup/getsockname4", ProgramType::CgroupSockAddr, 31},
    {"cgroup/getsockname6", ProgramType::CgroupSockAddr, 32},
    {"cgroup/getsockname_unix", ProgramType::CgroupSockAddr, 53},
    {"cgroup/sysctl", ProgramType::CgroupSysctl, 18},
    {"cgroup/getsockopt", ProgramType::CgroupSockopt, 21},
    {"cgroup/setsockopt", ProgramType::CgroupSockopt, 22},
    {"cgroup/dev", ProgramType::CgroupDevice, 6},
    {"struct_ops", ProgramType::StructOps, kNone},
    {"struct_ops/tcp_init", ProgramType::StructOps, kNone, false, "tcp_init"},
    {"struct_ops.s/test_1", ProgramType::StructOps, kNone, true, "test_1"},
    {"netfilter", ProgramType::Netfilter, 45},
    // Legacy objects (samples/bpf, iproute2, libbpf 0.x prefix matching).
    {"socket1", ProgramType::SocketFilter, kNone},
    {"xdp_prog", ProgramType::Xdp, 37},
    {"classifier/ingress", ProgramType::SchedCls, kNone, false, "ingress"},
    {"cgroup/skb_filter", ProgramType::CgroupSkb, kNone},
    {"prog", ProgramType::Xdp, kNone},
};

} // namespace

TEST_CASE("section names map to libbpf's program types and attach types") {
  for (const Case &c : kCases) {
    const std::string name = c.name;
    CAPTURE(name);
    const auto got = section_type(c.name);
    CHECK(got.known);
    CHECK(got.type == c.type);
    CHECK(got.expected_attach_type == c.attach);
    CHECK(got.sleepable == c.sleepable);
    CHECK(got.attach_target == c.target);
  }
}

TEST_CASE("unknown section names give Unspec") {
  for (const char *name : {"", "foo", ".text.unlikely", "kprobex/foo", "tracepointy", "lsmx",
                           "fentryfoo", "xd", "sk_", "/"}) {
    const std::string text = name;
    CAPTURE(text);
    const auto got = section_type(name);
    CHECK_FALSE(got.known);
    CHECK(got.type == ProgramType::Unspec);
    CHECK_FALSE(got.expected_attach_type.has_value());
  }
}

TEST_CASE("the table agrees with the installed libbpf on every name libbpf knows") {
  libbpf_set_print(nullptr); // libbpf warns on stderr for the names it does not know
  int compared = 0;
  for (const Case &c : kCases) {
    bpf_prog_type type{};
    bpf_attach_type attach{};
    if (libbpf_prog_type_by_name(c.name, &type, &attach) != 0)
      continue; // newer than libbpf 1.1, or legacy
    const std::string name = c.name;
    CAPTURE(name);
    const auto got = section_type(c.name);
    CHECK(static_cast<std::uint32_t>(got.type) == static_cast<std::uint32_t>(type));
    CHECK(got.expected_attach_type.value_or(0) == static_cast<std::uint32_t>(attach));
    ++compared;
  }
  CHECK(compared > 60);
}

TEST_CASE("program type names round-trip") {
  for (std::uint32_t i = 0; i <= 32; ++i) {
    const auto type = static_cast<ProgramType>(i);
    const auto name = bpfcheck::program_type_name(type);
    CAPTURE(name);
    REQUIRE(bpfcheck::program_type_from_name(name).has_value());
    CHECK(*bpfcheck::program_type_from_name(name) == type);
  }
  CHECK(bpfcheck::program_type_name(ProgramType::Xdp) == "xdp");
  CHECK(bpfcheck::program_type_name(ProgramType::SchedCls) == "sched_cls");
  CHECK_FALSE(bpfcheck::program_type_from_name("nonsense").has_value());
}
