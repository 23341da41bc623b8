/* tc_classifier.c: tc (sched_cls) programs of a container network datapath: a DSCP-to-priority
 * classifier, an earliest-departure-time rate limiter per cgroup class (as bandwidth managers
 * do with the fq qdisc), and a per-flow byte counter keyed by the 5-tuple.
 * Unsafe twin: tc_flow_bytes_padding builds its flow key field by field and leaves the padding
 * uninitialized, so the map lookup reads uninitialized stack (rejected without CAP_PERFMON). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define NSEC_PER_SEC 1000000000ull
#define DROP_HORIZON_NS (2 * NSEC_PER_SEC)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} dscp_to_prio SEC(".maps");

struct rate_state {
	__u64 rate_bytes_per_sec;
	__u64 next_tstamp;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* tc classid of the sending pod */
	__type(value, struct rate_state);
} class_rates SEC(".maps");

struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto; /* followed by 3 bytes of padding */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct flow_key);
	__type(value, __u64);
} flow_bytes SEC(".maps");

static __always_inline struct iphdr *skb_ipv4(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(iph + 1) > data_end)
		return NULL;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	return iph;
}

SEC("tc") EXPECT_ACCEPT
int tc_dscp_classify(struct __sk_buff *skb)
{
	struct iphdr *iph = skb_ipv4(skb);
	__u32 dscp, *prio;

	if (!iph)
		return TC_ACT_OK;
	dscp = iph->tos >> 2;
	prio = bpf_map_lookup_elem(&dscp_to_prio, &dscp);
	if (prio && *prio)
		skb->priority = *prio;
	return TC_ACT_OK;
}

SEC("tc") EXPECT_ACCEPT
int tc_edt_rate_limit(struct __sk_buff *skb)
{
	__u32 classid = skb->tc_classid;
	struct rate_state *st;
	__u64 now, delay, tstamp;

	st = bpf_map_lookup_elem(&class_rates, &classid);
	if (!st || !st->rate_bytes_per_sec)
		return TC_ACT_OK;
	now = bpf_ktime_get_ns();
	delay = (__u64)skb->len * NSEC_PER_SEC / st->rate_bytes_per_sec;
	tstamp = skb->tstamp;
	if (tstamp < now)
		tstamp = now;
	if (st->next_tstamp > tstamp)
		tstamp = st->next_tstamp;
	if (tstamp - now > DROP_HORIZON_NS)
		return TC_ACT_SHOT;
	st->next_tstamp = tstamp + delay;
	skb->tstamp = tstamp;
	return TC_ACT_OK;
}

static __always_inline int fill_ports(struct __sk_buff *skb, struct iphdr *iph, __be16 *sport,
				      __be16 *dport)
{
	void *data_end = (void *)(long)skb->data_end;
	struct tcphdr *th = (void *)(iph + 1);

	/* UDP and TCP keep the ports in the same place. */
	if (iph->ihl != 5 || (void *)th + 4 > data_end)
		return -1;
	*sport = th->source;
	*dport = th->dest;
	return 0;
}

SEC("tc") EXPECT_ACCEPT
int tc_flow_bytes(struct __sk_buff *skb)
{
	struct iphdr *iph = skb_ipv4(skb);
	struct flow_key key;
	__u64 *bytes, init;

	if (!iph)
		return TC_ACT_OK;
	__builtin_memset(&key, 0, sizeof(key));
	key.saddr = iph->saddr;
	key.daddr = iph->daddr;
	key.proto = iph->protocol;
	if (fill_ports(skb, iph, &key.sport, &key.dport))
		return TC_ACT_OK;
	bytes = bpf_map_lookup_elem(&flow_bytes, &key);
	if (bytes) {
		__sync_fetch_and_add(bytes, skb->len);
	} else {
		init = skb->len;
		bpf_map_update_elem(&flow_bytes, &key, &init, BPF_NOEXIST);
	}
	return TC_ACT_OK;
}

/* As above, but without the memset: the 3 padding bytes after proto are never written, and the
 * lookup hashes all 16 key bytes. An agent holding only CAP_BPF and CAP_NET_ADMIN gets a
 * rejection; with CAP_PERFMON the kernel (since 6.4) lets uninitialized stack through. */
SEC("tc") EXPECT_CAPS("bpf,net_admin")
EXPECT_REJECT("uninitialized-stack-read", "invalid read from stack",
	      "bpf_map_lookup_elem(&flow_bytes, &key)")
int tc_flow_bytes_padding(struct __sk_buff *skb)
{
	struct iphdr *iph = skb_ipv4(skb);
	struct flow_key key;
	__u64 *bytes;

	if (!iph)
		return TC_ACT_OK;
	key.saddr = iph->saddr;
	key.daddr = iph->daddr;
	key.proto = iph->protocol;
	if (fill_ports(skb, iph, &key.sport, &key.dport))
		return TC_ACT_OK;
	bytes = bpf_map_lookup_elem(&flow_bytes, &key);
	if (bytes)
		__sync_fetch_and_add(bytes, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
