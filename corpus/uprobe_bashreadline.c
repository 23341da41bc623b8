/* uprobe_bashreadline.c: user-space tracing with uprobes, as bcc's bashreadline and memleak
 * do it. A uretprobe on bash's readline() copies the returned command line into an event sent
 * through a perf event array; a uprobe/uretprobe pair on malloc() records outstanding
 * allocations (size per thread on entry, address -> size on return) with per-CPU totals.
 * Unsafe twin: uretprobe_readline_len copies a length taken from user memory without
 * bounding it to the event buffer. */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bpfcheck_expect.h"

#define MAX_LINE_SIZE 80
#define TASK_COMM_LEN 16

struct readline_event {
	__u32 pid;
	__u32 len;
	char comm[TASK_COMM_LEN];
	char line[MAX_LINE_SIZE];
};

struct alloc_info {
	__u64 size;
	__u64 ts_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} lines SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} sizes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1000000);
	__type(key, __u64);
	__type(value, struct alloc_info);
} allocs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} outstanding_bytes SEC(".maps");

/* Allocations below this size are not tracked (set by the loader). */
const volatile __u64 min_size = 0;

SEC("uretprobe//bin/bash:readline") EXPECT_ACCEPT
int BPF_KRETPROBE(uretprobe_readline, const void *ret)
{
	struct readline_event e = {};

	if (!ret)
		return 0;
	bpf_get_current_comm(&e.comm, sizeof(e.comm));
	e.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_probe_read_user_str(&e.line, sizeof(e.line), ret);
	bpf_perf_event_output(ctx, &lines, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

/* Variant for a line editor that returns a counted string (length word, then bytes): the
 * length comes from user memory and reaches the copy unbounded. */
SEC("uretprobe//usr/lib/libedit.so:el_gets")
EXPECT_REJECT("helper-argument", "unbounded memory access",
	      "bpf_probe_read_user(&e.line, e.len, (const char *)ret + 4)")
int BPF_KRETPROBE(uretprobe_readline_len, const void *ret)
{
	struct readline_event e = {};

	if (!ret)
		return 0;
	e.pid = bpf_get_current_pid_tgid() >> 32;
	if (bpf_probe_read_user(&e.len, sizeof(e.len), ret))
		return 0;
	bpf_probe_read_user(&e.line, e.len, (const char *)ret + 4);
	bpf_perf_event_output(ctx, &lines, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

SEC("uprobe/libc.so.6:malloc") EXPECT_ACCEPT
int BPF_KPROBE(uprobe_malloc_enter, __u64 size)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (size < min_size)
		return 0;
	bpf_map_update_elem(&sizes, &tid, &size, BPF_ANY);
	return 0;
}

SEC("uretprobe/libc.so.6:malloc") EXPECT_ACCEPT
int BPF_KRETPROBE(uretprobe_malloc_exit, void *address)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct alloc_info info = {};
	__u64 addr = (__u64)address, *size, *total;
	__u32 zero = 0;

	size = bpf_map_lookup_elem(&sizes, &tid);
	if (!size)
		return 0;
	info.size = *size;
	bpf_map_delete_elem(&sizes, &tid);
	if (!addr)
		return 0;
	info.ts_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&allocs, &addr, &info, BPF_ANY);
	total = bpf_map_lookup_elem(&outstanding_bytes, &zero);
	if (total)
		*total += info.size;
	return 0;
}

SEC("uprobe/libc.so.6:free") EXPECT_ACCEPT
int BPF_KPROBE(uprobe_free_enter, void *address)
{
	__u64 addr = (__u64)address;
	struct alloc_info *info;
	__u32 zero = 0;
	__u64 *total;

	info = bpf_map_lookup_elem(&allocs, &addr);
	if (!info)
		return 0;
	total = bpf_map_lookup_elem(&outstanding_bytes, &zero);
	if (total)
		*total -= info->size;
	bpf_map_delete_elem(&allocs, &addr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
