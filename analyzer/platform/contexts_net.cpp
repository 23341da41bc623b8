// Context layouts of the networking program types: __sk_buff (shared by seven types, told apart
// by variant bits), xdp_md, sk_msg_md, bpf_sock_ops, bpf_sock and bpf_sock_addr. Offsets follow
// the UAPI structs; access rules follow the *_is_valid_access functions of net/core/filter.c.
#include "contexts.h"

namespace bpfcheck::platform::detail {
namespace {

using enum CtxValue;

// Variants of __sk_buff, one per access function in the kernel.
constexpr VariantMask kFilter = 1, kTc = 2, kCgSkb = 4, kLwt = 8, kSkSkb = 16, kFlow = 32;
constexpr VariantMask kSkbAll = kFilter | kTc | kCgSkb | kLwt | kSkSkb;
constexpr std::uint8_t kRW32 = kW4;

// socket_filter may write only cb[]; tc writes the QoS fields; cgroup_skb mark/priority/tstamp.
constexpr ContextField kSkBuff[] = {
    {"len", 0, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"pkt_type", 4, 4, kNarrow32, 0, Scalar, kSkbAll},
    // sk_skb refuses mark entirely (sk_skb_is_valid_access).
    {"mark", 8, 4, kNarrow32, kRW32, Scalar, kSkbAll & ~kSkSkb, kTc | kCgSkb | kLwt},
    {"queue_mapping", 12, 4, kNarrow32, kW4, Scalar, kSkbAll, kTc},
    {"protocol", 16, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"vlan_present", 20, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"vlan_tci", 24, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"vlan_proto", 28, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"priority", 32, 4, kNarrow32, kRW32, Scalar, kSkbAll, kTc | kCgSkb | kLwt | kSkSkb},
    {"ingress_ifindex", 36, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"ifindex", 40, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"tc_index", 44, 4, kNarrow32, kRW32, Scalar, kSkbAll, kTc | kSkSkb},
    // The scratch area: any width, read and write, for every type but sk_skb writes.
    {"cb", 48, 20, kAnyWidth, kAnyWidth, Scalar, kSkbAll, kFilter | kTc | kCgSkb | kLwt},
    {"hash", 68, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"tc_classid", 72, 4, kNarrow32, kRW32, Scalar, kTc, kTc},
    {"data", 76, 4, kW4, 0, PacketPointer, kTc | kCgSkb | kLwt | kSkSkb | kFlow},
    {"data_end", 80, 4, kW4, 0, PacketEnd, kTc | kCgSkb | kLwt | kSkSkb | kFlow},
    {"napi_id", 84, 4, kNarrow32, 0, Scalar, kSkbAll},
    // Socket fields of the skb: refused where the skb may have no socket context.
    {"family", 88, 4, kNarrow32, 0, Scalar, kCgSkb | kSkSkb},
    {"remote_ip4", 92, 4, kW4, 0, Scalar, kCgSkb | kSkSkb},
    {"local_ip4", 96, 4, kW4, 0, Scalar, kCgSkb | kSkSkb},
    {"remote_ip6", 100, 16, kW4, 0, Scalar, kCgSkb | kSkSkb},
    {"local_ip6", 116, 16, kW4, 0, Scalar, kCgSkb | kSkSkb},
    {"remote_port", 132, 4, kNarrow32, 0, Scalar, kCgSkb | kSkSkb},
    {"local_port", 136, 4, kNarrow32, 0, Scalar, kCgSkb | kSkSkb},
    {"data_meta", 140, 4, kW4, 0, PacketMeta, kTc},
    {"flow_keys", 144, 8, kW8, 0, FlowKeys, kFlow},
    {"tstamp", 152, 8, kW8, kW8, Scalar, kTc | kCgSkb, kTc | kCgSkb},
    {"wire_len", 160, 4, kNarrow32, 0, Scalar, kTc},
    {"gso_segs", 164, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"sk", 168, 8, kW8, 0, SockCommonOrNull, kSkbAll},
    {"gso_size", 176, 4, kNarrow32, 0, Scalar, kSkbAll},
    {"tstamp_type", 180, 1, kW1, 0, Scalar, kTc},
    {"hwtstamp", 184, 8, kW8, 0, Scalar, kTc | kCgSkb},
};

constexpr VariantMask kXdpAny = 1;
constexpr std::uint64_t kXdpDevmap = attach_bits({33}); // BPF_XDP_DEVMAP

// XDP allows no narrow loads: every access is exactly 4 bytes (__is_valid_xdp_access).
constexpr ContextField kXdpMd[] = {
    {"data", 0, 4, kW4, 0, PacketPointer},
    {"data_end", 4, 4, kW4, 0, PacketEnd},
    {"data_meta", 8, 4, kW4, 0, PacketMeta},
    {"ingress_ifindex", 12, 4, kW4, 0, Scalar},
    {"rx_queue_index", 16, 4, kW4, 0, Scalar},
    {"egress_ifindex", 20, 4, kW4, 0, Scalar, kXdpAny, kAllVariants, kXdpDevmap},
};

// sk_msg_md holds 64-bit pointers (__bpf_md_ptr) and exact 4-byte scalars.
constexpr ContextField kSkMsgMd[] = {
    {"data", 0, 8, kW8, 0, PacketPointer}, {"data_end", 8, 8, kW8, 0, PacketEnd},
    {"family", 16, 4, kW4, 0, Scalar},     {"remote_ip4", 20, 4, kW4, 0, Scalar},
    {"local_ip4", 24, 4, kW4, 0, Scalar},  {"remote_ip6", 28, 16, kW4, 0, Scalar},
    {"local_ip6", 44, 16, kW4, 0, Scalar}, {"remote_port", 60, 4, kW4, 0, Scalar},
    {"local_port", 64, 4, kW4, 0, Scalar}, {"size", 68, 4, kW4, 0, Scalar},
    {"sk", 72, 8, kW8, 0, Socket},
};

// bpf_sock_ops: exact-width accesses; the program answers through reply/replylong and may set
// sk_txhash. The TCP counters are u32 scalars.
constexpr ContextField kSockOps[] = {
    {"op", 0, 4, kW4},
    // The union args[4] / reply / replylong[4]: only `reply` (its first word) is writable.
    {"reply", 4, 4, kW4, kW4},
    {"args", 4, 16, kW4},
    {"family", 20, 4, kW4},
    {"remote_ip4", 24, 4, kW4},
    {"local_ip4", 28, 4, kW4},
    {"remote_ip6", 32, 16, kW4},
    {"local_ip6", 48, 16, kW4},
    {"remote_port", 64, 4, kW4},
    {"local_port", 68, 4, kW4},
    {"is_fullsock", 72, 4, kW4},
    {"snd_cwnd", 76, 4, kW4},
    {"srtt_us", 80, 4, kW4},
    {"bpf_sock_ops_cb_flags", 84, 4, kW4},
    {"state", 88, 4, kW4},
    {"rtt_min", 92, 4, kW4},
    {"snd_ssthresh", 96, 4, kW4},
    {"rcv_nxt", 100, 4, kW4},
    {"snd_nxt", 104, 4, kW4},
    {"snd_una", 108, 4, kW4},
    {"mss_cache", 112, 4, kW4},
    {"ecn_flags", 116, 4, kW4},
    {"rate_delivered", 120, 4, kW4},
    {"rate_interval_us", 124, 4, kW4},
    {"packets_out", 128, 4, kW4},
    {"retrans_out", 132, 4, kW4},
    {"total_retrans", 136, 4, kW4},
    {"segs_in", 140, 4, kW4},
    {"data_segs_in", 144, 4, kW4},
    {"segs_out", 148, 4, kW4},
    {"data_segs_out", 152, 4, kW4},
    {"lost_out", 156, 4, kW4},
    {"sacked_out", 160, 4, kW4},
    {"sk_txhash", 164, 4, kW4, kW4},
    {"bytes_received", 168, 8, kW8},
    {"bytes_acked", 176, 8, kW8},
    {"sk", 184, 8, kW8, 0, SocketOrNull},
    {"skb_data", 192, 8, kW8, 0, PacketPointer},
    {"skb_data_end", 200, 8, kW8, 0, PacketEnd},
    {"skb_len", 208, 4, kW4},
    {"skb_tcp_flags", 212, 4, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, 0, true},
    {"skb_hwtstamp", 216, 8, kW8}, // kernel 6.2, newer than Debian 12's header
};

// bpf_sock (cgroup_sock): the socket options are settable at creation and release; source
// address and port exist only once bound (post_bind4/6).
constexpr std::uint64_t kCreateRelease = attach_bits({2, 34}); // INET_SOCK_CREATE, _RELEASE
constexpr std::uint64_t kPostBind4 = attach_bits({12}), kPostBind6 = attach_bits({13});
constexpr bool kStart = true;

constexpr ContextField kSock[] = {
    {"bound_dev_if", 0, 4, kW4, kW4, Scalar, kAllVariants, kAllVariants, kCreateRelease},
    {"family", 4, 4, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, 0, kStart},
    {"type", 8, 4, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, 0, kStart},
    {"protocol", 12, 4, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, 0, kStart},
    {"mark", 16, 4, kW4, kW4, Scalar, kAllVariants, kAllVariants, kCreateRelease},
    {"priority", 20, 4, kW4, kW4, Scalar, kAllVariants, kAllVariants, kCreateRelease},
    {"src_ip4", 24, 4, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, kPostBind4},
    {"src_ip6", 28, 16, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, kPostBind6},
    {"src_port", 44, 4, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, kPostBind4 | kPostBind6,
     kStart},
    // A __be16 followed by padding: 1/2-byte loads, or a u32 load covering both.
    {"dst_port", 48, 2, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, 0, false, 4},
    {"dst_ip4", 52, 4, kNarrow32},
    {"dst_ip6", 56, 16, kNarrow32},
    {"state", 72, 4, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, 0, kStart},
    {"rx_queue_mapping", 76, 4, kNarrow32, 0, Scalar, kAllVariants, kAllVariants, 0, kStart},
};

// bpf_sock_addr: the user address may be rewritten; each address family's fields exist only
// for that family's hooks, the message source only for sendmsg.
constexpr std::uint64_t kInet4Hooks = attach_bits({8, 10, 14, 19, 29, 31});
constexpr std::uint64_t kInet6Hooks = attach_bits({9, 11, 15, 20, 30, 32});
constexpr std::uint64_t kSendmsg4 = attach_bits({14}), kSendmsg6 = attach_bits({15});

constexpr ContextField kSockAddr[] = {
    {"user_family", 0, 4, kW4},
    {"user_ip4", 4, 4, kNarrow32, kW4, Scalar, kAllVariants, kAllVariants, kInet4Hooks},
    {"user_ip6", 8, 16, kAnyWidth, kW4 | kW8, Scalar, kAllVariants, kAllVariants, kInet6Hooks},
    {"user_port", 24, 4, kNarrow32, kW4},
    {"family", 28, 4, kW4},
    {"type", 32, 4, kW4},
    {"protocol", 36, 4, kW4},
    {"msg_src_ip4", 40, 4, kNarrow32, kW4, Scalar, kAllVariants, kAllVariants, kSendmsg4},
    {"msg_src_ip6", 44, 16, kAnyWidth, kW4 | kW8, Scalar, kAllVariants, kAllVariants, kSendmsg6},
    {"sk", 64, 8, kW8, 0, Socket},
};

// bpf_cgroup_dev_ctx (cgroup_dev_is_valid_access): read-only; access_type also by narrow loads.
constexpr ContextField kCgroupDev[] = {
    {"access_type", 0, 4, kNarrow32},
    {"major", 4, 4, kW4},
    {"minor", 8, 4, kW4},
};

// bpf_sysctl (sysctl_is_valid_access): `write` is read-only, file_pos may be set (4 bytes).
constexpr ContextField kSysctl[] = {
    {"write", 0, 4, kNarrow32},
    {"file_pos", 4, 4, kNarrow32, kW4},
};

} // namespace

constexpr std::uint16_t kCgroupDevSize = 12, kSysctlSize = 8;
const ContextLayout kCgroupDevLayout{"bpf_cgroup_dev_ctx", kCgroupDevSize, kCgroupDev};
const ContextLayout kSysctlLayout{"bpf_sysctl", kSysctlSize, kSysctl};

constexpr std::uint16_t kSkBuffSize = 192, kXdpMdSize = 24, kSkMsgMdSize = 80;
constexpr std::uint16_t kSockOpsSize = 224, kSockSize = 80, kSockAddrSize = 72;

const ContextLayout kSocketFilterLayout{"__sk_buff", kSkBuffSize, kSkBuff, kFilter};
const ContextLayout kTcLayout{"__sk_buff", kSkBuffSize, kSkBuff, kTc};
const ContextLayout kCgroupSkbLayout{"__sk_buff", kSkBuffSize, kSkBuff, kCgSkb};
const ContextLayout kLwtLayout{"__sk_buff", kSkBuffSize, kSkBuff, kLwt};
const ContextLayout kSkSkbLayout{"__sk_buff", kSkBuffSize, kSkBuff, kSkSkb};
const ContextLayout kFlowDissectorLayout{"__sk_buff", kSkBuffSize, kSkBuff, kFlow};
const ContextLayout kXdpLayout{"xdp_md", kXdpMdSize, kXdpMd, kXdpAny};
const ContextLayout kSkMsgLayout{"sk_msg_md", kSkMsgMdSize, kSkMsgMd};
const ContextLayout kSockOpsLayout{"bpf_sock_ops", kSockOpsSize, kSockOps};
const ContextLayout kSockLayout{"bpf_sock", kSockSize, kSock};
const ContextLayout kSockAddrLayout{"bpf_sock_addr", kSockAddrSize, kSockAddr};

} // namespace bpfcheck::platform::detail
