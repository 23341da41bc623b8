/* xdp_lb.c: a stateless layer-4 load balancer at the XDP hook, in the style of Katran-like
 * balancers: a hash of virtual IPs (VIP, port, protocol) points at a slice of a backend array;
 * the 5-tuple hash picks the backend, the program rewrites the destination MAC and IPv4 address,
 * fixes the IP checksum in a static subprogram, and bounces the frame out with XDP_TX. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define MAX_BACKENDS 1024
#define MAX_VIPS 512

struct vip_key {
	__be32 addr;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct vip_meta {
	__u32 first_backend; /* index into backends */
	__u32 nr_backends;
	__u32 flags;
};

struct backend {
	__be32 addr;
	__u8 mac[ETH_ALEN];
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_VIPS);
	__type(key, struct vip_key);
	__type(value, struct vip_meta);
} vips SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct backend);
} backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lb_tx_packets SEC(".maps");

/* Full IPv4 header checksum over the 20-byte header without options. Kept out of line: the
 * balancer calls it on every forwarded packet and it is the same for both protocols. */
static __noinline __u16 ipv4_csum(struct iphdr *iph)
{
	__u16 *words = (__u16 *)iph;
	__u32 sum = 0;
	int i;

	iph->check = 0;
	for (i = 0; i < (int)(sizeof(*iph) / 2); i++)
		sum += words[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static __always_inline __u32 flow_hash(__be32 saddr, __be32 daddr, __u32 ports, __u8 proto)
{
	__u32 h = saddr * 0x9e3779b1u;

	h ^= daddr + 0x7f4a7c15u + (h << 6) + (h >> 2);
	h ^= ports + 0x165667b1u + (h << 6) + (h >> 2);
	return h ^ proto;
}

SEC("xdp") EXPECT_ACCEPT
int xdp_l4_lb(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct vip_key key = {};
	struct vip_meta *vip;
	struct backend *be;
	__u32 ports, idx, zero = 0;
	__u64 *tx;

	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5)
		return XDP_PASS;
	if (iph->frag_off & bpf_htons(0x3fff)) /* MF or offset: no L4 header here */
		return XDP_PASS;

	if (iph->protocol == IPPROTO_TCP) {
		struct tcphdr *th = (void *)(iph + 1);

		if ((void *)(th + 1) > data_end)
			return XDP_DROP;
		key.port = th->dest;
		ports = ((__u32)th->source << 16) | th->dest;
	} else if (iph->protocol == IPPROTO_UDP) {
		struct udphdr *uh = (void *)(iph + 1);

		if ((void *)(uh + 1) > data_end)
			return XDP_DROP;
		key.port = uh->dest;
		ports = ((__u32)uh->source << 16) | uh->dest;
	} else {
		return XDP_PASS;
	}
	key.addr = iph->daddr;
	key.proto = iph->protocol;

	vip = bpf_map_lookup_elem(&vips, &key);
	if (!vip || vip->nr_backends == 0)
		return XDP_PASS;
	idx = vip->first_backend +
	      flow_hash(iph->saddr, iph->daddr, ports, iph->protocol) % vip->nr_backends;
	be = bpf_map_lookup_elem(&backends, &idx);
	if (!be || !be->addr)
		return XDP_DROP;

	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, be->mac, ETH_ALEN);
	iph->daddr = be->addr;
	iph->check = ipv4_csum(iph);

	tx = bpf_map_lookup_elem(&lb_tx_packets, &zero);
	if (tx)
		*tx += 1;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
