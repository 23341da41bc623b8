/* flow_dissector.c: a BPF flow dissector (BPF_PROG_TYPE_FLOW_DISSECTOR, attached to a netns)
 * that replaces the kernel's C dissector for IPv4 over Ethernet, as the selftests' bpf_flow.c
 * and tunnel-aware deployments do: it fills struct bpf_flow_keys (protocols, addresses,
 * ports, fragment flags, transport offset) starting at keys->nhoff.
 * Unsafe twin: flow_dissect_ipv4_ports reads the ports straight from the packet at
 * keys->thoff without checking them against data_end (the safe program copies them out with
 * bpf_skb_load_bytes). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

struct ports {
	__be16 sport;
	__be16 dport;
};

static __always_inline struct iphdr *ipv4_at_nhoff(struct __sk_buff *skb,
						   struct bpf_flow_keys *keys)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	__u16 nhoff = keys->nhoff;
	struct iphdr *iph;

	/* Keeps offset + header size within the 64 KiB the verifier tracks for packets. */
	if (nhoff > 0xffff - sizeof(*iph))
		return NULL;
	iph = data + nhoff;
	if ((void *)(iph + 1) > data_end)
		return NULL;
	return iph;
}

SEC("flow_dissector") EXPECT_ACCEPT
int flow_dissect_ipv4(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;
	struct ports copy;
	struct iphdr *iph;

	if (keys->n_proto != bpf_htons(ETH_P_IP))
		return BPF_DROP;
	iph = ipv4_at_nhoff(skb, keys);
	if (!iph || iph->ihl < 5)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IP;
	keys->ipv4_src = iph->saddr;
	keys->ipv4_dst = iph->daddr;
	keys->ip_proto = iph->protocol;
	keys->thoff = keys->nhoff + (iph->ihl << 2);
	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFSET)) {
		keys->is_frag = 1;
		if (iph->frag_off & bpf_htons(IP_OFFSET))
			return BPF_OK; /* later fragment: no ports */
		keys->is_first_frag = 1;
	}
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return BPF_OK;
	/* The ports may lie past the linear data (IP options, paged skbs): copy them out, as
	 * bpf_flow.c's header getter does when direct access does not reach. */
	if (bpf_skb_load_bytes(skb, keys->thoff, &copy, sizeof(copy)))
		return BPF_DROP;
	keys->sport = copy.sport;
	keys->dport = copy.dport;
	return BPF_OK;
}

SEC("flow_dissector") EXPECT_REJECT("packet-out-of-bounds", "offset is outside of the packet",
				    "keys->sport = ports->sport")
int flow_dissect_ipv4_ports(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;
	void *data = (void *)(long)skb->data;
	struct ports *ports;
	struct iphdr *iph;
	__u16 thoff;

	if (keys->n_proto != bpf_htons(ETH_P_IP))
		return BPF_DROP;
	iph = ipv4_at_nhoff(skb, keys);
	if (!iph || iph->ihl < 5)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IP;
	keys->ipv4_src = iph->saddr;
	keys->ipv4_dst = iph->daddr;
	keys->ip_proto = iph->protocol;
	keys->thoff = keys->nhoff + (iph->ihl << 2);
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return BPF_OK;
	/* The offset is kept in range, but the ports are never checked against data_end. */
	thoff = keys->thoff;
	if (thoff > 0xffff - sizeof(*ports))
		return BPF_DROP;
	ports = data + thoff;
	keys->sport = ports->sport;
	keys->dport = ports->dport;
	return BPF_OK;
}

char LICENSE[] SEC("license") = "GPL";
