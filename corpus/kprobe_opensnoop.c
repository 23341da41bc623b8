/* kprobe_opensnoop.c: an opensnoop-style tracer: a kprobe on do_sys_openat2 reports every
 * file open (pid, uid, comm, path) to user space through a BPF ring buffer.
 * Unsafe twins: kprobe_openat_leak returns without submitting or discarding its reservation
 * when the path cannot be read; kprobe_openat_overflow lets the string helper write the size
 * of the whole event into the path field. */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bpfcheck_expect.h"

#define TASK_COMM_LEN 16
#define NAME_MAX 255

struct open_event {
	__u32 pid;
	__u32 uid;
	__s32 dfd;
	__u32 pad;
	char comm[TASK_COMM_LEN];
	char fname[NAME_MAX + 1];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} open_events SEC(".maps");

/* Set by the loader: trace only this process (0 = all). */
const volatile __u32 target_tgid = 0;

static __always_inline int traced(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	return !target_tgid || tgid == target_tgid;
}

SEC("kprobe/do_sys_openat2") EXPECT_ACCEPT
int BPF_KPROBE(kprobe_openat_snoop, int dfd, const char *filename)
{
	struct open_event *e;

	if (!traced())
		return 0;
	e = bpf_ringbuf_reserve(&open_events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->dfd = dfd;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_user_str(e->fname, sizeof(e->fname), filename) < 0) {
		bpf_ringbuf_discard(e, 0);
		return 0;
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* The error path forgets the reservation: the record stays reserved forever and the ring
 * buffer eventually stalls. */
SEC("kprobe/do_sys_openat2") EXPECT_REJECT("reference-leak", "would lead to reference leak",
					     "bpf_probe_read_user_str(e->fname, sizeof(e->fname), filename) < 0")
int BPF_KPROBE(kprobe_openat_leak, int dfd, const char *filename)
{
	struct open_event *e;

	e = bpf_ringbuf_reserve(&open_events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->dfd = dfd;
	if (bpf_probe_read_user_str(e->fname, sizeof(e->fname), filename) < 0)
		return 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* sizeof(*e) where sizeof(e->fname) was meant: the helper may write 32 bytes past the end
 * of the reserved record. */
SEC("kprobe/do_sys_openat2") EXPECT_REJECT("helper-argument", "outside of the allowed memory range",
					     "bpf_probe_read_user_str(e->fname, sizeof(*e), filename)")
int BPF_KPROBE(kprobe_openat_overflow, int dfd, const char *filename)
{
	struct open_event *e;

	e = bpf_ringbuf_reserve(&open_events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->dfd = dfd;
	bpf_probe_read_user_str(e->fname, sizeof(*e), filename);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
