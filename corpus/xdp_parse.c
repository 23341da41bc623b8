/* xdp_parse.c: per-protocol packet and byte counters at the XDP hook, the kind of program a
 * host firewall or a traffic dashboard attaches to a NIC. Parses Ethernet, up to two VLAN tags,
 * IPv4 (with options) or IPv6, then TCP or UDP, with a bounds check before every header access.
 * Unsafe twin: xdp_proto_stats_unchecked reads the UDP destination port without a bounds check. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define MAX_VLAN_DEPTH 2

enum stat_slot {
	STAT_OTHER = 0,
	STAT_IPV4_TCP,
	STAT_IPV4_UDP,
	STAT_IPV6_TCP,
	STAT_IPV6_UDP,
	STAT_DNS,
	STAT_MALFORMED,
	STAT_MAX,
};

struct datarec {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_MAX);
	__type(key, __u32);
	__type(value, struct datarec);
} proto_stats SEC(".maps");

struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

static __always_inline int is_vlan(__u16 h_proto)
{
	return h_proto == bpf_htons(ETH_P_8021Q) || h_proto == bpf_htons(ETH_P_8021AD);
}

/* Returns the network-order EtherType after any VLAN tags, or 0 if the frame is too short. */
static __always_inline __u16 parse_ethhdr(void **pos, void *data_end)
{
	struct ethhdr *eth = *pos;
	struct vlan_hdr *vlh;
	__u16 h_proto;
	int i;

	if ((void *)(eth + 1) > data_end)
		return 0;
	h_proto = eth->h_proto;
	vlh = (void *)(eth + 1);
#pragma unroll
	for (i = 0; i < MAX_VLAN_DEPTH; i++) {
		if (!is_vlan(h_proto))
			break;
		if ((void *)(vlh + 1) > data_end)
			return 0;
		h_proto = vlh->h_vlan_encapsulated_proto;
		vlh++;
	}
	*pos = vlh;
	return h_proto;
}

static __always_inline void account(__u32 slot, __u64 len)
{
	struct datarec *rec = bpf_map_lookup_elem(&proto_stats, &slot);

	if (!rec)
		return;
	rec->packets++;
	rec->bytes += len;
}

SEC("xdp") EXPECT_ACCEPT
int xdp_proto_stats(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	__u64 len = data_end - data;
	void *pos = data;
	__u32 slot = STAT_OTHER;
	__u8 l4proto;
	__u16 h_proto;

	h_proto = parse_ethhdr(&pos, data_end);
	if (h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = pos;

		if ((void *)(iph + 1) > data_end)
			goto malformed;
		if (iph->ihl < 5)
			goto malformed;
		/* IPv4 options: the header length is only known at run time. */
		if (pos + iph->ihl * 4 > data_end)
			goto malformed;
		l4proto = iph->protocol;
		pos += iph->ihl * 4;
		slot = l4proto == IPPROTO_TCP ? STAT_IPV4_TCP : STAT_IPV4_UDP;
	} else if (h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = pos;

		if ((void *)(ip6h + 1) > data_end)
			goto malformed;
		l4proto = ip6h->nexthdr;
		pos = ip6h + 1;
		slot = l4proto == IPPROTO_TCP ? STAT_IPV6_TCP : STAT_IPV6_UDP;
	} else {
		goto out;
	}

	if (l4proto == IPPROTO_TCP) {
		struct tcphdr *th = pos;

		if ((void *)(th + 1) > data_end)
			goto malformed;
		if (th->doff < 5)
			goto malformed;
	} else if (l4proto == IPPROTO_UDP) {
		struct udphdr *uh = pos;

		if ((void *)(uh + 1) > data_end)
			goto malformed;
		if (uh->dest == bpf_htons(53) || uh->source == bpf_htons(53))
			slot = STAT_DNS;
	} else {
		slot = STAT_OTHER;
	}
out:
	account(slot, len);
	return XDP_PASS;
malformed:
	account(STAT_MALFORMED, len);
	return XDP_PASS;
}

/* Same job, but the UDP branch trusts the IP header and skips the UDP bounds check: a frame
 * that ends right after the IP header makes the port read run past data_end. */
SEC("xdp") EXPECT_REJECT("packet-out-of-bounds", "offset is outside of the packet",
			   "uh->dest == bpf_htons(53)")
int xdp_proto_stats_unchecked(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	void *pos = data;
	__u32 slot = STAT_OTHER;
	struct iphdr *iph;
	struct udphdr *uh;

	if (parse_ethhdr(&pos, data_end) != bpf_htons(ETH_P_IP))
		goto out;
	iph = pos;
	if ((void *)(iph + 1) > data_end)
		goto out;
	if (iph->protocol != IPPROTO_UDP)
		goto out;
	slot = STAT_IPV4_UDP;
	uh = (void *)(iph + 1);
	if (uh->dest == bpf_htons(53))
		slot = STAT_DNS;
out:
	account(slot, data_end - data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
