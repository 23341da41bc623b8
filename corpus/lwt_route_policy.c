/* lwt_route_policy.c: lightweight-tunnel programs attached to routes (ip route ... encap bpf):
 * lwt_in drops traffic for destinations on a quarantine list before local delivery, and
 * lwt_xmit accounts bytes per destination and sets skb->priority by DSCP on the way out.
 * LWT packets start at the network header (no Ethernet).
 * Unsafe twin: lwt_xmit_set_classid writes skb->tc_classid, a field only tc programs may
 * write (code moved over from a tc classifier). */
#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __be32);
	__type(value, __u8);
} quarantine SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, __be32);
	__type(value, __u64);
} dst_bytes SEC(".maps");

static __always_inline struct iphdr *lwt_ipv4(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *iph = (void *)(long)skb->data;

	if ((void *)(iph + 1) > data_end || iph->version != 4)
		return NULL;
	return iph;
}

SEC("lwt_in") EXPECT_ACCEPT
int lwt_in_quarantine(struct __sk_buff *skb)
{
	struct iphdr *iph = lwt_ipv4(skb);
	__be32 daddr;

	if (!iph)
		return BPF_OK;
	daddr = iph->daddr;
	if (bpf_map_lookup_elem(&quarantine, &daddr))
		return BPF_DROP;
	return BPF_OK;
}

SEC("lwt_xmit") EXPECT_ACCEPT
int lwt_xmit_account(struct __sk_buff *skb)
{
	struct iphdr *iph = lwt_ipv4(skb);
	__u64 len = skb->len, *bytes;
	__be32 daddr;

	if (!iph)
		return BPF_OK;
	daddr = iph->daddr;
	skb->priority = iph->tos >> 2;
	bytes = bpf_map_lookup_elem(&dst_bytes, &daddr);
	if (bytes)
		*bytes += len;
	else
		bpf_map_update_elem(&dst_bytes, &daddr, &len, BPF_NOEXIST);
	return BPF_OK;
}

SEC("lwt_xmit") EXPECT_REJECT("context-access", "invalid bpf_context access",
			      "skb->tc_classid = 0x10000 | (iph->tos >> 2)")
int lwt_xmit_set_classid(struct __sk_buff *skb)
{
	struct iphdr *iph = lwt_ipv4(skb);

	if (!iph)
		return BPF_OK;
	skb->tc_classid = 0x10000 | (iph->tos >> 2);
	return BPF_OK;
}

char LICENSE[] SEC("license") = "GPL";
