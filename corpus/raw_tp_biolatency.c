/* raw_tp_biolatency.c: a biolatency-style block I/O latency histogram (as bcc's
 * libbpf-tools/biolatency without BTF): raw tracepoints on block_rq_insert/issue store the
 * start time per request pointer (args[0]) in a hash, block_rq_complete computes the latency,
 * takes its log2 and bumps a slot of a histogram held in an array map value. A .rodata switch
 * selects milliseconds instead of microseconds; a .bss counter counts requests seen without a
 * start time.
 * Unsafe twin: raw_tp_block_rq_complete_clamp clamps the slot to MAX_SLOTS instead of
 * MAX_SLOTS - 1, one past the histogram. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define MAX_SLOTS 27
#define MAX_ENTRIES 10240

struct hist {
	__u32 slots[MAX_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, __u64);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} hists SEC(".maps");

const volatile __u8 targ_ms = 0;
__u64 missed_starts = 0;

/* log2 of a 64-bit value without a loop, as libbpf-tools' bits.bpf.h does it. */
static __always_inline __u64 log2_u32(__u32 v)
{
	__u32 shift, r;

	r = (v > 0xFFFF) << 4; v >>= r;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u64 log2_u64(__u64 v)
{
	__u32 hi = v >> 32;

	if (hi)
		return log2_u32(hi) + 32;
	return log2_u32(v);
}

static __always_inline int trace_rq_start(__u64 rq)
{
	__u64 ts = bpf_ktime_get_ns();

	bpf_map_update_elem(&start, &rq, &ts, BPF_ANY);
	return 0;
}

SEC("raw_tracepoint/block_rq_insert") EXPECT_ACCEPT
int raw_tp_block_rq_insert(struct bpf_raw_tracepoint_args *ctx)
{
	return trace_rq_start(ctx->args[0]);
}

SEC("raw_tracepoint/block_rq_issue") EXPECT_ACCEPT
int raw_tp_block_rq_issue(struct bpf_raw_tracepoint_args *ctx)
{
	return trace_rq_start(ctx->args[0]);
}

SEC("raw_tracepoint/block_rq_complete") EXPECT_ACCEPT
int raw_tp_block_rq_complete(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 rq = ctx->args[0];
	__u64 *tsp, delta, slot;
	struct hist *h;
	__u32 zero = 0;

	tsp = bpf_map_lookup_elem(&start, &rq);
	if (!tsp) {
		__sync_fetch_and_add(&missed_starts, 1);
		return 0;
	}
	delta = bpf_ktime_get_ns() - *tsp;
	bpf_map_delete_elem(&start, &rq);
	h = bpf_map_lookup_elem(&hists, &zero);
	if (!h)
		return 0;
	delta /= targ_ms ? 1000000U : 1000U;
	slot = log2_u64(delta);
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

/* The clamp lets slot reach MAX_SLOTS, one element past the histogram. */
SEC("raw_tracepoint/block_rq_complete")
EXPECT_REJECT("map-value-out-of-bounds", "value is outside of the allowed memory range",
	      "__sync_fetch_and_add(&h->slots[slot], 1)")
int raw_tp_block_rq_complete_clamp(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 rq = ctx->args[0];
	__u64 *tsp, delta, slot;
	struct hist *h;
	__u32 zero = 0;

	tsp = bpf_map_lookup_elem(&start, &rq);
	if (!tsp)
		return 0;
	delta = bpf_ktime_get_ns() - *tsp;
	bpf_map_delete_elem(&start, &rq);
	h = bpf_map_lookup_elem(&hists, &zero);
	if (!h)
		return 0;
	slot = log2_u64(delta / 1000U);
	if (slot > MAX_SLOTS)
		slot = MAX_SLOTS;
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
