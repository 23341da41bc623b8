/* perf_event_sampler.c: a CPU profiler in the style of bcc's profile: attached to a sampling
 * perf event on every CPU, it counts samples per (process, kernel stack, user stack) and keeps
 * the stacks in a stack-trace map for user space to symbolize. */
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define TASK_COMM_LEN 16
#define PERF_MAX_STACK_DEPTH 127
#define MAX_ENTRIES 10240

struct sample_key {
	__u32 pid;
	__s32 kernel_stack_id;
	__s32 user_stack_id;
	char comm[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, MAX_ENTRIES);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, PERF_MAX_STACK_DEPTH * sizeof(__u64));
} stack_traces SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, struct sample_key);
	__type(value, __u64);
} sample_counts SEC(".maps");

SEC("perf_event") EXPECT_ACCEPT
int perf_cpu_profile(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct sample_key key;
	__u64 one = 1, *count;

	if ((__u32)id == 0) /* the idle task */
		return 0;
	__builtin_memset(&key, 0, sizeof(key));
	key.pid = id >> 32;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	key.kernel_stack_id = bpf_get_stackid(ctx, &stack_traces, 0);
	key.user_stack_id = bpf_get_stackid(ctx, &stack_traces, BPF_F_USER_STACK);
	count = bpf_map_lookup_elem(&sample_counts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&sample_counts, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
