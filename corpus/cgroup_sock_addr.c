/* cgroup_sock_addr.c: socket-address hooks of a container runtime / service mesh, attached to
 * a cgroup: connect4 translates a service VIP:port to a backend chosen per connection
 * (socket-level load balancing as in Cilium's kube-proxy replacement), bind4 keeps
 * unprivileged workloads off ports below 1024, sendmsg4 steers UDP DNS to the node-local
 * resolver, and sock_create forbids raw sockets.
 * Unsafe twins: cgroup_connect4_eperm returns -EPERM (these hooks must return 0 or 1);
 * cgroup_connect4_pin_src writes the sendmsg-only source-address field from a connect4 hook. */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

/* From the socket ABI (kept out of the UAPI headers the corpus uses). */
#define AF_INET 2
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define EPERM 1

#define MAX_BACKENDS 16

struct svc_key {
	__be32 vip;
	__be16 port;
	__u16 pad;
};

struct svc_entry {
	__u32 count;
	__u32 backend_base; /* index of the first backend in `backends` */
};

struct backend {
	__be32 addr;
	__be16 port;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct svc_key);
	__type(value, struct svc_entry);
} services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct backend);
} backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} denials SEC(".maps");

/* Node-local DNS resolver (network order), set by the loader. */
const volatile __be32 local_dns_ip = 0;

static __always_inline void count_denial(__u32 hook)
{
	__u64 *n = bpf_map_lookup_elem(&denials, &hook);

	if (n)
		*n += 1;
}

static __always_inline struct backend *pick_backend(struct bpf_sock_addr *ctx)
{
	struct svc_key key = {};
	struct svc_entry *svc;
	__u32 slot;

	key.vip = ctx->user_ip4;
	key.port = (__be16)ctx->user_port;
	svc = bpf_map_lookup_elem(&services, &key);
	if (!svc || !svc->count)
		return NULL;
	slot = svc->backend_base + bpf_get_prandom_u32() % svc->count;
	return bpf_map_lookup_elem(&backends, &slot);
}

SEC("cgroup/connect4") EXPECT_ACCEPT
int cgroup_connect4_svc(struct bpf_sock_addr *ctx)
{
	struct backend *be;

	if (ctx->family != AF_INET)
		return 1;
	be = pick_backend(ctx);
	if (!be)
		return 1; /* not a service address: connect as asked */
	ctx->user_ip4 = be->addr;
	ctx->user_port = be->port;
	return 1;
}

/* A service without backends is meant to fail the connect() with EPERM; the hook's return
 * value is not an errno, though: only 0 (deny, EPERM) and 1 (allow) are valid. */
SEC("cgroup/connect4") EXPECT_REJECT("bad-return-value", "should have been in [0, 1]",
				     "return verdict")
int cgroup_connect4_eperm(struct bpf_sock_addr *ctx)
{
	struct svc_key key = {};
	struct svc_entry *svc;
	int verdict = 1;

	key.vip = ctx->user_ip4;
	key.port = (__be16)ctx->user_port;
	svc = bpf_map_lookup_elem(&services, &key);
	if (svc && !svc->count) {
		count_denial(0);
		verdict = -EPERM;
	}
	return verdict;
}

/* Copied from the sendmsg4 hook to pin the source address of connected UDP sockets: the
 * msg_src_ip4 field is writable in sendmsg hooks only. */
SEC("cgroup/connect4") EXPECT_REJECT("context-access", "invalid bpf_context access",
				     "ctx->msg_src_ip4 = be->addr")
int cgroup_connect4_pin_src(struct bpf_sock_addr *ctx)
{
	struct backend *be;

	if (ctx->type != SOCK_DGRAM)
		return 1;
	be = pick_backend(ctx);
	if (!be)
		return 1;
	ctx->msg_src_ip4 = be->addr;
	return 1;
}

SEC("cgroup/bind4") EXPECT_ACCEPT
int cgroup_bind4_restrict(struct bpf_sock_addr *ctx)
{
	__u16 port = bpf_ntohs((__u16)ctx->user_port);
	__u32 uid = (__u32)bpf_get_current_uid_gid();

	if (port && port < 1024 && uid != 0) {
		count_denial(1);
		return 0;
	}
	return 1;
}

SEC("cgroup/sendmsg4") EXPECT_ACCEPT
int cgroup_sendmsg4_dns(struct bpf_sock_addr *ctx)
{
	if (ctx->type != SOCK_DGRAM || !local_dns_ip)
		return 1;
	if (ctx->user_port != bpf_htons(53))
		return 1;
	ctx->user_ip4 = local_dns_ip;
	return 1;
}

SEC("cgroup/sock_create") EXPECT_ACCEPT
int cgroup_sock_no_raw(struct bpf_sock *sk)
{
	if (sk->type == SOCK_RAW) {
		count_denial(2);
		return 0;
	}
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
