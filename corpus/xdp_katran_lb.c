/* xdp_katran_lb.c: a katran-style L4 load balancer at XDP. A VIP table maps (vip, port, proto)
 * to a VIP number; a per-VIP consistent-hashing ring (Maglev-style, filled by user space) picks
 * the real server from a flow hash; a per-CPU LRU connection table (ARRAY_OF_MAPS of LRU hashes,
 * one per CPU) keeps established flows on their real; the packet is IPIP-encapsulated towards
 * the real with bpf_xdp_adjust_head and sent back out (XDP_TX). Per-CPU stats per VIP.
 * Unsafe twins: xdp_katran_ring_oob takes the ring slot modulo RING_SIZE + 1 (one past the
 * ring); xdp_katran_lru_arith indexes into the inner LRU lookup result before its NULL check. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define RING_BITS 6 /* the ring slot is the top RING_BITS bits of the flow hash */
#define RING_SIZE (1 << RING_BITS)
#define MAX_VIPS 512
#define MAX_REALS 4096
#define MAX_CPUS 128

struct vip_definition {
	__be32 vip;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct vip_meta {
	__u32 flags;
	__u32 vip_num;
};

struct real_definition {
	__be32 dst;
	__u8 flags;
	__u8 pad[3];
};

struct flow_key {
	__be32 src;
	__be32 dst;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct real_pos_lru {
	__u64 atime;
	__u32 pos;
	__u32 pad;
};

struct ch_ring {
	__u32 reals[RING_SIZE];
};

struct lb_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_VIPS);
	__type(key, struct vip_definition);
	__type(value, struct vip_meta);
} vip_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_VIPS);
	__type(key, __u32);
	__type(value, struct ch_ring);
} ch_rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_REALS);
	__type(key, __u32);
	__type(value, struct real_definition);
} reals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_VIPS);
	__type(key, __u32);
	__type(value, struct lb_stats);
} stats SEC(".maps");

struct lru_inner {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1000);
	__uint(key_size, sizeof(struct flow_key));
	__uint(value_size, sizeof(struct real_pos_lru));
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, MAX_CPUS);
	__type(key, __u32);
	__array(values, struct lru_inner);
} lru_mapping SEC(".maps");

/* The balancer's own address, the outer source of the encapsulation; set by the loader. */
const volatile __be32 lb_src_ip = 0;

static __always_inline __u32 rol32(__u32 word, unsigned int shift)
{
	return (word << shift) | (word >> ((-shift) & 31));
}

/* jhash_3words as in katran's jhash.h (final mix only). */
static __always_inline __u32 flow_hash(const struct flow_key *f)
{
	__u32 a = f->src, b = f->dst, c = ((__u32)f->sport << 16) | f->dport;

	c ^= b; c -= rol32(b, 14);
	a ^= c; a -= rol32(c, 11);
	b ^= a; b -= rol32(a, 25);
	c ^= b; c -= rol32(b, 16);
	a ^= c; a -= rol32(c, 4);
	b ^= a; b -= rol32(a, 14);
	c ^= b; c -= rol32(b, 24);
	return c;
}

static __always_inline int parse_flow(void *data, void *data_end, struct flow_key *f,
				      __u16 *pkt_len)
{
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *l4;

	if ((void *)(iph + 1) > data_end)
		return -1;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5)
		return -1;
	if (iph->frag_off & bpf_htons(0x3fff))
		return -1;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return -1;
	/* TCP and UDP both start with the two ports. */
	l4 = (void *)(iph + 1);
	if ((void *)(l4 + 1) > data_end)
		return -1;
	f->src = iph->saddr;
	f->dst = iph->daddr;
	f->sport = l4->source;
	f->dport = l4->dest;
	f->proto = iph->protocol;
	*pkt_len = bpf_ntohs(iph->tot_len);
	return 0;
}

static __always_inline __u16 csum_fold_ipv4(struct iphdr *iph)
{
	__u16 *p = (__u16 *)iph;
	__u32 sum = 0;
	int i;

	for (i = 0; i < (int)(sizeof(*iph) / 2); i++)
		sum += p[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* Prepends an outer IPv4 header (IPIP) and a copy of the Ethernet header, swaps MACs for
 * XDP_TX. Returns 0 on success. */
static __always_inline int encap_ipip(struct xdp_md *ctx, __be32 real_dst, __u16 inner_len)
{
	void *data, *data_end;
	struct ethhdr *new_eth, *old_eth;
	struct iphdr *outer;

	if (bpf_xdp_adjust_head(ctx, 0 - (int)sizeof(struct iphdr)))
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	new_eth = data;
	old_eth = data + sizeof(struct iphdr);
	outer = (void *)(new_eth + 1);
	if ((void *)(outer + 1) > data_end || (void *)(old_eth + 1) > data_end)
		return -1;
	__builtin_memcpy(new_eth->h_source, old_eth->h_dest, ETH_ALEN);
	__builtin_memcpy(new_eth->h_dest, old_eth->h_source, ETH_ALEN);
	new_eth->h_proto = bpf_htons(ETH_P_IP);

	outer->version = 4;
	outer->ihl = 5;
	outer->tos = 0;
	outer->tot_len = bpf_htons(inner_len + sizeof(struct iphdr));
	outer->id = 0;
	outer->frag_off = 0;
	outer->ttl = 64;
	outer->protocol = IPPROTO_IPIP;
	outer->saddr = lb_src_ip;
	outer->daddr = real_dst;
	outer->check = 0;
	outer->check = csum_fold_ipv4(outer);
	return 0;
}

static __always_inline void count_vip(__u32 vip_num, __u16 len)
{
	struct lb_stats *st = bpf_map_lookup_elem(&stats, &vip_num);

	if (st) {
		st->packets++;
		st->bytes += len;
	}
}

SEC("xdp") EXPECT_ACCEPT
int xdp_katran_balance(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct vip_definition vip = {};
	struct real_pos_lru *cached, fresh = {};
	struct real_definition *real;
	struct flow_key flow = {};
	struct vip_meta *meta;
	struct ch_ring *ring;
	__u32 cpu, pos;
	void *lru;
	__u16 len;

	if (parse_flow(data, data_end, &flow, &len))
		return XDP_PASS;
	vip.vip = flow.dst;
	vip.port = flow.dport;
	vip.proto = flow.proto;
	meta = bpf_map_lookup_elem(&vip_map, &vip);
	if (!meta)
		return XDP_PASS;

	cpu = bpf_get_smp_processor_id();
	lru = bpf_map_lookup_elem(&lru_mapping, &cpu);
	cached = lru ? bpf_map_lookup_elem(lru, &flow) : NULL;
	if (cached) {
		pos = cached->pos;
	} else {
		ring = bpf_map_lookup_elem(&ch_rings, &meta->vip_num);
		if (!ring)
			return XDP_DROP;
		pos = ring->reals[flow_hash(&flow) >> (32 - RING_BITS)];
		if (lru) {
			fresh.pos = pos;
			fresh.atime = bpf_ktime_get_ns();
			bpf_map_update_elem(lru, &flow, &fresh, BPF_ANY);
		}
	}
	real = bpf_map_lookup_elem(&reals, &pos);
	if (!real)
		return XDP_DROP;
	count_vip(meta->vip_num, len);
	if (encap_ipip(ctx, real->dst, len))
		return XDP_DROP;
	return XDP_TX;
}

/* The ring slot takes one hash bit too many (shift off by one): the index reaches
 * 2 * RING_SIZE - 1, past the end of the map value. */
SEC("xdp") EXPECT_REJECT("map-value-out-of-bounds", "max value is outside of the allowed memory range",
			   "pos = ring->reals[flow_hash(&flow) >> (31 - RING_BITS)]")
int xdp_katran_ring_oob(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct vip_definition vip = {};
	struct real_definition *real;
	struct flow_key flow = {};
	struct vip_meta *meta;
	struct ch_ring *ring;
	__u32 pos;
	__u16 len;

	if (parse_flow(data, data_end, &flow, &len))
		return XDP_PASS;
	vip.vip = flow.dst;
	vip.port = flow.dport;
	vip.proto = flow.proto;
	meta = bpf_map_lookup_elem(&vip_map, &vip);
	if (!meta)
		return XDP_PASS;
	ring = bpf_map_lookup_elem(&ch_rings, &meta->vip_num);
	if (!ring)
		return XDP_DROP;
	pos = ring->reals[flow_hash(&flow) >> (31 - RING_BITS)];
	real = bpf_map_lookup_elem(&reals, &pos);
	if (!real)
		return XDP_DROP;
	if (encap_ipip(ctx, real->dst, len))
		return XDP_DROP;
	return XDP_TX;
}

/* Decapsulation of health-check probes: IPIP packets addressed to the balancer itself are
 * stripped of their outer header and passed up the stack. */
SEC("xdp") EXPECT_ACCEPT
int xdp_katran_hc_decap(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data, *new_eth;
	struct iphdr *outer = (void *)(eth + 1);
	struct ethhdr saved;

	if ((void *)(outer + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || outer->protocol != IPPROTO_IPIP)
		return XDP_PASS;
	if (outer->daddr != lb_src_ip || outer->ihl != 5)
		return XDP_PASS;
	__builtin_memcpy(&saved, eth, sizeof(saved));
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct iphdr)))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	new_eth = data;
	if ((void *)(new_eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(new_eth, &saved, sizeof(saved));
	return XDP_PASS;
}

/* The connection-table entry's pos field is addressed straight from the lookup result, before
 * any NULL check: the address arithmetic is done on a possibly-NULL map value. */
SEC("xdp") EXPECT_REJECT("null-dereference", "pointer arithmetic on map_value_or_null prohibited",
			   "pos_ptr = &((struct real_pos_lru *)bpf_map_lookup_elem(lru, &flow))->pos")
int xdp_katran_lru_arith(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct real_definition *real;
	struct flow_key flow = {};
	__u32 cpu, *pos_ptr;
	void *lru;
	__u16 len;

	if (parse_flow(data, data_end, &flow, &len))
		return XDP_PASS;
	cpu = bpf_get_smp_processor_id();
	lru = bpf_map_lookup_elem(&lru_mapping, &cpu);
	if (!lru)
		return XDP_PASS;
	pos_ptr = &((struct real_pos_lru *)bpf_map_lookup_elem(lru, &flow))->pos;
	if (!pos_ptr)
		return XDP_PASS;
	real = bpf_map_lookup_elem(&reals, pos_ptr);
	if (!real)
		return XDP_DROP;
	if (encap_ipip(ctx, real->dst, len))
		return XDP_DROP;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
