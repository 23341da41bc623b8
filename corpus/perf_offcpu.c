/* perf_offcpu.c: stack-sampling profilers. offcputime-style: on sched_switch the previous
 * task's start of off-CPU time is stored, and when it is switched back in the blocked time is
 * added to a hash keyed by (pid, kernel stack id, user stack id) from a STACK_TRACE map. A
 * perf_event program samples user stacks with bpf_get_stack into a per-CPU scratch buffer
 * and ships them through a ring buffer.
 * Unsafe twin: perf_sample_stack_small copies up to PERF_MAX_STACK_DEPTH frames into a
 * 32-frame stack array. */
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define PERF_MAX_STACK_DEPTH 127
#define TASK_COMM_LEN 16

struct offcpu_key {
	__u32 pid;
	__u32 tgid;
	__s32 kern_stack_id;
	__s32 user_stack_id;
	char comm[TASK_COMM_LEN];
};

/* tracepoint/sched/sched_switch record (format file), without the comm fields' padding. */
struct sched_switch_args {
	__u64 common;
	char prev_comm[TASK_COMM_LEN];
	__s32 prev_pid;
	__s32 prev_prio;
	__s64 prev_state;
	char next_comm[TASK_COMM_LEN];
	__s32 next_pid;
	__s32 next_prio;
};

struct stack_sample {
	__u32 pid;
	__u32 cpu;
	__s64 user_len;
	__u64 ips[PERF_MAX_STACK_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, PERF_MAX_STACK_DEPTH * sizeof(__u64));
} stackmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} off_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct offcpu_key);
	__type(value, __u64);
} off_time SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stack_sample);
} sample_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} samples SEC(".maps");

/* Off-CPU periods shorter than this are ignored (set by the loader). */
const volatile __u64 min_block_ns = 1000;

SEC("tracepoint/sched/sched_switch") EXPECT_ACCEPT
int offcpu_sched_switch(struct sched_switch_args *ctx)
{
	__u32 prev = ctx->prev_pid, next = ctx->next_pid;
	__u64 now = bpf_ktime_get_ns(), *tsp, delta, zero = 0, *total;
	struct offcpu_key key = {};

	/* The previous task goes off CPU now. */
	if (prev)
		bpf_map_update_elem(&off_start, &prev, &now, BPF_ANY);
	tsp = bpf_map_lookup_elem(&off_start, &next);
	if (!tsp)
		return 0;
	delta = now - *tsp;
	bpf_map_delete_elem(&off_start, &next);
	if (delta < min_block_ns)
		return 0;
	/* Runs in the context of prev: the stacks are the ones it blocked in. */
	key.pid = next;
	key.tgid = bpf_get_current_pid_tgid() >> 32;
	key.kern_stack_id = bpf_get_stackid(ctx, &stackmap, 0);
	key.user_stack_id = bpf_get_stackid(ctx, &stackmap, BPF_F_USER_STACK);
	__builtin_memcpy(key.comm, ctx->next_comm, TASK_COMM_LEN);
	total = bpf_map_lookup_elem(&off_time, &key);
	if (!total) {
		bpf_map_update_elem(&off_time, &key, &zero, BPF_NOEXIST);
		total = bpf_map_lookup_elem(&off_time, &key);
		if (!total)
			return 0;
	}
	__sync_fetch_and_add(total, delta / 1000);
	return 0;
}

SEC("perf_event") EXPECT_ACCEPT
int perf_sample_stack(struct bpf_perf_event_data *ctx)
{
	struct stack_sample *s;
	__u32 zero = 0;
	long len;

	s = bpf_map_lookup_elem(&sample_scratch, &zero);
	if (!s)
		return 0;
	s->pid = bpf_get_current_pid_tgid() >> 32;
	s->cpu = bpf_get_smp_processor_id();
	len = bpf_get_stack(ctx, s->ips, sizeof(s->ips), BPF_F_USER_STACK);
	if (len < 0)
		return 0;
	s->user_len = len;
	bpf_ringbuf_output(&samples, s, sizeof(*s), 0);
	return 0;
}

/* A "light" variant keeps only the top 32 frames on the stack but still asks the helper for
 * the full depth. */
SEC("perf_event") EXPECT_REJECT("helper-argument", "invalid write to stack",
				"len = bpf_get_stack(ctx, ips, PERF_MAX_STACK_DEPTH * sizeof(__u64), 0)")
int perf_sample_stack_small(struct bpf_perf_event_data *ctx)
{
	__u64 ips[32];
	long len;

	len = bpf_get_stack(ctx, ips, PERF_MAX_STACK_DEPTH * sizeof(__u64), 0);
	if (len <= 0)
		return 0;
	bpf_ringbuf_output(&samples, ips, sizeof(ips), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
