/* tc_tenant_policy.c: multi-tenant egress policy on tc, as a hosting platform's network agent
 * runs it: the tenant id is carried in skb->mark (set by the cgroup/netfilter layer), a
 * HASH_OF_MAPS holds one inner hash of allowed (proto, port) pairs per tenant (swapped
 * atomically by user space on policy updates), a per-tenant list of allowed destination port
 * ranges lives in an array map value, and allowed flows are recorded in an LRU hash for the
 * agent's flow log.
 * Unsafe twins: tc_tenant_flowlog_padding builds the flow-log key field by field and passes
 * its padding bytes uninitialized to bpf_map_update_elem (rejected for an agent with only
 * CAP_BPF + CAP_NET_ADMIN); tc_tenant_ranges_unbounded loops over the ranges up to the count
 * stored in the map, which the verifier cannot bound. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define MAX_TENANTS 1024
#define MAX_RANGES 8

struct port_rule_key {
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct tenant_rules {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	/* Sizes, not types: clang emits the key struct of an inner map only as a forward
	 * declaration, which libbpf 1.1 cannot size. */
	__uint(key_size, sizeof(struct port_rule_key));
	__uint(value_size, sizeof(__u8));
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, MAX_TENANTS);
	__type(key, __u32);
	__array(values, struct tenant_rules);
} tenant_policies SEC(".maps");

struct port_range {
	__u16 lo;
	__u16 hi;
};

struct tenant_ranges {
	__u32 count;
	struct port_range r[MAX_RANGES];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_TENANTS);
	__type(key, __u32);
	__type(value, struct tenant_ranges);
} tenant_port_ranges SEC(".maps");

/* 4 + 4 + 2 + 1 bytes: one byte of padding at the end, which the hash covers. */
struct flow_log_key {
	__u32 tenant;
	__be32 daddr;
	__be16 dport;
	__u8 proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_log_key);
	__type(value, __u64);
} flow_log SEC(".maps");

__u64 policy_drops = 0;

/* Returns the IPv4 header of a TCP/UDP packet without options; the ports behind it (same
 * place for TCP and UDP) are checked too. */
static __always_inline struct iphdr *egress_ipv4(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *l4 = (void *)(iph + 1);

	if ((void *)(l4 + 1) > data_end)
		return NULL;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5)
		return NULL;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return NULL;
	return iph;
}

/* The flow log reads the port with bpf_skb_load_bytes, as the agent's shared flow-key code
 * does for any skb (linear or not). */
static __always_inline int load_dport(struct __sk_buff *skb, __be16 *dport)
{
	return bpf_skb_load_bytes(skb, ETH_HLEN + sizeof(struct iphdr) +
				  __builtin_offsetof(struct udphdr, dest), dport, sizeof(*dport));
}

SEC("tc") EXPECT_ACCEPT
int tc_tenant_egress(struct __sk_buff *skb)
{
	struct port_rule_key rk = {};
	struct flow_log_key fk;
	__u32 tenant = skb->mark >> 16;
	struct udphdr *l4;
	struct iphdr *iph;
	__u64 now;
	void *rules;

	iph = egress_ipv4(skb);
	if (!iph)
		return TC_ACT_OK;
	l4 = (void *)(iph + 1);
	rules = bpf_map_lookup_elem(&tenant_policies, &tenant);
	if (!rules)
		return TC_ACT_OK; /* unmanaged tenant */
	rk.port = l4->dest;
	rk.proto = iph->protocol;
	if (!bpf_map_lookup_elem(rules, &rk)) {
		__sync_fetch_and_add(&policy_drops, 1);
		return TC_ACT_SHOT;
	}
	__builtin_memset(&fk, 0, sizeof(fk));
	fk.tenant = tenant;
	fk.daddr = iph->daddr;
	fk.proto = iph->protocol;
	if (load_dport(skb, &fk.dport))
		return TC_ACT_OK;
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&flow_log, &fk, &now, BPF_ANY);
	return TC_ACT_OK;
}

SEC("tc") EXPECT_CAPS("bpf,net_admin")
EXPECT_REJECT("uninitialized-stack-read", "invalid read from stack",
	      "bpf_map_update_elem(&flow_log, &fk, &now, BPF_ANY)")
int tc_tenant_flowlog_padding(struct __sk_buff *skb)
{
	struct flow_log_key fk;
	struct iphdr *iph;
	__u64 now;

	iph = egress_ipv4(skb);
	if (!iph)
		return TC_ACT_OK;
	fk.tenant = skb->mark >> 16;
	fk.daddr = iph->daddr;
	fk.proto = iph->protocol;
	if (load_dport(skb, &fk.dport))
		return TC_ACT_OK;
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&flow_log, &fk, &now, BPF_ANY);
	return TC_ACT_OK;
}

SEC("tc") EXPECT_ACCEPT
int tc_tenant_ranges(struct __sk_buff *skb)
{
	__u32 tenant = skb->mark >> 16;
	struct tenant_ranges *tr;
	struct udphdr *l4;
	struct iphdr *iph;
	__u16 dport;
	int i;

	iph = egress_ipv4(skb);
	if (!iph)
		return TC_ACT_OK;
	l4 = (void *)(iph + 1);
	tr = bpf_map_lookup_elem(&tenant_port_ranges, &tenant);
	if (!tr || !tr->count)
		return TC_ACT_OK;
	dport = bpf_ntohs(l4->dest);
	for (i = 0; i < MAX_RANGES; i++) {
		if (i >= tr->count)
			break;
		if (dport >= tr->r[i].lo && dport <= tr->r[i].hi)
			return TC_ACT_OK;
	}
	__sync_fetch_and_add(&policy_drops, 1);
	return TC_ACT_SHOT;
}

/* The array access is masked, so each read is in bounds; the loop's only bound is tr->count,
 * a value user space writes: the verifier walks it until it gives up. */
SEC("tc") EXPECT_REJECT("unbounded-loop", "is too complex",
			"if (dport >= tr->r[i & (MAX_RANGES - 1)].lo")
int tc_tenant_ranges_unbounded(struct __sk_buff *skb)
{
	__u32 tenant = skb->mark >> 16;
	struct tenant_ranges *tr;
	struct udphdr *l4;
	struct iphdr *iph;
	__u16 dport;
	__u32 i;

	iph = egress_ipv4(skb);
	if (!iph)
		return TC_ACT_OK;
	l4 = (void *)(iph + 1);
	tr = bpf_map_lookup_elem(&tenant_port_ranges, &tenant);
	if (!tr)
		return TC_ACT_OK;
	dport = bpf_ntohs(l4->dest);
	for (i = 0; i < tr->count; i++) {
		if (dport >= tr->r[i & (MAX_RANGES - 1)].lo &&
		    dport <= tr->r[i & (MAX_RANGES - 1)].hi)
			return TC_ACT_OK;
	}
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
