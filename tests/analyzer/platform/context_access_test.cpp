// Table-driven context access rules that mirror the kernel's is_valid_access callbacks:
// packet pointers, per-type writability, narrow loads and out-of-bounds refusals.
#include "platform.h"

#include <doctest/doctest.h>
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>

#include <cstddef>

using namespace bpfcheck::platform;
using bpfcheck::ProgramType;
using enum ProgramType;

namespace {

struct Case {
  ProgramType type;
  std::int64_t offset;
  int size;
  bool write;
  bool allowed;
  CtxValue value = CtxValue::Scalar;
  std::optional<std::uint32_t> attach = std::nullopt;
};

constexpr auto kSkb = [](std::size_t off) { return static_cast<std::int64_t>(off); };

} // namespace

TEST_CASE("platform/context_access: kernel rules, table-driven") {
  using S = __sk_buff;
  using enum CtxValue;
  const Case cases[] = {
      // __sk_buff packet pointers: exactly 4-byte loads where packet access exists.
      {SchedCls, kSkb(offsetof(S, data)), 4, false, true, PacketPointer},
      {SchedCls, kSkb(offsetof(S, data_end)), 4, false, true, PacketEnd},
      {SchedCls, kSkb(offsetof(S, data_meta)), 4, false, true, PacketMeta},
      {SchedCls, kSkb(offsetof(S, data)), 2, false, false},
      {SchedCls, kSkb(offsetof(S, data)), 4, true, false},
      {SocketFilter, kSkb(offsetof(S, data)), 4, false, false},
      {CgroupSkb, kSkb(offsetof(S, data)), 4, false, true, PacketPointer},
      {CgroupSkb, kSkb(offsetof(S, data_meta)), 4, false, false},
      {SkSkb, kSkb(offsetof(S, data_end)), 4, false, true, PacketEnd},
      {LwtIn, kSkb(offsetof(S, data)), 4, false, true, PacketPointer},
      {FlowDissector, kSkb(offsetof(S, flow_keys)), 8, false, true, FlowKeys},
      {FlowDissector, kSkb(offsetof(S, len)), 4, false, false},
      {SchedCls, kSkb(offsetof(S, flow_keys)), 8, false, false},
      // mark: tc writes it, socket_filter only reads it, sk_skb cannot touch it.
      {SchedCls, kSkb(offsetof(S, mark)), 4, true, true},
      {SocketFilter, kSkb(offsetof(S, mark)), 4, true, false},
      {SocketFilter, kSkb(offsetof(S, mark)), 4, false, true},
      {SkSkb, kSkb(offsetof(S, mark)), 4, false, false},
      // cb[0..4]: read and write, any width, never past cb[4].
      {SocketFilter, kSkb(offsetof(S, cb[0])), 4, true, true},
      {SocketFilter, kSkb(offsetof(S, cb[4])), 4, false, true},
      {SchedCls, kSkb(offsetof(S, cb[2])), 1, true, true},
      {SchedCls, kSkb(offsetof(S, cb[4])), 8, false, false},
      // Narrow reads of scalar fields, aligned only.
      {SocketFilter, kSkb(offsetof(S, len)), 1, false, true},
      {SocketFilter, kSkb(offsetof(S, len)) + 2, 2, false, true},
      {SocketFilter, kSkb(offsetof(S, len)) + 1, 2, false, false},
      {SocketFilter, kSkb(offsetof(S, len)), 8, false, false},
      {SchedCls, kSkb(offsetof(S, tc_classid)), 4, true, true},
      {SocketFilter, kSkb(offsetof(S, tc_classid)), 4, false, false},
      {SchedCls, kSkb(offsetof(S, sk)), 8, false, true, SockCommonOrNull},
      {SchedCls, kSkb(offsetof(S, tstamp)), 8, true, true},
      {SchedCls, kSkb(offsetof(S, queue_mapping)), 2, true, false},
      {CgroupSkb, kSkb(offsetof(S, remote_ip4)), 4, false, true},
      {CgroupSkb, kSkb(offsetof(S, remote_ip4)), 2, false, false},
      {SockOps, offsetof(bpf_sock_ops, replylong[1]), 4, true, false},
      {SockOps, offsetof(bpf_sock_ops, skb_tcp_flags), 1, false, true},
      {SockOps, offsetof(bpf_sock_ops, skb_tcp_flags) + 1, 1, false, false},
      // Past the struct, or negative.
      {SchedCls, kSkb(sizeof(S)), 4, false, false},
      {SchedCls, kSkb(sizeof(S)) - 4, 8, false, false},
      {SchedCls, -4, 4, false, false},
      // xdp_md: 4-byte loads only, no writes; egress_ifindex in devmap programs.
      {Xdp, offsetof(xdp_md, data), 4, false, true, PacketPointer},
      {Xdp, offsetof(xdp_md, data_meta), 4, false, true, PacketMeta},
      {Xdp, offsetof(xdp_md, data_end), 4, false, true, PacketEnd},
      {Xdp, offsetof(xdp_md, ingress_ifindex), 2, false, false},
      {Xdp, offsetof(xdp_md, data), 4, true, false},
      {Xdp, sizeof(xdp_md), 4, false, false},
      {Xdp, offsetof(xdp_md, egress_ifindex), 4, false, false, Scalar, 37 /* BPF_XDP */},
      {Xdp, offsetof(xdp_md, egress_ifindex), 4, false, false},
      {Xdp, offsetof(xdp_md, egress_ifindex), 4, false, true, Scalar, BPF_XDP_DEVMAP},
      // sk_msg_md: 64-bit packet pointers.
      {SkMsg, offsetof(sk_msg_md, data), 8, false, true, PacketPointer},
      {SkMsg, offsetof(sk_msg_md, data_end), 8, false, true, PacketEnd},
      {SkMsg, offsetof(sk_msg_md, data), 4, false, false},
      {SkMsg, offsetof(sk_msg_md, sk), 8, false, true, Socket},
      {SkMsg, offsetof(sk_msg_md, size), 4, true, false},
      // sock_ops: replies are writable, the rest read-only; skb_data is a packet pointer.
      {SockOps, offsetof(bpf_sock_ops, reply), 4, true, true},
      {SockOps, offsetof(bpf_sock_ops, op), 4, true, false},
      {SockOps, offsetof(bpf_sock_ops, skb_data), 8, false, true, PacketPointer},
      {SockOps, offsetof(bpf_sock_ops, sk), 8, false, true, SocketOrNull},
      // cgroup_sock_addr: the user address is rewritable.
      {CgroupSockAddr, offsetof(bpf_sock_addr, user_ip4), 4, true, true, Scalar,
       BPF_CGROUP_INET4_CONNECT},
      {CgroupSockAddr, offsetof(bpf_sock_addr, family), 4, true, false, Scalar,
       BPF_CGROUP_INET4_CONNECT},
      // Tracing contexts: raw reads, never writes.
      {Kprobe, 0, 8, false, true},
      {Kprobe, 160, 8, false, true},
      {Kprobe, 168, 8, false, false},
      {Kprobe, 0, 8, true, false},
      {Tracepoint, 0, 8, false, false},
      {Tracepoint, 8, 4, false, true},
      {Tracepoint, 8184, 8, false, true},
      {Tracepoint, -8, 8, false, false}, // the kernel lets this through; we do not
      {RawTracepointWritable, 0, 8, false, true, TpBuffer},
      {RawTracepointWritable, 0, 4, false, false},
      // bpf_sock: options at creation, source address once bound.
      {CgroupSock, offsetof(bpf_sock, mark), 4, true, true, Scalar, BPF_CGROUP_INET_SOCK_CREATE},
      {CgroupSock, offsetof(bpf_sock, mark), 4, false, false, Scalar, BPF_CGROUP_INET4_POST_BIND},
      {CgroupSock, offsetof(bpf_sock, src_ip4), 4, false, true, Scalar, BPF_CGROUP_INET4_POST_BIND},
      {CgroupSock, offsetof(bpf_sock, src_ip4), 4, false, false, Scalar,
       BPF_CGROUP_INET_SOCK_CREATE},
      {CgroupSock, offsetof(bpf_sock, dst_port), 4, false, true, Scalar,
       BPF_CGROUP_INET_SOCK_CREATE},
      {CgroupSock, offsetof(bpf_sock, family) + 2, 2, false, false, Scalar,
       BPF_CGROUP_INET_SOCK_CREATE},
      {CgroupSockAddr, offsetof(bpf_sock_addr, user_ip6), 8, false, true, Scalar,
       BPF_CGROUP_INET6_CONNECT},
      {CgroupSockAddr, offsetof(bpf_sock_addr, user_ip6), 4, false, false, Scalar,
       BPF_CGROUP_INET4_CONNECT},
      {CgroupSockAddr, offsetof(bpf_sock_addr, msg_src_ip4), 4, true, true, Scalar,
       BPF_CGROUP_UDP4_SENDMSG},
      {CgroupSockAddr, offsetof(bpf_sock_addr, msg_src_ip4), 4, true, false, Scalar,
       BPF_CGROUP_INET4_CONNECT},
      {RawTracepoint, 88, 8, false, true},
      {RawTracepoint, 96, 8, false, false},
      {PerfEvent, offsetof(bpf_perf_event_data, sample_period), 8, false, true},
      {PerfEvent, offsetof(bpf_perf_event_data, regs), 4, false, false},
  };
  for (const Case &c : cases) {
    const ContextAccess access = check_context_access(c.type, c.offset, c.size, c.write, c.attach);
    INFO("type " << static_cast<int>(c.type) << " offset " << c.offset << " size " << c.size
                 << (c.write ? " write" : " read") << ": " << access.reason);
    CHECK(access.allowed == c.allowed);
    if (c.allowed)
      CHECK(access.value == c.value);
    else
      CHECK(!access.reason.empty());
  }
}
