/* tc_legacy_sections.c: tc programs under the section names iproute2's "tc filter ... bpf"
 * documented before libbpf's "tc": "classifier" marks traffic to service ports for policy
 * routing, "action" drops IPv4 fragments (a gact-style filter action for a scrubbing box). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define SERVICE_MARK 0x100

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u16); /* network-order TCP port */
	__type(value, __u32); /* fwmark to set */
} service_marks SEC(".maps");

SEC("classifier") EXPECT_ACCEPT
int cls_mark_services(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct tcphdr *th;
	__u16 port;
	__u32 *mark;

	if ((void *)(iph + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	th = (void *)iph + iph->ihl * 4;
	if ((void *)(th + 1) > data_end)
		return TC_ACT_OK;
	port = th->dest;
	mark = bpf_map_lookup_elem(&service_marks, &port);
	if (mark)
		skb->mark = *mark | SERVICE_MARK;
	return TC_ACT_OK;
}

SEC("action") EXPECT_ACCEPT
int act_drop_fragments(struct __sk_buff *skb)
{
	__be16 frag_off;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_PIPE;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct iphdr, frag_off), &frag_off,
			       sizeof(frag_off)) < 0)
		return TC_ACT_PIPE;
	if (frag_off & bpf_htons(0x3fff))
		return TC_ACT_SHOT;
	return TC_ACT_PIPE;
}

char LICENSE[] SEC("license") = "GPL";
