/* xdp_ipv6_exthdr.c: an IPv6 edge filter at the XDP hook: it walks the extension-header chain
 * (hop-by-hop, routing, fragment, destination options; at most six, in a bounded loop) to find
 * the transport header, drops packets with a type-0 routing header (deprecated by RFC 5095),
 * and counts packets per transport protocol. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define MAX_EXT_HDRS 6

struct ipv6_opt_hdr_min {
	__u8 nexthdr;
	__u8 hdrlen; /* in 8-byte units, not counting the first 8 bytes */
	__u8 type;   /* routing header: routing type */
	__u8 segments_left;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32); /* transport protocol */
	__type(value, __u64);
} l4_packets SEC(".maps");

SEC("xdp") EXPECT_ACCEPT
int xdp_ipv6_filter(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h = (void *)(eth + 1);
	struct ipv6_opt_hdr_min *opt;
	void *pos;
	__u32 nexthdr;
	__u64 *count;
	int i;

	if ((void *)(ip6h + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	nexthdr = ip6h->nexthdr;
	pos = ip6h + 1;
	for (i = 0; i < MAX_EXT_HDRS; i++) {
		if (nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_ROUTING &&
		    nexthdr != IPPROTO_FRAGMENT && nexthdr != IPPROTO_DSTOPTS)
			break;
		opt = pos;
		if ((void *)(opt + 1) > data_end)
			return XDP_DROP;
		if (nexthdr == IPPROTO_ROUTING && opt->type == 0 && opt->segments_left)
			return XDP_DROP;
		nexthdr = opt->nexthdr;
		if (nexthdr == IPPROTO_FRAGMENT)
			pos += 8;
		else
			pos += (opt->hdrlen + 1) * 8;
	}
	count = bpf_map_lookup_elem(&l4_packets, &nexthdr);
	if (count)
		*count += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
