/* socket_filter.c: socket filters of a DNS capture tool: attached to a raw or UDP socket with
 * SO_ATTACH_BPF, they keep only DNS traffic (UDP port 53) and trim it to the DNS header and
 * question. The filter returns how many bytes of the packet to keep; 0 drops it.
 * Unsafe twin: sock_dns_filter_qname lets a helper write more bytes than its stack buffer holds. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define DNS_PORT 53
#define DNS_SNAPLEN 512

struct dns_hdr {
	__be16 id;
	__be16 flags;
	__be16 qdcount;
	__be16 ancount;
	__be16 nscount;
	__be16 arcount;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64); /* [0] queries, [1] responses */
} dns_counts SEC(".maps");

/* Offset of the UDP header in an Ethernet frame, or -1 for non-UDP or fragments. */
static __always_inline int udp_offset(struct __sk_buff *skb)
{
	struct iphdr iph;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return -1;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &iph, sizeof(iph)) < 0)
		return -1;
	if (iph.protocol != IPPROTO_UDP || (iph.frag_off & bpf_htons(0x3fff)))
		return -1;
	return ETH_HLEN + iph.ihl * 4;
}

SEC("socket") EXPECT_ACCEPT
int sock_dns_filter(struct __sk_buff *skb)
{
	struct udphdr uh;
	struct dns_hdr dns;
	__u32 key;
	__u64 *cnt;
	int off = udp_offset(skb);

	if (off < 0)
		return 0;
	if (bpf_skb_load_bytes(skb, off, &uh, sizeof(uh)) < 0)
		return 0;
	if (uh.dest != bpf_htons(DNS_PORT) && uh.source != bpf_htons(DNS_PORT))
		return 0;
	if (bpf_skb_load_bytes(skb, off + sizeof(uh), &dns, sizeof(dns)) < 0)
		return 0;
	key = (bpf_ntohs(dns.flags) >> 15) & 1; /* QR bit */
	cnt = bpf_map_lookup_elem(&dns_counts, &key);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return skb->len < DNS_SNAPLEN ? skb->len : DNS_SNAPLEN;
}

/* Copies the first question name for logging. The length is clamped to the longest DNS name
 * (255) instead of to the buffer (64 bytes), so the helper may write past the stack frame. */
SEC("socket") EXPECT_REJECT("helper-argument", "invalid write to stack",
			      "bpf_skb_load_bytes(skb, off, qname, len)")
int sock_dns_filter_qname(struct __sk_buff *skb)
{
	char qname[64];
	struct udphdr uh;
	__u32 len;
	int off = udp_offset(skb);

	if (off < 0)
		return 0;
	if (bpf_skb_load_bytes(skb, off, &uh, sizeof(uh)) < 0)
		return 0;
	if (uh.dest != bpf_htons(DNS_PORT))
		return 0;
	len = bpf_ntohs(uh.len) - sizeof(uh) - sizeof(struct dns_hdr);
	if (len == 0 || len > 255)
		return 0;
	off += sizeof(uh) + sizeof(struct dns_hdr);
	if (bpf_skb_load_bytes(skb, off, qname, len) < 0)
		return 0;
	if (qname[0] == 0)
		return 0;
	return skb->len < DNS_SNAPLEN ? skb->len : DNS_SNAPLEN;
}

char LICENSE[] SEC("license") = "GPL";
