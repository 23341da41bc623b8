// Helper prototypes of the generic family: clocks, random numbers, CPU ids, spin locks, timers,
// strings, loops, per-CPU pointers, dynptrs, syscall-program helpers and lirc (kernel/bpf/
// helpers.c, syscall.c, drivers/media/rc/bpf-lirc.c).
#include "helper_builders.h"

namespace bpfcheck::platform {
namespace {

using namespace detail;
using enum RetKind;

constexpr HelperPrototype kTable[] = {
    {5, "ktime_get_ns", Integer, {}},
    {7, "get_prandom_u32", Integer, {}, 0, 0, -1, 0, 0xffffffff},
    {8, "get_smp_processor_id", Integer, {}, 0, 0, -1, 0, 0xffffffff},
    {42, "get_numa_node_id", Integer, {}, 0, 0, -1, 0, 0x7fffffff},
    {77, "rc_repeat", Integer, {kCtx}, 0, 0, -1, 0, 0},
    {78, "rc_keydown", Integer, {kCtx, kAny, kAny, kAny}, 0, 0, -1, 0, 0},
    {92, "rc_pointer_rel", Integer, {kCtx, kAny, kAny}, 0, 0, -1, 0, 0},
    {93, "spin_lock", Void, {kSpinLock}},
    {94, "spin_unlock", Void, {kSpinLock}},
    {105, "strtol", Integer, {kMemRo, kSize, kAny, kLong}},
    {106, "strtoul", Integer, {kMemRo, kSize, kAny, kLong}},
    {118, "jiffies64", Integer, {}},
    {125, "ktime_get_boot_ns", Integer, {}},
    {153, "per_cpu_ptr", PtrToMemOrBtfIdOrNull, {kPercpuBtf, kAny}},
    {154, "this_cpu_ptr", PtrToMemOrBtfId, {kPercpuBtf}},
    {160, "ktime_get_coarse_ns", Integer, {}},
    {166, "sys_bpf", Integer, {kAny, kMemRo, kSize}},
    {167, "btf_find_by_name_kind", Integer, {kMemRo, kSize, kAny, kAny}},
    {168, "sys_close", Integer, {kAny}},
    {169, "timer_init", Integer, {kTimer, kMap, kAny}, kGplOnly, 0, -1, -kMaxErrno, 0},
    {170, "timer_set_callback", Integer, {kTimer, kFunc}, kGplOnly, 0, -1, -kMaxErrno, 0},
    {171, "timer_start", Integer, {kTimer, kAny, kAny}, kGplOnly, 0, -1, -kMaxErrno, 0},
    {172, "timer_cancel", Integer, {kTimer}, kGplOnly, 0, -1, -kMaxErrno, 1},
    // The callback runs at most `nr_loops` (argument 0) times, which bounds the loop.
    {181, "loop", Integer, {kAny, kFunc, kStackOrNull, kAny}},
    {182, "strncmp", Integer, {kMemRo, kSize, kConstStr}},
    {197,
     "dynptr_from_mem",
     Integer,
     {kMemUninit, kSizeOrZero, kAny, kDynptrUninit},
     0,
     0,
     -1,
     -kMaxErrno,
     0},
    {201,
     "dynptr_read",
     Integer,
     {kMemUninit, kSizeOrZero, kDynptr, kAny, kAny},
     0,
     0,
     -1,
     -kMaxErrno,
     0},
    {202,
     "dynptr_write",
     Integer,
     {kDynptr, kAny, kMemRo, kSizeOrZero, kAny},
     0,
     0,
     -1,
     -kMaxErrno,
     0},
    {203, "dynptr_data", PtrToDynptrMemOrNull, {kDynptr, kAny, kAllocSize}, 0, 0, 2},
    {208, "ktime_get_tai_ns", Integer, {}},
};

} // namespace

std::span<const HelperPrototype> misc_helpers() { return kTable; }

} // namespace bpfcheck::platform
