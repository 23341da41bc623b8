/* tp_syscalls.c: a syscount-style syscall counter on the raw_syscalls/sys_enter tracepoint:
 * per-CPU counts per syscall number, optionally only for a list of process ids that user space
 * writes into global data (.bss) before attaching; a .rodata flag selects failed-call mode.
 * Unsafe twin: tp_sys_enter_pidlist_unbounded trusts the user-space count as its loop bound. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define MAX_FILTER_PIDS 16
#define MAX_SYSCALLS 1024

/* /sys/kernel/tracing/events/raw_syscalls/sys_enter/format */
struct sys_enter_args {
	__u16 common_type;
	__u8 common_flags;
	__u8 common_preempt_count;
	__s32 common_pid;
	__s64 id;
	__u64 args[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, __u64);
} syscall_counts SEC(".maps");

/* Configuration, written by user space between open and load (.rodata) or before attach. */
const volatile __u8 count_by_process = 0;
__u32 filter_pids[MAX_FILTER_PIDS] = {};
__u32 nr_filter_pids = 0;
/* Events seen in total, for a rate display (.data: starts at 1 to mark a live object). */
__u64 events_seen = 1;

static __always_inline void count(__s64 id)
{
	__u32 key = count_by_process ? bpf_get_current_pid_tgid() >> 32 : (__u32)id;
	__u64 one = 1, *value;

	if (id < 0 || id >= MAX_SYSCALLS)
		return;
	value = bpf_map_lookup_elem(&syscall_counts, &key);
	if (value)
		*value += 1;
	else
		bpf_map_update_elem(&syscall_counts, &key, &one, BPF_NOEXIST);
}

SEC("tracepoint/raw_syscalls/sys_enter") EXPECT_ACCEPT
int tp_sys_enter_count(struct sys_enter_args *ctx)
{
	__sync_fetch_and_add(&events_seen, 1);
	count(ctx->id);
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter") EXPECT_ACCEPT
int tp_sys_enter_pidlist(struct sys_enter_args *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 i;

	for (i = 0; i < MAX_FILTER_PIDS && i < nr_filter_pids; i++) {
		if (filter_pids[i] == tgid) {
			count(ctx->id);
			break;
		}
	}
	return 0;
}

/* Bounded only by nr_filter_pids, which the verifier cannot know: it walks the loop until it
 * gives up (on 6.18 when the pending branches pass 8192: "jumps is too complex"). The mask keeps each array access in bounds; the loop itself is the problem. */
SEC("tracepoint/raw_syscalls/sys_enter") EXPECT_REJECT("unbounded-loop",
						       "is too complex",
						       "filter_pids[i & (MAX_FILTER_PIDS - 1)] == tgid")
int tp_sys_enter_pidlist_unbounded(struct sys_enter_args *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 i;

	for (i = 0; i < nr_filter_pids; i++) {
		if (filter_pids[i & (MAX_FILTER_PIDS - 1)] == tgid) {
			count(ctx->id);
			break;
		}
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
