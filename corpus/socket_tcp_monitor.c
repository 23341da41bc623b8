/* socket_tcp_monitor.c: socket filters for a packet-capture / monitoring agent (attached with
 * SO_ATTACH_BPF to an AF_PACKET socket): one keeps only TCP SYNs (connection attempts) and
 * counts them per destination port, one keeps HTTP requests by looking at the first payload
 * bytes, loaded with bpf_skb_load_bytes at offsets computed from the IHL and data offset
 * fields. Socket filters return the number of bytes to keep (0 drops).
 * Unsafe twin: sock_syn_tag_priority tries to tag the kept packets through skb->priority; a
 * socket filter may only write the cb[] scratch area. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define SNAPLEN 256

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);
	__type(value, __u64);
} syn_by_port SEC(".maps");

/* Loads the IPv4 and TCP headers of an Ethernet frame; returns the TCP header offset. */
static __always_inline int load_tcp(struct __sk_buff *skb, struct iphdr *iph, struct tcphdr *th)
{
	__u32 ihl_len;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return -1;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, iph, sizeof(*iph)))
		return -1;
	if (iph->protocol != IPPROTO_TCP || (iph->frag_off & bpf_htons(0x1fff)))
		return -1;
	ihl_len = iph->ihl * 4;
	if (ihl_len < sizeof(*iph))
		return -1;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + ihl_len, th, sizeof(*th)))
		return -1;
	return ETH_HLEN + ihl_len;
}

SEC("socket") EXPECT_ACCEPT
int sock_tcp_syn(struct __sk_buff *skb)
{
	struct iphdr iph;
	struct tcphdr th;
	__u64 one = 1, *cnt;
	__u16 port;

	if (load_tcp(skb, &iph, &th) < 0)
		return 0;
	if (!th.syn || th.ack)
		return 0;
	port = bpf_ntohs(th.dest);
	cnt = bpf_map_lookup_elem(&syn_by_port, &port);
	if (cnt)
		*cnt += 1;
	else
		bpf_map_update_elem(&syn_by_port, &port, &one, BPF_NOEXIST);
	return SNAPLEN;
}

SEC("socket") EXPECT_REJECT("context-access", "invalid bpf_context access",
			    "skb->priority = 7")
int sock_syn_tag_priority(struct __sk_buff *skb)
{
	struct iphdr iph;
	struct tcphdr th;

	if (load_tcp(skb, &iph, &th) < 0)
		return 0;
	if (!th.syn || th.ack)
		return 0;
	skb->priority = 7;
	return SNAPLEN;
}

SEC("socket") EXPECT_ACCEPT
int sock_http_requests(struct __sk_buff *skb)
{
	static const char methods[4][4] = { "GET ", "POST", "PUT ", "HEAD" };
	struct iphdr iph;
	struct tcphdr th;
	char start[4];
	int off, i;

	off = load_tcp(skb, &iph, &th);
	if (off < 0)
		return 0;
	off += th.doff * 4;
	if (bpf_skb_load_bytes(skb, off, start, sizeof(start)))
		return 0;
	for (i = 0; i < 4; i++) {
		if (start[0] == methods[i][0] && start[1] == methods[i][1] &&
		    start[2] == methods[i][2] && start[3] == methods[i][3])
			return skb->len;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
