// Helper prototypes of the socket family: sockmap/sockhash redirects, sk_msg, sock_ops, socket
// lookups with their references, BTF socket casts, syncookies and socket options
// (net/core/filter.c, net/core/sock_map.c). Lookups acquire; bpf_sk_release releases.
#include "helper_builders.h"

namespace bpfcheck::platform {
namespace {

using namespace detail;
using enum RetKind;
using enum MapType;

constexpr std::uint16_t kPkt = kChangesPktData;
constexpr MapTypeMask kSockmap = map_mask({Sockmap});
constexpr MapTypeMask kSockhash = map_mask({Sockhash});
constexpr std::uint8_t kIpv4Header = 20, kIpv6Header = 40, kTcpHeader = 20;

constexpr HelperPrototype kTable[] = {
    {49, "setsockopt", Integer, {kCtx, kAny, kAny, kMemRo, kSize}, 0, 0, -1, -kMaxErrno, 0},
    {52, "sk_redirect_map", Integer, {kCtx, kMap, kAny, kAny}, 0, kSockmap},
    {53, "sock_map_update", Integer, {kCtx, kMap, kKey, kAny}, 0, kSockmap, -1, -kMaxErrno, 0},
    {57, "getsockopt", Integer, {kCtx, kAny, kAny, kMemUninit, kSize}, 0, 0, -1, -kMaxErrno, 0},
    {59, "sock_ops_cb_flags_set", Integer, {kCtx, kAny}},
    {60, "msg_redirect_map", Integer, {kCtx, kMap, kAny, kAny}, 0, kSockmap},
    {61, "msg_apply_bytes", Integer, {kCtx, kAny}, 0, 0, -1, 0, 0},
    {62, "msg_cork_bytes", Integer, {kCtx, kAny}, 0, 0, -1, 0, 0},
    {63, "msg_pull_data", Integer, {kCtx, kAny, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {64, "bind", Integer, {kCtx, kMemRo, kSize}, 0, 0, -1, -kMaxErrno, 0},
    {70, "sock_hash_update", Integer, {kCtx, kMap, kKey, kAny}, 0, kSockhash, -1, -kMaxErrno, 0},
    {71, "msg_redirect_hash", Integer, {kCtx, kMap, kKey, kAny}, 0, kSockhash},
    {72, "sk_redirect_hash", Integer, {kCtx, kMap, kKey, kAny}, 0, kSockhash},
    {82,
     "sk_select_reuseport",
     Integer,
     {kCtx, kMap, kKey, kAny},
     0,
     map_mask({ReuseportSockarray, Sockmap, Sockhash}),
     -1,
     -kMaxErrno,
     0},
    {84, "sk_lookup_tcp", PtrToSocketOrNull, {kCtx, kMemRo, kSize, kAny, kAny}, kAcquire},
    {85, "sk_lookup_udp", PtrToSocketOrNull, {kCtx, kMemRo, kSize, kAny, kAny}, kAcquire},
    {86, "sk_release", Integer, {kBtfSockCommonRelease}, 0, 0, -1, 0, 0},
    {90, "msg_push_data", Integer, {kCtx, kAny, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {91, "msg_pop_data", Integer, {kCtx, kAny, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {95, "sk_fullsock", PtrToSocketOrNull, {kSockCommon}},
    {96, "tcp_sock", PtrToTcpSockOrNull, {kSockCommon}},
    {98, "get_listener_sock", PtrToSocketOrNull, {kSockCommon}},
    {99, "skc_lookup_tcp", PtrToSockCommonOrNull, {kCtx, kMemRo, kSize, kAny, kAny}, kAcquire},
    {100, "tcp_check_syncookie", Integer, {kBtfSockCommon, kMemRo, kSize, kMemRo, kSize}, kGplOnly},
    {101, "sysctl_get_name", Integer, {kCtx, kMemUninit, kSize, kAny}},
    {102, "sysctl_get_current_value", Integer, {kCtx, kMemUninit, kSize}},
    {103, "sysctl_get_new_value", Integer, {kCtx, kMemUninit, kSize}},
    {104, "sysctl_set_new_value", Integer, {kCtx, kMemRo, kSize}, 0, 0, -1, -kMaxErrno, 0},
    {110, "tcp_gen_syncookie", Integer, {kBtfSockCommon, kMemRo, kSize, kMemRo, kSize}, kGplOnly},
    {116, "tcp_send_ack", Integer, {kBtf, kAny}},
    {122, "get_netns_cookie", Integer, {kCtxOrNull}},
    {124, "sk_assign", Integer, {kCtx, kBtfSockCommon, kAny}, 0, 0, -1, -kMaxErrno, 0},
    {128, "sk_cgroup_id", Integer, {kBtfSockCommon}},
    {129, "sk_ancestor_cgroup_id", Integer, {kBtfSockCommon, kAny}},
    {136, "skc_to_tcp6_sock", PtrToBtfIdOrNull, {kBtfSockCommon}},
    {137, "skc_to_tcp_sock", PtrToBtfIdOrNull, {kBtfSockCommon}},
    {138, "skc_to_tcp_timewait_sock", PtrToBtfIdOrNull, {kBtfSockCommon}},
    {139, "skc_to_tcp_request_sock", PtrToBtfIdOrNull, {kBtfSockCommon}},
    {140, "skc_to_udp6_sock", PtrToBtfIdOrNull, {kBtfSockCommon}},
    {142, "load_hdr_opt", Integer, {kCtx, kMem, kSize, kAny}},
    {143, "store_hdr_opt", Integer, {kCtx, kMemRo, kSize, kAny}, 0, 0, -1, -kMaxErrno, 0},
    {144, "reserve_hdr_opt", Integer, {kCtx, kAny, kAny}, 0, 0, -1, -kMaxErrno, 0},
    {178, "skc_to_unix_sock", PtrToBtfIdOrNull, {kBtfSockCommon}},
    {186, "get_retval", Integer, {}},
    {187, "set_retval", Integer, {kAny}, 0, 0, -1, 0, 0},
    {196, "skc_to_mptcp_sock", PtrToBtfIdOrNull, {kSockCommon}},
    {204,
     "tcp_raw_gen_syncookie_ipv4",
     Integer,
     {fixed_mem_ro(kIpv4Header), kMemRo, kSize},
     kGplOnly},
    {205,
     "tcp_raw_gen_syncookie_ipv6",
     Integer,
     {fixed_mem_ro(kIpv6Header), kMemRo, kSize},
     kGplOnly},
    {206,
     "tcp_raw_check_syncookie_ipv4",
     Integer,
     {fixed_mem_ro(kIpv4Header), fixed_mem_ro(kTcpHeader)},
     kGplOnly,
     0,
     -1,
     -kMaxErrno,
     0},
    {207,
     "tcp_raw_check_syncookie_ipv6",
     Integer,
     {fixed_mem_ro(kIpv6Header), fixed_mem_ro(kTcpHeader)},
     kGplOnly,
     0,
     -1,
     -kMaxErrno,
     0},
};

} // namespace

std::span<const HelperPrototype> sock_helpers() { return kTable; }

} // namespace bpfcheck::platform
