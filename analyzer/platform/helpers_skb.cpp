// Helper prototypes of the socket-buffer family: packet bytes, checksums, tunnels, encapsulation
// and the lightweight-tunnel helpers (net/core/filter.c). kChangesPktData marks those the
// kernel lists in bpf_helper_changes_pkt_data: they invalidate every packet pointer.
#include "helper_builders.h"

namespace bpfcheck::platform {
namespace {

using namespace detail;
using enum RetKind;

constexpr std::uint16_t kPkt = kChangesPktData;

constexpr HelperPrototype kTable[] = {
    {9, "skb_store_bytes", Integer, {kCtx, kAny, kMemRo, kSize, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {10, "l3_csum_replace", Integer, {kCtx, kAny, kAny, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {11, "l4_csum_replace", Integer, {kCtx, kAny, kAny, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {17, "get_cgroup_classid", Integer, {kCtx}},
    {18, "skb_vlan_push", Integer, {kCtx, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {19, "skb_vlan_pop", Integer, {kCtx}, kPkt, 0, -1, -kMaxErrno, 0},
    {20, "skb_get_tunnel_key", Integer, {kCtx, kMemUninit, kSize, kAny}, 0, 0, -1, -kMaxErrno, 0},
    {21, "skb_set_tunnel_key", Integer, {kCtx, kMemRo, kSize, kAny}, 0, 0, -1, -kMaxErrno, 0},
    {24, "get_route_realm", Integer, {kCtx}},
    {26, "skb_load_bytes", Integer, {kCtx, kAny, kMemUninit, kSize}, 0, 0, -1, -kMaxErrno, 0},
    {28, "csum_diff", Integer, {kMemRoOrNull, kSizeOrZero, kMemRoOrNull, kSizeOrZero, kAny}},
    {29, "skb_get_tunnel_opt", Integer, {kCtx, kMemUninit, kSize}},
    {30, "skb_set_tunnel_opt", Integer, {kCtx, kMemRo, kSize}, 0, 0, -1, -kMaxErrno, 0},
    {31, "skb_change_proto", Integer, {kCtx, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {32, "skb_change_type", Integer, {kCtx, kAny}, 0, 0, -1, -kMaxErrno, 0},
    {33,
     "skb_under_cgroup",
     Integer,
     {kCtx, kMap, kAny},
     0,
     map_mask({MapType::CgroupArray}),
     -1,
     -kMaxErrno,
     1},
    {34, "get_hash_recalc", Integer, {kCtx}},
    {38, "skb_change_tail", Integer, {kCtx, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {39, "skb_pull_data", Integer, {kCtx, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {40, "csum_update", Integer, {kCtx, kAny}},
    {41, "set_hash_invalid", Integer, {kCtx}},
    {43, "skb_change_head", Integer, {kCtx, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {46, "get_socket_cookie", Integer, {kCtx}},
    {47, "get_socket_uid", Integer, {kCtx}},
    {48, "set_hash", Integer, {kCtx, kAny}, 0, 0, -1, 0, 0},
    {50, "skb_adjust_room", Integer, {kCtx, kAny, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {66,
     "skb_get_xfrm_state",
     Integer,
     {kCtx, kAny, kMemUninit, kSize, kAny},
     0,
     0,
     -1,
     -kMaxErrno,
     0},
    {68,
     "skb_load_bytes_relative",
     Integer,
     {kCtx, kAny, kMemUninit, kSize, kAny},
     0,
     0,
     -1,
     -kMaxErrno,
     0},
    // Shared by tc and xdp; a positive result is a BPF_FIB_LKUP_RET_* code.
    {69, "fib_lookup", Integer, {kCtx, kMem, kSize, kAny}, kGplOnly},
    {73, "lwt_push_encap", Integer, {kCtx, kAny, kMemRo, kSize}, kPkt, 0, -1, -kMaxErrno, 0},
    {74, "lwt_seg6_store_bytes", Integer, {kCtx, kAny, kMemRo, kSize}, kPkt, 0, -1, -kMaxErrno, 0},
    {75, "lwt_seg6_adjust_srh", Integer, {kCtx, kAny, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {76, "lwt_seg6_action", Integer, {kCtx, kAny, kMemRo, kSize}, kPkt, 0, -1, -kMaxErrno, 0},
    {79, "skb_cgroup_id", Integer, {kCtx}},
    {83, "skb_ancestor_cgroup_id", Integer, {kCtx, kAny}},
    {97, "skb_ecn_set_ce", Integer, {kCtx}, 0, 0, -1, 0, 1},
    {135, "csum_level", Integer, {kCtx, kAny}},
    {151, "skb_cgroup_classid", Integer, {kCtx}},
    {163, "check_mtu", Integer, {kCtx, kAny, kInt, kAny, kAny}, kGplOnly},
    {192, "skb_set_tstamp", Integer, {kCtx, kAny, kAny}, 0, 0, -1, -kMaxErrno, 0},
};

} // namespace

std::span<const HelperPrototype> skb_helpers() { return kTable; }

} // namespace bpfcheck::platform
