/* tc_tproxy_assign.c: transparent proxying on tc ingress with bpf_sk_assign, as Cilium's L7
 * proxy redirection and the kernel's test_sk_assign do: for TCP traffic to a proxied port the
 * program first looks for an established socket of the flow, else the proxy's listening
 * socket on 127.0.0.1:proxy_port, assigns it to the skb and releases the reference.
 * Unsafe twin: tc_tproxy_assign_leak returns early when the found socket is not listening
 * and never calls bpf_sk_release on that path. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define BPF_TCP_LISTEN 10

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __be16);
	__type(value, __be16); /* proxy port, network order */
} proxied_ports SEC(".maps");

static __always_inline struct tcphdr *tcp_ipv4(struct __sk_buff *skb, struct iphdr **iphp)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct tcphdr *th = (void *)(iph + 1);

	if ((void *)(th + 1) > data_end)
		return NULL;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 || iph->protocol != IPPROTO_TCP)
		return NULL;
	*iphp = iph;
	return th;
}

SEC("tc") EXPECT_ACCEPT
int tc_tproxy_assign(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple = {};
	struct bpf_sock *sk;
	struct iphdr *iph;
	struct tcphdr *th;
	__be16 *proxy_port, dport;
	long err;

	th = tcp_ipv4(skb, &iph);
	if (!th)
		return TC_ACT_OK;
	dport = th->dest;
	proxy_port = bpf_map_lookup_elem(&proxied_ports, &dport);
	if (!proxy_port)
		return TC_ACT_OK;
	tuple.ipv4.saddr = iph->saddr;
	tuple.ipv4.daddr = iph->daddr;
	tuple.ipv4.sport = th->source;
	tuple.ipv4.dport = th->dest;
	/* An established connection of this flow already belongs to the proxy. */
	sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk) {
		if (sk->state != BPF_TCP_LISTEN)
			goto assign;
		bpf_sk_release(sk);
	}
	tuple.ipv4.daddr = bpf_htonl(0x7f000001);
	tuple.ipv4.dport = *proxy_port;
	sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_SHOT;
	if (sk->state != BPF_TCP_LISTEN) {
		bpf_sk_release(sk);
		return TC_ACT_SHOT;
	}
assign:
	err = bpf_sk_assign(skb, sk, 0);
	bpf_sk_release(sk);
	return err ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc") EXPECT_REJECT("reference-leak", "would lead to reference leak",
			  "if (sk->state != BPF_TCP_LISTEN)")
int tc_tproxy_assign_leak(struct __sk_buff *skb)
{
	struct bpf_sock_tuple tuple = {};
	struct bpf_sock *sk;
	struct iphdr *iph;
	struct tcphdr *th;
	__be16 *proxy_port, dport;
	long err;

	th = tcp_ipv4(skb, &iph);
	if (!th)
		return TC_ACT_OK;
	dport = th->dest;
	proxy_port = bpf_map_lookup_elem(&proxied_ports, &dport);
	if (!proxy_port)
		return TC_ACT_OK;
	tuple.ipv4.saddr = iph->saddr;
	tuple.ipv4.sport = th->source;
	tuple.ipv4.daddr = bpf_htonl(0x7f000001);
	tuple.ipv4.dport = *proxy_port;
	sk = bpf_sk_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_SHOT;
	if (sk->state != BPF_TCP_LISTEN)
		return TC_ACT_SHOT; /* the proxy is restarting */
	err = bpf_sk_assign(skb, sk, 0);
	bpf_sk_release(sk);
	return err ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
