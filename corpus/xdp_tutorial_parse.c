/* xdp_tutorial_parse.c: packet parsing in the style of the xdp-tutorial (packet01..03): a
 * header cursor advanced by parse_* helpers that each bound-check their header, VLAN tags
 * skipped in a bounded loop, and three programs built on them: an ICMP echo responder
 * (swaps addresses, rewrites the type, patches the checksum incrementally, XDP_TX), a VLAN tag
 * pop (bpf_xdp_adjust_head), and an IPv6 next-header counter.
 * Unsafe twin: xdp_icmp_echo_short checks only the 4-byte common ICMP header before reading
 * the echo sequence number. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define VLAN_MAX_DEPTH 2

struct hdr_cursor {
	void *pos;
};

struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

/* linux/icmp.h pulls in glibc's socket headers; the corpus keeps to kernel UAPI, so the ICMP
 * header is spelled out as in the RFC. */
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8

struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	union {
		struct {
			__be16 id;
			__be16 sequence;
		} echo;
		__be32 gateway;
	} un;
};

struct icmphdr_common {
	__u8 type;
	__u8 code;
	__sum16 cksum;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} nexthdr_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} echo_replies SEC(".maps");

static __always_inline int proto_is_vlan(__u16 h_proto)
{
	return h_proto == bpf_htons(ETH_P_8021Q) || h_proto == bpf_htons(ETH_P_8021AD);
}

static __always_inline int parse_ethhdr(struct hdr_cursor *nh, void *data_end,
					struct ethhdr **ethhdr)
{
	struct ethhdr *eth = nh->pos;
	struct vlan_hdr *vlh;
	__u16 h_proto;
	int i;

	if ((void *)(eth + 1) > data_end)
		return -1;
	nh->pos = eth + 1;
	*ethhdr = eth;
	vlh = nh->pos;
	h_proto = eth->h_proto;
#pragma unroll
	for (i = 0; i < VLAN_MAX_DEPTH; i++) {
		if (!proto_is_vlan(h_proto))
			break;
		if ((void *)(vlh + 1) > data_end)
			break;
		h_proto = vlh->h_vlan_encapsulated_proto;
		vlh++;
	}
	nh->pos = vlh;
	return h_proto;
}

static __always_inline int parse_iphdr(struct hdr_cursor *nh, void *data_end,
				       struct iphdr **iphdr)
{
	struct iphdr *iph = nh->pos;
	int hdrsize;

	if ((void *)(iph + 1) > data_end)
		return -1;
	hdrsize = iph->ihl * 4;
	if (hdrsize < (int)sizeof(*iph))
		return -1;
	if (nh->pos + hdrsize > data_end)
		return -1;
	nh->pos += hdrsize;
	*iphdr = iph;
	return iph->protocol;
}

static __always_inline int parse_icmphdr(struct hdr_cursor *nh, void *data_end,
					 struct icmphdr **icmphdr)
{
	struct icmphdr *icmph = nh->pos;

	if ((void *)(icmph + 1) > data_end)
		return -1;
	nh->pos = icmph + 1;
	*icmphdr = icmph;
	return icmph->type;
}

static __always_inline void swap_src_dst_mac(struct ethhdr *eth)
{
	__u8 h_tmp[ETH_ALEN];

	__builtin_memcpy(h_tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, h_tmp, ETH_ALEN);
}

static __always_inline __u16 csum_fold_helper(__u32 csum)
{
	__u32 sum = (csum >> 16) + (csum & 0xffff);

	sum += (sum >> 16);
	return ~sum;
}

static __always_inline void count_reply(void)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&echo_replies, &key);

	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("xdp") EXPECT_ACCEPT
int xdp_icmp_echo(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct hdr_cursor nh = { .pos = data };
	struct icmphdr *icmph;
	struct ethhdr *eth;
	struct iphdr *iph;
	struct icmphdr_common old;
	__be32 tmp;
	int proto;

	proto = parse_ethhdr(&nh, data_end, &eth);
	if (proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (parse_iphdr(&nh, data_end, &iph) != IPPROTO_ICMP)
		return XDP_PASS;
	if (parse_icmphdr(&nh, data_end, &icmph) != ICMP_ECHO)
		return XDP_PASS;

	tmp = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = tmp;
	swap_src_dst_mac(eth);

	__builtin_memcpy(&old, icmph, sizeof(old));
	icmph->type = ICMP_ECHOREPLY;
	/* RFC 1624 incremental update of the ICMP checksum. */
	icmph->checksum = csum_fold_helper((__u16)~icmph->checksum + (__u16)~*(__u16 *)&old +
					   *(__u16 *)icmph);
	count_reply();
	return XDP_TX;
}

/* The parser checks only the common part of the ICMP header (type, code, checksum) and then
 * reads the echo sequence number at offset 6. */
SEC("xdp") EXPECT_REJECT("packet-out-of-bounds", "offset is outside of the packet",
			   "if (icmph->un.echo.sequence == 0)")
int xdp_icmp_echo_short(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct hdr_cursor nh = { .pos = data };
	struct icmphdr_common *common;
	struct icmphdr *icmph;
	struct ethhdr *eth;
	struct iphdr *iph;

	if (parse_ethhdr(&nh, data_end, &eth) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (parse_iphdr(&nh, data_end, &iph) != IPPROTO_ICMP)
		return XDP_PASS;
	common = nh.pos;
	if ((void *)(common + 1) > data_end)
		return XDP_PASS;
	if (common->type != ICMP_ECHO)
		return XDP_PASS;
	icmph = (struct icmphdr *)common;
	if (icmph->un.echo.sequence == 0)
		return XDP_DROP;
	return XDP_PASS;
}

/* Pops the outermost 802.1Q tag: saves the Ethernet header, moves the packet start by 4
 * bytes and writes the header back with the encapsulated protocol. */
SEC("xdp") EXPECT_ACCEPT
int xdp_vlan_pop(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data, eth_cpy;
	struct vlan_hdr *vlh = (void *)(eth + 1);
	__be16 h_proto;

	if ((void *)(vlh + 1) > data_end)
		return XDP_PASS;
	if (!proto_is_vlan(eth->h_proto))
		return XDP_PASS;
	h_proto = vlh->h_vlan_encapsulated_proto;
	__builtin_memcpy(&eth_cpy, eth, sizeof(eth_cpy));
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(*vlh)))
		return XDP_ABORTED;
	data_end = (void *)(long)ctx->data_end;
	eth = (void *)(long)ctx->data;
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(eth, &eth_cpy, sizeof(*eth));
	eth->h_proto = h_proto;
	return XDP_PASS;
}

SEC("xdp") EXPECT_ACCEPT
int xdp_ipv6_nexthdr_count(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct hdr_cursor nh = { .pos = data };
	struct ipv6hdr *ip6h;
	struct ethhdr *eth;
	__u32 key;
	__u64 *cnt;

	if (parse_ethhdr(&nh, data_end, &eth) != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	ip6h = nh.pos;
	if ((void *)(ip6h + 1) > data_end)
		return XDP_PASS;
	key = ip6h->nexthdr;
	cnt = bpf_map_lookup_elem(&nexthdr_count, &key);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
