/* tp_sched_latency.c: a runqlat-style scheduler latency histogram: the sched_wakeup tracepoint
 * stamps the woken task, sched_switch measures how long it waited for a CPU and adds it to a
 * log2 histogram (a bounded loop computes the bucket). The tracepoint records are declared here
 * from their stable format files, as tools do without vmlinux.h. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define TASK_COMM_LEN 16
#define MAX_SLOTS 26
#define TASK_RUNNING 0

/* /sys/kernel/tracing/events/sched/sched_wakeup/format */
struct sched_wakeup_args {
	__u16 common_type;
	__u8 common_flags;
	__u8 common_preempt_count;
	__s32 common_pid;
	char comm[TASK_COMM_LEN];
	__s32 pid;
	__s32 prio;
	__s32 target_cpu;
};

/* /sys/kernel/tracing/events/sched/sched_switch/format */
struct sched_switch_args {
	__u16 common_type;
	__u8 common_flags;
	__u8 common_preempt_count;
	__s32 common_pid;
	char prev_comm[TASK_COMM_LEN];
	__s32 prev_pid;
	__s32 prev_prio;
	__s64 prev_state;
	char next_comm[TASK_COMM_LEN];
	__s32 next_pid;
	__s32 next_prio;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} wakeup_ts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} runq_hist SEC(".maps");

/* Wakeups dropped because wakeup_ts was full; read by user space from .bss. */
__u64 dropped_wakeups = 0;

static __always_inline void stamp(__s32 pid)
{
	__u32 key = pid;
	__u64 now = bpf_ktime_get_ns();

	if (!pid)
		return;
	if (bpf_map_update_elem(&wakeup_ts, &key, &now, BPF_ANY))
		__sync_fetch_and_add(&dropped_wakeups, 1);
}

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 slot = 0;
	int i;

	for (i = 0; i < MAX_SLOTS - 1; i++) {
		if (v <= 1)
			break;
		v >>= 1;
		slot++;
	}
	return slot;
}

SEC("tracepoint/sched/sched_wakeup") EXPECT_ACCEPT
int tp_sched_wakeup(struct sched_wakeup_args *ctx)
{
	stamp(ctx->pid);
	return 0;
}

SEC("tracepoint/sched/sched_switch") EXPECT_ACCEPT
int tp_sched_switch(struct sched_switch_args *ctx)
{
	__u32 next = ctx->next_pid, slot;
	__u64 *tsp, delta_us, *count;

	/* A task preempted while runnable waits again from now on. */
	if (ctx->prev_state == TASK_RUNNING)
		stamp(ctx->prev_pid);
	tsp = bpf_map_lookup_elem(&wakeup_ts, &next);
	if (!tsp)
		return 0;
	delta_us = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&wakeup_ts, &next);
	slot = log2_slot(delta_us);
	count = bpf_map_lookup_elem(&runq_hist, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
