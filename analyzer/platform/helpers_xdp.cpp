// Helper prototypes of XDP and the redirect family (net/core/filter.c). The redirect helpers
// return the program type's verdict code on success (TC_ACT_REDIRECT or XDP_REDIRECT).
#include "helper_builders.h"

namespace bpfcheck::platform {
namespace {

using namespace detail;
using enum RetKind;
using enum MapType;

constexpr std::uint16_t kPkt = kChangesPktData;

constexpr HelperPrototype kTable[] = {
    {13, "clone_redirect", Integer, {kCtx, kAny, kAny}, 0, 0, -1, -kMaxErrno, 0},
    {23, "redirect", Integer, {kAny, kAny}},
    {44, "xdp_adjust_head", Integer, {kCtx, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {51,
     "redirect_map",
     Integer,
     {kMap, kAny, kAny},
     0,
     map_mask({Devmap, DevmapHash, Cpumap, Xskmap})},
    {54, "xdp_adjust_meta", Integer, {kCtx, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {65, "xdp_adjust_tail", Integer, {kCtx, kAny}, kPkt, 0, -1, -kMaxErrno, 0},
    {121,
     "xdp_output",
     Integer,
     {kBtf, kMap, kAny, kMemRo, kSizeOrZero},
     0,
     map_mask({PerfEventArray}),
     -1,
     -kMaxErrno,
     0},
    {152, "redirect_neigh", Integer, {kAny, kMemRoOrNull, kSizeOrZero, kAny}},
    {155, "redirect_peer", Integer, {kAny, kAny}},
    {188, "xdp_get_buff_len", Integer, {kCtx}, 0, 0, -1, 0, 0xffffffff},
    {189, "xdp_load_bytes", Integer, {kCtx, kAny, kMemUninit, kSize}, 0, 0, -1, -kMaxErrno, 0},
    {190, "xdp_store_bytes", Integer, {kCtx, kAny, kMemRo, kSize}, 0, 0, -1, -kMaxErrno, 0},
};

} // namespace

std::span<const HelperPrototype> xdp_helpers() { return kTable; }

} // namespace bpfcheck::platform
