/* tp_execsnoop.c: an execsnoop-style tracer (bcc libbpf-tools/execsnoop): the execve entry
 * tracepoint copies the filename and up to TOTAL_MAX_ARGS argv strings into one event kept in
 * a per-thread hash (too big for the stack), the exit tracepoint adds the return value and
 * sends the event through a perf event array, sized to the bytes actually used.
 * Unsafe twin: tp_execve_enter_overrun bounds the argument cursor with the size of the whole
 * buffer instead of the last argument's start, so bpf_probe_read_user_str may write past the
 * event. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define TASK_COMM_LEN 16
#define ARGSIZE 128
#define TOTAL_MAX_ARGS 20
#define FULL_MAX_ARGS_ARR (TOTAL_MAX_ARGS * ARGSIZE)
#define LAST_ARG (FULL_MAX_ARGS_ARR - ARGSIZE)
#define BASE_EVENT_SIZE (sizeof(struct exec_event) - FULL_MAX_ARGS_ARR)

struct exec_event {
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__s32 retval;
	__s32 args_count;
	__u32 args_size;
	char comm[TASK_COMM_LEN];
	char args[FULL_MAX_ARGS_ARR];
};

/* The tracepoint record of syscalls/sys_enter_* and sys_exit_* (see the format files). */
struct syscall_enter_ctx {
	__u64 common;
	__s64 id;
	__u64 args[6];
};

struct syscall_exit_ctx {
	__u64 common;
	__s64 id;
	__s64 ret;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct exec_event);
} execs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

const volatile __u32 max_args = TOTAL_MAX_ARGS;
static const struct exec_event empty_event = {};

SEC("tracepoint/syscalls/sys_enter_execve") EXPECT_ACCEPT
int tp_execve_enter(struct syscall_enter_ctx *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = id >> 32, tid = (__u32)id;
	const char **argv = (const char **)ctx->args[1];
	struct exec_event *e;
	const char *argp;
	long ret;
	int i;

	if (bpf_map_update_elem(&execs, &tid, &empty_event, BPF_NOEXIST))
		return 0;
	e = bpf_map_lookup_elem(&execs, &tid);
	if (!e)
		return 0;
	e->pid = pid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->args_count = 0;
	e->args_size = 0;
	ret = bpf_probe_read_user_str(e->args, ARGSIZE, (const char *)ctx->args[0]);
	if (ret <= ARGSIZE)
		e->args_size += ret;
	else
		e->args[0] = '\0';
	e->args_count++;

#pragma unroll
	for (i = 1; i < TOTAL_MAX_ARGS && i < max_args; i++) {
		if (bpf_probe_read_user(&argp, sizeof(argp), &argv[i]) || !argp)
			return 0;
		if (e->args_size > LAST_ARG)
			return 0;
		ret = bpf_probe_read_user_str(&e->args[e->args_size], ARGSIZE, argp);
		if (ret > ARGSIZE)
			return 0;
		e->args_count++;
		e->args_size += ret;
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
EXPECT_REJECT("map-value-out-of-bounds", "max value is outside of the allowed memory range",
	      "ret = bpf_probe_read_user_str(&e->args[e->args_size], ARGSIZE, argp)")
int tp_execve_enter_overrun(struct syscall_enter_ctx *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	const char **argv = (const char **)ctx->args[1];
	struct exec_event *e;
	const char *argp;
	long ret;
	int i;

	if (bpf_map_update_elem(&execs, &tid, &empty_event, BPF_NOEXIST))
		return 0;
	e = bpf_map_lookup_elem(&execs, &tid);
	if (!e)
		return 0;
	e->args_size = 0;
#pragma unroll
	for (i = 0; i < TOTAL_MAX_ARGS; i++) {
		if (bpf_probe_read_user(&argp, sizeof(argp), &argv[i]) || !argp)
			return 0;
		if (e->args_size > FULL_MAX_ARGS_ARR)
			return 0;
		ret = bpf_probe_read_user_str(&e->args[e->args_size], ARGSIZE, argp);
		if (ret > ARGSIZE)
			return 0;
		e->args_count++;
		e->args_size += ret;
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve") EXPECT_ACCEPT
int tp_execve_exit(struct syscall_exit_ctx *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_event *e;
	__u32 len;

	e = bpf_map_lookup_elem(&execs, &tid);
	if (!e)
		return 0;
	e->retval = ctx->ret;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	len = BASE_EVENT_SIZE + e->args_size;
	if (len <= sizeof(*e))
		bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, len);
	bpf_map_delete_elem(&execs, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
