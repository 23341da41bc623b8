/* cgroup_sysctl_dev.c: container hardening hooks attached to a cgroup. cgroup/sysctl lets a
 * container read but not write net/ipv4/tcp_* sysctls, except tcp_keepalive_time, whose new
 * value is clamped to a sane range before it is written; cgroup/dev is a device allowlist
 * (the null, zero, random, urandom, tty and ptmx character devices, and pseudo-terminals), the
 * eBPF replacement of cgroup v1's devices.allow that container runtimes generate.
 * Unsafe twin: sysctl_keepalive_clamp_len passes the length returned by
 * bpf_sysctl_get_new_value (negative on error) straight to bpf_sysctl_set_new_value. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define NAME_LEN 64
#define VALUE_LEN 16

static __always_inline int has_prefix(const char *s, const char *prefix, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] != prefix[i])
			return 0;
	return 1;
}

SEC("cgroup/sysctl") EXPECT_ACCEPT
int sysctl_tcp_readonly(struct bpf_sysctl *ctx)
{
	static const char tcp_prefix[] = "net/ipv4/tcp_";
	static const char keepalive[] = "net/ipv4/tcp_keepalive_time";
	char name[NAME_LEN] = {};
	char value[VALUE_LEN] = {};
	unsigned long secs;
	long len;

	if (!ctx->write)
		return 1;
	if (bpf_sysctl_get_name(ctx, name, sizeof(name), 0) < 0)
		return 0;
	if (!has_prefix(name, tcp_prefix, sizeof(tcp_prefix) - 1))
		return 1;
	if (!has_prefix(name, keepalive, sizeof(keepalive)))
		return 0;
	len = bpf_sysctl_get_new_value(ctx, value, sizeof(value));
	if (len < 0 || bpf_strtoul(value, sizeof(value), 10, &secs) < 0)
		return 0;
	if (secs < 60 || secs > 7200)
		return 0;
	return 1;
}

/* Normalizes the written value (strips a trailing newline) by writing it back with the
 * length the read returned; the read's error return is not handled. */
SEC("cgroup/sysctl") EXPECT_REJECT("helper-argument", "unbounded memory access",
				   "bpf_sysctl_set_new_value(ctx, value, len)")
int sysctl_keepalive_clamp_len(struct bpf_sysctl *ctx)
{
	char value[VALUE_LEN] = {};
	long len;

	if (!ctx->write)
		return 1;
	len = bpf_sysctl_get_new_value(ctx, value, sizeof(value));
	if (len > 1 && value[(len - 1) & (VALUE_LEN - 1)] == '\n')
		len--;
	bpf_sysctl_set_new_value(ctx, value, len);
	return 1;
}

SEC("cgroup/dev") EXPECT_ACCEPT
int cgroup_dev_allowlist(struct bpf_cgroup_dev_ctx *ctx)
{
	__u32 type = ctx->access_type & 0xffff;
	__u32 major = ctx->major, minor = ctx->minor;

	if (type != BPF_DEVCG_DEV_CHAR)
		return 0;
	switch (major) {
	case 1: /* mem: null 3, zero 5, random 8, urandom 9 */
		return minor == 3 || minor == 5 || minor == 8 || minor == 9;
	case 5: /* tty 0, ptmx 2 */
		return minor == 0 || minor == 2;
	case 136: /* pseudo-terminal slaves (/dev/pts) */
		return 1;
	default:
		return 0;
	}
}

char LICENSE[] SEC("license") = "GPL";
