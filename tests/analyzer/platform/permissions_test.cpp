// Helper permissions per program type and return ranges, checked on the cases the issue names
// and the kernel's documented behaviour (the kernel-backed test checks the full matrix).
#include "platform.h"

#include <doctest/doctest.h>
#include <linux/bpf.h>

using namespace bpfcheck::platform;
using bpfcheck::ProgramType;
using enum ProgramType;

TEST_CASE("platform/permissions: named cases") {
  struct Case {
    ProgramType type;
    std::uint32_t helper;
    bool allowed;
  };
  const Case cases[] = {
      {SchedCls, BPF_FUNC_skb_store_bytes, true},
      {SocketFilter, BPF_FUNC_skb_store_bytes, false},
      {Xdp, BPF_FUNC_redirect, true},
      {SchedCls, BPF_FUNC_redirect, true},
      {SocketFilter, BPF_FUNC_redirect, false},
      {Kprobe, BPF_FUNC_probe_read_kernel, true},
      // Since the perfmon helpers joined bpf_base_func_proto, privileged xdp may read kernel
      // memory too; the legacy bpf_probe_read stays tracing-only.
      {Xdp, BPF_FUNC_probe_read_kernel, true},
      {Xdp, BPF_FUNC_probe_read, false},
      {Kprobe, BPF_FUNC_probe_read, true},
      {Xdp, BPF_FUNC_xdp_adjust_head, true},
      {SchedCls, BPF_FUNC_xdp_adjust_head, false},
      {Kprobe, BPF_FUNC_skb_load_bytes, false},
      {SkMsg, BPF_FUNC_msg_redirect_map, true},
      {SkSkb, BPF_FUNC_msg_redirect_map, false},
      {PerfEvent, BPF_FUNC_perf_prog_read_value, true},
      {Kprobe, BPF_FUNC_perf_prog_read_value, false},
      {SockOps, BPF_FUNC_sock_ops_cb_flags_set, true},
      {FlowDissector, BPF_FUNC_perf_event_output, false},
  };
  for (const Case &c : cases) {
    INFO("type " << static_cast<int>(c.type) << " helper " << find_helper(c.helper)->name);
    const Permission permission = helper_allowed(c.type, c.helper);
    CHECK(permission.allowed == c.allowed);
    if (!c.allowed)
      CHECK(!permission.reason.empty());
  }
}

TEST_CASE("platform/permissions: the base set reaches every listed type") {
  for (auto type : {SocketFilter, Kprobe, SchedCls, SchedAct, Tracepoint, Xdp, PerfEvent, CgroupSkb,
                    CgroupSock, LwtIn, LwtOut, LwtXmit, SockOps, SkSkb, SkMsg, RawTracepoint,
                    CgroupSockAddr, LwtSeg6local, FlowDissector}) {
    INFO("type " << static_cast<int>(type));
    for (auto helper : {BPF_FUNC_ringbuf_reserve, BPF_FUNC_trace_printk, BPF_FUNC_map_lookup_elem,
                        BPF_FUNC_tail_call, BPF_FUNC_loop, BPF_FUNC_ktime_get_ns})
      CHECK(helper_allowed(type, helper).allowed);
  }
  CHECK(!helper_allowed(Xdp, 9999).allowed);
  CHECK(!helper_allowed(Tracing, BPF_FUNC_map_lookup_elem).allowed); // no table for fentry yet
}

TEST_CASE("platform/permissions: attach-type dependent helpers") {
  CHECK(helper_allowed(CgroupSockAddr, BPF_FUNC_bind, BPF_CGROUP_INET4_CONNECT).allowed);
  CHECK(!helper_allowed(CgroupSockAddr, BPF_FUNC_bind, BPF_CGROUP_INET4_BIND).allowed);
  CHECK(!helper_allowed(CgroupSockAddr, BPF_FUNC_set_retval, BPF_CGROUP_UDP4_RECVMSG).allowed);
  CHECK(helper_allowed(CgroupSockopt, BPF_FUNC_setsockopt, BPF_CGROUP_SETSOCKOPT).allowed);
  CHECK(!helper_allowed(CgroupSockopt, BPF_FUNC_setsockopt, BPF_CGROUP_GETSOCKOPT).allowed);
}

TEST_CASE("platform/return_range: per type and attach type") {
  struct Case {
    ProgramType type;
    std::optional<std::uint32_t> attach;
    std::int64_t min, max;
    bool enforced;
  };
  const Case cases[] = {
      {Xdp, {}, 0, 4, false},
      {CgroupSkb, BPF_CGROUP_INET_INGRESS, 0, 1, true},
      {CgroupSkb, BPF_CGROUP_INET_EGRESS, 0, 3, true},
      {CgroupSock, BPF_CGROUP_INET_SOCK_CREATE, 0, 1, true},
      {CgroupSockAddr, BPF_CGROUP_INET4_CONNECT, 0, 1, true},
      {CgroupSockAddr, BPF_CGROUP_INET4_BIND, 0, 3, true},
      {CgroupSockAddr, BPF_CGROUP_UDP4_RECVMSG, 1, 1, true},
      {CgroupSockAddr, BPF_CGROUP_INET6_GETPEERNAME, 1, 1, true},
      {SockOps, {}, 0, 1, true},
      {SkSkb, {}, 0, 1, false},
      {SkMsg, {}, 0, 1, false},
      {LwtXmit, {}, 0, 128, false},
  };
  for (const Case &c : cases) {
    INFO("type " << static_cast<int>(c.type));
    const ReturnRange range = return_range(c.type, c.attach);
    CHECK(range.min == c.min);
    CHECK(range.max == c.max);
    CHECK(range.enforced == c.enforced);
  }
  for (auto type : {SocketFilter, Kprobe, Tracepoint, PerfEvent, RawTracepoint, SchedCls}) {
    CHECK(!return_range(type).enforced);
  }
}
