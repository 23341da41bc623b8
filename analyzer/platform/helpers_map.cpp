// Helper prototypes of the map family: element operations, local storages, ring buffers and
// kptr exchange, transcribed from the kernel's bpf_func_proto definitions (kernel/bpf/helpers.c,
// bpf_*_storage.c, ringbuf.c) and check_map_func_compatibility in verifier.c.
#include "helper_builders.h"

namespace bpfcheck::platform {
namespace {

using namespace detail;
using enum RetKind;
using enum MapType;

constexpr MapTypeMask kQueueStack = map_mask({Queue, Stack});
constexpr MapTypeMask kQueueStackBloom = map_mask({Queue, Stack, BloomFilter});
constexpr MapTypeMask kPercpu = map_mask({PercpuHash, PercpuArray, LruPercpuHash});
constexpr MapTypeMask kIterable =
    map_mask({Hash, LruHash, Array, PercpuHash, LruPercpuHash, PercpuArray});

// ret_min/ret_max narrow the integer result only where the documentation promises a range.
constexpr HelperPrototype kTable[] = {
    {1, "map_lookup_elem", PtrToMapValueOrNull, {kMap, kKey}},
    {2, "map_update_elem", Integer, {kMap, kKey, kValue, kAny}, 0, 0, -1, -kMaxErrno, 0},
    {3, "map_delete_elem", Integer, {kMap, kKey}, 0, 0, -1, -kMaxErrno, 0},
    {12, "tail_call", Integer, {kCtx, kMap, kAny}, kNoCallback, map_mask({ProgArray})},
    {81,
     "get_local_storage",
     PtrToMapValue,
     {kMap, kAny},
     0,
     map_mask({CgroupStorage, PercpuCgroupStorage})},
    {87, "map_push_elem", Integer, {kMap, kValue, kAny}, 0, kQueueStackBloom, -1, -kMaxErrno, 0},
    {88, "map_pop_elem", Integer, {kMap, kUninitValue}, 0, kQueueStack, -1, -kMaxErrno, 0},
    {89, "map_peek_elem", Integer, {kMap, kUninitValue}, 0, kQueueStackBloom, -1, -kMaxErrno, 0},
    {107,
     "sk_storage_get",
     PtrToMapValueOrNull,
     {kMap, kBtfSockCommon, kValueOrNull, kAny},
     0,
     map_mask({SkStorage})},
    {108,
     "sk_storage_delete",
     Integer,
     {kMap, kBtfSockCommon},
     0,
     map_mask({SkStorage}),
     -1,
     -kMaxErrno,
     0},
    {130,
     "ringbuf_output",
     Integer,
     {kMap, kMemRo, kSizeOrZero, kAny},
     0,
     map_mask({Ringbuf}),
     -1,
     -kMaxErrno,
     0},
    // The reserved record is sized by argument 1 and must be submitted or discarded.
    {131,
     "ringbuf_reserve",
     PtrToAllocMemOrNull,
     {kMap, kAllocSize, kAny},
     kAcquire,
     map_mask({Ringbuf}),
     1},
    {132, "ringbuf_submit", Void, {kRingbufRelease, kAny}},
    {133, "ringbuf_discard", Void, {kRingbufRelease, kAny}},
    {134, "ringbuf_query", Integer, {kMap, kAny}, 0, map_mask({Ringbuf})},
    {145,
     "inode_storage_get",
     PtrToMapValueOrNull,
     {kMap, kBtfOrNull, kValueOrNull, kAny},
     0,
     map_mask({InodeStorage})},
    {146,
     "inode_storage_delete",
     Integer,
     {kMap, kBtfOrNull},
     0,
     map_mask({InodeStorage}),
     -1,
     -kMaxErrno,
     0},
    {156,
     "task_storage_get",
     PtrToMapValueOrNull,
     {kMap, kBtfOrNull, kValueOrNull, kAny},
     0,
     map_mask({TaskStorage})},
    {157,
     "task_storage_delete",
     Integer,
     {kMap, kBtfOrNull},
     0,
     map_mask({TaskStorage}),
     -1,
     -kMaxErrno,
     0},
    // The callback decides how many elements are visited; the count is returned.
    {164, "for_each_map_elem", Integer, {kMap, kFunc, kStackOrNull, kAny}, 0, kIterable},
    {194,
     "kptr_xchg",
     PtrToMemOrNull,
     {kKptr, {ArgKind::PtrToBtfId, kMaybeNull | kRelease}},
     kAcquire},
    {195, "map_lookup_percpu_elem", PtrToMapValueOrNull, {kMap, kKey, kAny}, 0, kPercpu},
    {198,
     "ringbuf_reserve_dynptr",
     Integer,
     {kMap, kAny, kAny, kDynptrUninit},
     kAcquire,
     map_mask({Ringbuf}),
     -1,
     -kMaxErrno,
     0},
    {199, "ringbuf_submit_dynptr", Void, {kDynptrRelease, kAny}},
    {200, "ringbuf_discard_dynptr", Void, {kDynptrRelease, kAny}},
    {209,
     "user_ringbuf_drain",
     Integer,
     {kMap, kFunc, kStackOrNull, kAny},
     0,
     map_mask({UserRingbuf})},
    // Newer than Debian 12's UAPI header (kernel 6.2); numbered from the kernel source.
    {210,
     "cgrp_storage_get",
     PtrToMapValueOrNull,
     {kMap, kBtfOrNull, kValueOrNull, kAny},
     0,
     map_mask({CgrpStorage})},
    {211,
     "cgrp_storage_delete",
     Integer,
     {kMap, kBtfOrNull},
     0,
     map_mask({CgrpStorage}),
     -1,
     -kMaxErrno,
     0},
};

} // namespace

std::span<const HelperPrototype> map_helpers() { return kTable; }

} // namespace bpfcheck::platform
