/* tc_cilium_datapath.c: a Cilium-like container datapath on tc (BPF_PROG_TYPE_SCHED_CLS).
 * Packets leaving a pod's veth are parsed, the destination endpoint is looked up in an
 * endpoint map (local pods: ifindex + MACs), connection tracking in an LRU hash admits
 * replies, new flows go through a policy map keyed by (security identity, dport, proto), and
 * the per-stage programs are chained with bpf_tail_call through a PROG_ARRAY. Local
 * destinations are redirected straight to the peer veth with bpf_redirect_peer / bpf_redirect;
 * others are handed to the stack.
 * Unsafe twins: tc_from_container_tail_hash tail-calls through a hash map of programs (not a
 * PROG_ARRAY); tc_to_endpoint_nocheck dereferences the endpoint lookup on the new-flow path
 * without the NULL check that the reply path has. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define CILIUM_CALL_POLICY 1
#define CILIUM_CALL_TO_ENDPOINT 2
#define CT_NEW 0
#define CT_ESTABLISHED 1

struct endpoint_info {
	__u32 ifindex;
	__u32 sec_identity;
	__u8 mac[ETH_ALEN];
	__u8 node_mac[ETH_ALEN];
};

struct ct_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct ct_entry {
	__u64 lifetime_ns;
	__u64 packets;
	__u32 rev_nat;
	__u32 flags;
};

struct policy_key {
	__u32 sec_identity;
	__be16 dport;
	__u8 proto;
	__u8 egress;
};

struct policy_entry {
	__u32 proxy_port;
	__u32 deny;
	__u64 packets;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65535);
	__type(key, __be32);
	__type(value, struct endpoint_info);
} endpoints SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 262144);
	__type(key, struct ct_key);
	__type(value, struct ct_entry);
} ct_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct policy_key);
	__type(value, struct policy_entry);
} policy_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 8);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} call_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} call_map_by_name SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} drop_reasons SEC(".maps");

/* This node's own security identity for pods (set by the agent at load time). */
const volatile __u32 pod_identity = 0;

/* Parses an IPv4 TCP/UDP packet into a CT key; 0 on success. */
static __always_inline int ct_key_from_skb(struct __sk_buff *skb, struct ct_key *key)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *l4 = (void *)(iph + 1);

	if ((void *)(l4 + 1) > data_end)
		return -1;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5)
		return -1;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return -1;
	key->saddr = iph->saddr;
	key->daddr = iph->daddr;
	key->sport = l4->source;
	key->dport = l4->dest;
	key->proto = iph->protocol;
	return 0;
}

static __noinline int ct_lookup(struct ct_key *key)
{
	struct ct_key rev = {};
	struct ct_entry *e;

	e = bpf_map_lookup_elem(&ct_map, key);
	if (e) {
		__sync_fetch_and_add(&e->packets, 1);
		return CT_ESTABLISHED;
	}
	rev.saddr = key->daddr;
	rev.daddr = key->saddr;
	rev.sport = key->dport;
	rev.dport = key->sport;
	rev.proto = key->proto;
	return bpf_map_lookup_elem(&ct_map, &rev) ? CT_ESTABLISHED : CT_NEW;
}

static __always_inline int drop(__u32 reason)
{
	__u64 *n = bpf_map_lookup_elem(&drop_reasons, &reason);

	if (n)
		*n += 1;
	return TC_ACT_SHOT;
}

SEC("tc") EXPECT_ACCEPT
int tc_from_container(struct __sk_buff *skb)
{
	struct ct_key key = {};

	if (ct_key_from_skb(skb, &key))
		return TC_ACT_OK;
	if (ct_lookup(&key) == CT_ESTABLISHED) {
		bpf_tail_call(skb, &call_map, CILIUM_CALL_TO_ENDPOINT);
		return TC_ACT_OK;
	}
	skb->cb[0] = pod_identity;
	bpf_tail_call(skb, &call_map, CILIUM_CALL_POLICY);
	/* The tail call only returns when the slot is empty. */
	return drop(0);
}

/* Same program wired to the agent's name-indexed hash of program fds instead of the
 * PROG_ARRAY: bpf_tail_call only takes a program array. */
SEC("tc") EXPECT_REJECT("helper-argument", "expected prog array map for tail call",
			  "bpf_tail_call(skb, &call_map_by_name, CILIUM_CALL_POLICY)")
int tc_from_container_tail_hash(struct __sk_buff *skb)
{
	struct ct_key key = {};

	if (ct_key_from_skb(skb, &key))
		return TC_ACT_OK;
	skb->cb[0] = pod_identity;
	bpf_tail_call(skb, &call_map_by_name, CILIUM_CALL_POLICY);
	return drop(0);
}

SEC("tc") EXPECT_ACCEPT
int tc_policy_egress(struct __sk_buff *skb)
{
	struct policy_key pk = {};
	struct policy_entry *pe;
	struct ct_entry ce = {};
	struct ct_key key = {};

	if (ct_key_from_skb(skb, &key))
		return TC_ACT_OK;
	pk.sec_identity = skb->cb[0];
	pk.dport = key.dport;
	pk.proto = key.proto;
	pk.egress = 1;
	pe = bpf_map_lookup_elem(&policy_map, &pk);
	if (!pe) {
		pk.dport = 0; /* L3-only rule: any port */
		pe = bpf_map_lookup_elem(&policy_map, &pk);
	}
	if (!pe || pe->deny)
		return drop(1);
	__sync_fetch_and_add(&pe->packets, 1);
	ce.lifetime_ns = bpf_ktime_get_ns() + 21600ULL * 1000000000ULL;
	ce.packets = 1;
	bpf_map_update_elem(&ct_map, &key, &ce, BPF_ANY);
	bpf_tail_call(skb, &call_map, CILIUM_CALL_TO_ENDPOINT);
	return TC_ACT_OK;
}

static __always_inline int rewrite_macs(struct __sk_buff *skb, const struct endpoint_info *ep)
{
	if (bpf_skb_store_bytes(skb, 0, ep->mac, ETH_ALEN, 0) < 0)
		return -1;
	return bpf_skb_store_bytes(skb, ETH_ALEN, ep->node_mac, ETH_ALEN, 0);
}

SEC("tc") EXPECT_ACCEPT
int tc_to_endpoint(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct endpoint_info *ep;
	__be32 daddr;

	if ((void *)(iph + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	daddr = iph->daddr;
	ep = bpf_map_lookup_elem(&endpoints, &daddr);
	if (!ep)
		return TC_ACT_OK; /* not a local pod: let the stack route it */
	if (rewrite_macs(skb, ep) < 0)
		return drop(2);
	return bpf_redirect_peer(ep->ifindex, 0);
}

/* The reply path (conntrack hit, flagged in cb[0] by the CT stage) checks the endpoint lookup;
 * the path for new flows was added later and uses it unchecked, so a new flow to an address
 * that is not a local pod dereferences NULL. */
SEC("tc") EXPECT_REJECT("null-dereference", "invalid mem access 'map_value_or_null'",
			  "skb->cb[1] = ep->sec_identity")
int tc_to_endpoint_nocheck(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct endpoint_info *ep;
	__be32 daddr;

	if ((void *)(iph + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	daddr = iph->daddr;
	ep = bpf_map_lookup_elem(&endpoints, &daddr);
	if (skb->cb[0] == CT_ESTABLISHED) {
		if (!ep)
			return TC_ACT_OK;
		return bpf_redirect_peer(ep->ifindex, 0);
	}
	/* New flow: hand the destination's identity to the ingress policy stage. */
	skb->cb[1] = ep->sec_identity;
	return bpf_redirect(ep->ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
