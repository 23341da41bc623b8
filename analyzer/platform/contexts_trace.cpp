// Context layouts of the tracing program types: raw readable bytes (x86-64 pt_regs for kprobe,
// the tracepoint record, raw tracepoint arguments) and bpf_perf_event_data, following the
// *_prog_is_valid_access functions of kernel/trace/bpf_trace.c. Read-only everywhere.
#include "contexts.h"

namespace bpfcheck::platform::detail {
namespace {

// struct pt_regs on x86-64: 21 eight-byte registers. This table describes x86-64 hosts only.
constexpr std::uint16_t kPtRegsSize = 21 * 8;
// A tracepoint record may be up to PERF_MAX_TRACE_SIZE (8192); its first 8 bytes (the common
// fields the perf core fills) are refused. The kernel compares a negative offset as unsigned
// and lets it through; we refuse it (it reads before the record).
constexpr std::uint16_t kPerfMaxTraceSize = 8192;
// bpf_raw_tracepoint_args: up to MAX_BPF_FUNC_ARGS u64 arguments.
constexpr std::uint16_t kRawTpArgsSize = 12 * 8;

// bpf_perf_event_data: registers need full 8-byte loads, the two u64 fields allow narrow ones.
constexpr ContextField kPerfEventData[] = {
    {"regs", 0, kPtRegsSize, kW8},
    {"sample_period", kPtRegsSize, 8, kAnyWidth},
    {"addr", kPtRegsSize + 8, 8, kAnyWidth},
};

// The writable raw tracepoint's first argument is the tracepoint buffer: a full u64 load at
// offset 0. Other loads (even inside that first word) read scalars, so "buffer" is a one-byte
// field whose only load is 8 bytes wide (extent 8), and "args" covers the rest byte by byte.
constexpr ContextField kRawTpWritableArgs[] = {
    {"buffer", 0, 1, kW8, 0, CtxValue::TpBuffer, kAllVariants, kAllVariants, 0, false, 8},
    {"args", 1, kRawTpArgsSize - 1, kAnyWidth},
};

} // namespace

const ContextLayout kRawTracepointWritableLayout{"bpf_raw_tracepoint_args", kRawTpArgsSize,
                                                 kRawTpWritableArgs};
const ContextLayout kKprobeLayout{"pt_regs", kPtRegsSize, {}, kAllVariants, true, 0, kAnyWidth};
const ContextLayout kTracepointLayout{
    "tracepoint record", kPerfMaxTraceSize, {}, kAllVariants, true, 8, kAnyWidth};
const ContextLayout kRawTracepointLayout{
    "bpf_raw_tracepoint_args", kRawTpArgsSize, {}, kAllVariants, true, 0, kAnyWidth};
const ContextLayout kPerfEventLayout{"bpf_perf_event_data", kPtRegsSize + 16, kPerfEventData};

} // namespace bpfcheck::platform::detail
