/* kprobe_tcp_connect.c: a tcpconnect-style tracer: a kprobe on tcp_v4_connect remembers the
 * socket per thread, the kretprobe reads the destination from it once the connect call has
 * returned and reports it through a perf event array. The socket layout comes from the running
 * kernel's BTF (CO-RE), declared here as a minimal struct with preserve_access_index.
 * Unsafe twin: tcp_v4_connect_exit_rb was half-ported to a ring buffer and still passes it to
 * bpf_perf_event_output. */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bpfcheck_expect.h"

#define TASK_COMM_LEN 16

/* Only the fields used; CO-RE relocates the offsets against /sys/kernel/btf/vmlinux. */
struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

struct connect_event {
	__u32 pid;
	__be32 saddr;
	__be32 daddr;
	__be16 dport;
	__u16 pad;
	char comm[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32); /* thread id */
	__type(value, struct sock *);
} connecting SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} connect_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} connect_events_rb SEC(".maps");

SEC("kprobe/tcp_v4_connect") EXPECT_ACCEPT
int BPF_KPROBE(tcp_v4_connect_entry, struct sock *sk)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&connecting, &tid, &sk, BPF_ANY);
	return 0;
}

static __always_inline int fill_event(struct connect_event *e, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sock **skpp, *sk;

	skpp = bpf_map_lookup_elem(&connecting, &tid);
	if (!skpp)
		return -1;
	sk = *skpp;
	bpf_map_delete_elem(&connecting, &tid);
	if (ret) /* connect failed early: nothing was sent */
		return -1;
	__builtin_memset(e, 0, sizeof(*e));
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	e->daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	e->dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return 0;
}

SEC("kretprobe/tcp_v4_connect") EXPECT_ACCEPT
int BPF_KRETPROBE(tcp_v4_connect_exit, int ret)
{
	struct connect_event e;

	if (fill_event(&e, ret))
		return 0;
	bpf_perf_event_output(ctx, &connect_events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

SEC("kretprobe/tcp_v4_connect") EXPECT_REJECT("helper-argument", "cannot pass map_type 27",
						"bpf_perf_event_output(ctx, &connect_events_rb")
int BPF_KRETPROBE(tcp_v4_connect_exit_rb, int ret)
{
	struct connect_event e;

	if (fill_event(&e, ret))
		return 0;
	bpf_perf_event_output(ctx, &connect_events_rb, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
