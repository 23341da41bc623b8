// Context layouts against the UAPI structs: every listed field's offset and size agree with
// offsetof/sizeof from <linux/bpf.h>, and each layout's size is the struct's sizeof.
#include "platform.h"

#include <doctest/doctest.h>
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>

#include <cstddef>
#include <string>
#include <vector>

using namespace bpfcheck::platform;
using bpfcheck::ProgramType;

namespace {

struct Expected {
  std::string_view name;
  std::size_t offset;
  std::size_t size;
};

#define FIELD(type, member)                                                                        \
  Expected { #member, offsetof(type, member), sizeof(type::member) }

const ContextField *field_named(const ContextLayout &layout, std::string_view name) {
  for (const ContextField &field : layout.fields)
    if (field.name == name)
      return &field;
  return nullptr;
}

int check_fields(ProgramType type, const std::vector<Expected> &expected) {
  const ContextLayout *layout = context_layout(type);
  REQUIRE(layout != nullptr);
  int checked = 0;
  for (const Expected &want : expected) {
    INFO(layout->struct_name << "." << want.name);
    const ContextField *field = field_named(*layout, want.name);
    REQUIRE(field != nullptr);
    CHECK(field->offset == want.offset);
    CHECK(field->size == want.size);
    ++checked;
  }
  // Every table field is in the expected list too (nothing unchecked), sock_ops' newer field
  // aside (checked separately).
  for (const ContextField &field : layout->fields) {
    bool listed = false;
    for (const Expected &want : expected)
      listed |= want.name == field.name;
    INFO(layout->struct_name << "." << field.name);
    CHECK((listed || field.name == "skb_hwtstamp"));
  }
  return checked;
}

} // namespace

TEST_CASE("platform/contexts: __sk_buff offsets and sizes match the UAPI struct") {
  using S = __sk_buff;
  const int n =
      check_fields(ProgramType::SchedCls, {FIELD(S, len),         FIELD(S, pkt_type),
                                           FIELD(S, mark),        FIELD(S, queue_mapping),
                                           FIELD(S, protocol),    FIELD(S, vlan_present),
                                           FIELD(S, vlan_tci),    FIELD(S, vlan_proto),
                                           FIELD(S, priority),    FIELD(S, ingress_ifindex),
                                           FIELD(S, ifindex),     FIELD(S, tc_index),
                                           FIELD(S, cb),          FIELD(S, hash),
                                           FIELD(S, tc_classid),  FIELD(S, data),
                                           FIELD(S, data_end),    FIELD(S, napi_id),
                                           FIELD(S, family),      FIELD(S, remote_ip4),
                                           FIELD(S, local_ip4),   FIELD(S, remote_ip6),
                                           FIELD(S, local_ip6),   FIELD(S, remote_port),
                                           FIELD(S, local_port),  FIELD(S, data_meta),
                                           FIELD(S, flow_keys),   FIELD(S, tstamp),
                                           FIELD(S, wire_len),    FIELD(S, gso_segs),
                                           FIELD(S, sk),          FIELD(S, gso_size),
                                           FIELD(S, tstamp_type), FIELD(S, hwtstamp)});
  CHECK(n == 34);
  for (auto type :
       {ProgramType::SocketFilter, ProgramType::SchedAct, ProgramType::CgroupSkb,
        ProgramType::LwtIn, ProgramType::LwtXmit, ProgramType::SkSkb, ProgramType::FlowDissector})
    CHECK(context_layout(type)->size == sizeof(S));
}

TEST_CASE("platform/contexts: xdp_md, sk_msg_md, bpf_sock, bpf_sock_addr") {
  check_fields(ProgramType::Xdp, {FIELD(xdp_md, data), FIELD(xdp_md, data_end),
                                  FIELD(xdp_md, data_meta), FIELD(xdp_md, ingress_ifindex),
                                  FIELD(xdp_md, rx_queue_index), FIELD(xdp_md, egress_ifindex)});
  CHECK(context_layout(ProgramType::Xdp)->size == sizeof(xdp_md));

  using M = sk_msg_md;
  check_fields(ProgramType::SkMsg,
               {FIELD(M, data), FIELD(M, data_end), FIELD(M, family), FIELD(M, remote_ip4),
                FIELD(M, local_ip4), FIELD(M, remote_ip6), FIELD(M, local_ip6),
                FIELD(M, remote_port), FIELD(M, local_port), FIELD(M, size), FIELD(M, sk)});
  CHECK(context_layout(ProgramType::SkMsg)->size == sizeof(M));

  using K = bpf_sock;
  check_fields(ProgramType::CgroupSock,
               {FIELD(K, bound_dev_if), FIELD(K, family), FIELD(K, type), FIELD(K, protocol),
                FIELD(K, mark), FIELD(K, priority), FIELD(K, src_ip4), FIELD(K, src_ip6),
                FIELD(K, src_port), FIELD(K, dst_port), FIELD(K, dst_ip4), FIELD(K, dst_ip6),
                FIELD(K, state), FIELD(K, rx_queue_mapping)});
  CHECK(context_layout(ProgramType::CgroupSock)->size == sizeof(K));

  using A = bpf_sock_addr;
  check_fields(ProgramType::CgroupSockAddr,
               {FIELD(A, user_family), FIELD(A, user_ip4), FIELD(A, user_ip6), FIELD(A, user_port),
                FIELD(A, family), FIELD(A, type), FIELD(A, protocol), FIELD(A, msg_src_ip4),
                FIELD(A, msg_src_ip6), FIELD(A, sk)});
  CHECK(context_layout(ProgramType::CgroupSockAddr)->size == sizeof(A));
}

TEST_CASE("platform/contexts: bpf_sock_ops (the kernel's struct is 8 bytes longer)") {
  using O = bpf_sock_ops;
  check_fields(ProgramType::SockOps, {FIELD(O, op),
                                      FIELD(O, reply),
                                      FIELD(O, args),
                                      FIELD(O, family),
                                      FIELD(O, remote_ip4),
                                      FIELD(O, local_ip4),
                                      FIELD(O, remote_ip6),
                                      FIELD(O, local_ip6),
                                      FIELD(O, remote_port),
                                      FIELD(O, local_port),
                                      FIELD(O, is_fullsock),
                                      FIELD(O, snd_cwnd),
                                      FIELD(O, srtt_us),
                                      FIELD(O, bpf_sock_ops_cb_flags),
                                      FIELD(O, state),
                                      FIELD(O, rtt_min),
                                      FIELD(O, snd_ssthresh),
                                      FIELD(O, rcv_nxt),
                                      FIELD(O, snd_nxt),
                                      FIELD(O, snd_una),
                                      FIELD(O, mss_cache),
                                      FIELD(O, ecn_flags),
                                      FIELD(O, rate_delivered),
                                      FIELD(O, rate_interval_us),
                                      FIELD(O, packets_out),
                                      FIELD(O, retrans_out),
                                      FIELD(O, total_retrans),
                                      FIELD(O, segs_in),
                                      FIELD(O, data_segs_in),
                                      FIELD(O, segs_out),
                                      FIELD(O, data_segs_out),
                                      FIELD(O, lost_out),
                                      FIELD(O, sacked_out),
                                      FIELD(O, sk_txhash),
                                      FIELD(O, bytes_received),
                                      FIELD(O, bytes_acked),
                                      FIELD(O, sk),
                                      FIELD(O, skb_data),
                                      FIELD(O, skb_data_end),
                                      FIELD(O, skb_len),
                                      FIELD(O, skb_tcp_flags)});
  // skb_hwtstamp (u64) arrived in 6.2, after Debian 12's header: it ends the kernel's struct.
  const ContextLayout *layout = context_layout(ProgramType::SockOps);
  const ContextField *hw = field_named(*layout, "skb_hwtstamp");
  REQUIRE(hw != nullptr);
  CHECK(hw->offset == offsetof(O, skb_tcp_flags) + 4);
  CHECK(layout->size == hw->offset + hw->size);
  CHECK(layout->size >= sizeof(O));
}

TEST_CASE("platform/contexts: perf_event and raw tracing contexts") {
  using P = bpf_perf_event_data;
  check_fields(ProgramType::PerfEvent, {FIELD(P, regs), FIELD(P, sample_period), FIELD(P, addr)});
  CHECK(context_layout(ProgramType::PerfEvent)->size == sizeof(P));
  CHECK(context_layout(ProgramType::Kprobe)->size == sizeof(bpf_user_pt_regs_t));
  CHECK(context_layout(ProgramType::Kprobe)->raw);
  CHECK(context_layout(ProgramType::Tracepoint)->raw);
  CHECK(context_layout(ProgramType::RawTracepoint)->raw);
}

TEST_CASE("platform/contexts: cgroup device and sysctl contexts") {
  using D = bpf_cgroup_dev_ctx;
  check_fields(ProgramType::CgroupDevice,
               {FIELD(D, access_type), FIELD(D, major), FIELD(D, minor)});
  CHECK(context_layout(ProgramType::CgroupDevice)->size == sizeof(D));
  using S = bpf_sysctl;
  check_fields(ProgramType::CgroupSysctl, {FIELD(S, write), FIELD(S, file_pos)});
  CHECK(context_layout(ProgramType::CgroupSysctl)->size == sizeof(S));
  CHECK(check_context_access(ProgramType::CgroupSysctl, 4, 4, true).allowed);
  CHECK_FALSE(check_context_access(ProgramType::CgroupSysctl, 0, 4, true).allowed);
  CHECK_FALSE(check_context_access(ProgramType::CgroupDevice, 4, 2, false).allowed);
  CHECK(check_context_access(ProgramType::CgroupDevice, 0, 2, false).allowed);
}
