/* sockmap_proxy.c: same-host socket acceleration and TCP tuning, as service meshes and Cilium
 * do it. A sockops program adds every established IPv4 TCP socket to a SOCKHASH keyed by its
 * 4-tuple, picks the congestion control and initial window for datacenter peers, and asks for
 * RTT callbacks that feed a per-CPU RTT histogram; an sk_msg program redirects sendmsg() data
 * straight to the peer socket when both ends are local (bpf_msg_redirect_hash); an sk_skb
 * stream parser/verdict pair forwards a proxy's received stream through a SOCKMAP.
 * Unsafe twins: sockops_tune_cc_overread hands bpf_setsockopt a 16-byte option length for an
 * 8-byte stack buffer; sk_msg_hdr_short checks 4 bytes of the message and reads 8. */
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define AF_INET 2
#define SOL_TCP 6
#define TCP_CONGESTION 13
#define TCP_BPF_IW 1001
#define TCP_CA_NAME_MAX 16
#define RTT_SLOTS 24

struct sock_key {
	__u32 sip4;
	__u32 dip4;
	__u32 sport; /* local port, host order as the context gives it */
	__u32 dport; /* remote port, network order as the context gives it */
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 65535);
	__type(key, struct sock_key);
	__type(value, __u32);
} sock_ops_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} proxy_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RTT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} rtt_hist SEC(".maps");

/* Datacenter prefix and mask (network order; the loader may override the default 10/8);
 * peers inside get the DC tuning. */
const volatile __u32 dc_prefix = __bpf_constant_htonl(0x0a000000);
const volatile __u32 dc_mask = __bpf_constant_htonl(0xff000000);
/* The proxy's listening port (host order, as sk_skb's local_port). */
const volatile __u32 proxy_port = 15001;

static __always_inline void sk_key_from_ops(struct bpf_sock_ops *skops, struct sock_key *key)
{
	key->sip4 = skops->local_ip4;
	key->dip4 = skops->remote_ip4;
	key->sport = skops->local_port;
	key->dport = skops->remote_port;
}

static __always_inline int in_dc(__u32 addr)
{
	return dc_mask && (addr & dc_mask) == dc_prefix;
}

SEC("sockops") EXPECT_ACCEPT
int sockops_establish(struct bpf_sock_ops *skops)
{
	struct sock_key key = {};

	if (skops->family != AF_INET)
		return 1;
	switch (skops->op) {
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
		sk_key_from_ops(skops, &key);
		bpf_sock_hash_update(skops, &sock_ops_map, &key, BPF_NOEXIST);
		break;
	default:
		break;
	}
	return 1;
}

SEC("sockops") EXPECT_ACCEPT
int sockops_tcp_tune(struct bpf_sock_ops *skops)
{
	char cc[TCP_CA_NAME_MAX] = "dctcp";
	int iw = 40;
	int rv = -1;

	if (skops->family != AF_INET || !in_dc(skops->remote_ip4)) {
		skops->reply = -1;
		return 1;
	}
	switch (skops->op) {
	case BPF_SOCK_OPS_TCP_CONNECT_CB:
		rv = bpf_setsockopt(skops, SOL_TCP, TCP_CONGESTION, cc, sizeof(cc));
		break;
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		rv = bpf_setsockopt(skops, SOL_TCP, TCP_BPF_IW, &iw, sizeof(iw));
		bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_RTT_CB_FLAG);
		break;
	default:
		break;
	}
	skops->reply = rv;
	return 1;
}

/* The congestion-control name sits in an 8-byte buffer, but the option length passed is the
 * kernel's maximum name length: the helper reads 8 bytes past the buffer. */
SEC("sockops") EXPECT_REJECT("helper-argument", "invalid read from stack",
			     "rv = bpf_setsockopt(skops, SOL_TCP, TCP_CONGESTION, cc, TCP_CA_NAME_MAX)")
int sockops_tune_cc_overread(struct bpf_sock_ops *skops)
{
	char cc[8] = "bbr";
	int rv = -1;

	if (skops->op == BPF_SOCK_OPS_TCP_CONNECT_CB && in_dc(skops->remote_ip4))
		rv = bpf_setsockopt(skops, SOL_TCP, TCP_CONGESTION, cc, TCP_CA_NAME_MAX);
	skops->reply = rv;
	return 1;
}

SEC("sockops") EXPECT_ACCEPT
int sockops_rtt_hist(struct bpf_sock_ops *skops)
{
	__u32 srtt_us, slot = 0;
	__u64 *cnt;
	int i;

	if (skops->op == BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB ||
	    skops->op == BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB) {
		bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_RTT_CB_FLAG);
		return 1;
	}
	if (skops->op != BPF_SOCK_OPS_RTT_CB)
		return 1;
	srtt_us = skops->srtt_us >> 3; /* srtt is kept scaled by 8 */
	for (i = 0; i < RTT_SLOTS - 1; i++) {
		if (srtt_us <= 1)
			break;
		srtt_us >>= 1;
		slot++;
	}
	cnt = bpf_map_lookup_elem(&rtt_hist, &slot);
	if (cnt)
		*cnt += 1;
	return 1;
}

SEC("sk_msg") EXPECT_ACCEPT
int sk_msg_redirect_local(struct sk_msg_md *msg)
{
	struct sock_key key = {};

	if (msg->family != AF_INET)
		return SK_PASS;
	/* The peer's key: addresses and ports swapped (the byte orders of the two port fields
	 * differ; user space keys the map the same way). */
	key.sip4 = msg->remote_ip4;
	key.dip4 = msg->local_ip4;
	key.sport = msg->remote_port;
	key.dport = msg->local_port;
	bpf_msg_redirect_hash(msg, &sock_ops_map, &key, BPF_F_INGRESS);
	return SK_PASS;
}

/* An application-level policy on a length-prefixed protocol: the check covers the 4-byte
 * length, the read takes the 4-byte type after it too. */
struct app_hdr {
	__u32 len;
	__u32 type;
};

SEC("sk_msg") EXPECT_REJECT("packet-out-of-bounds", "offset is outside of the packet",
			    "if (hdr->type == 0xdead)")
int sk_msg_hdr_short(struct sk_msg_md *msg)
{
	void *data_end = msg->data_end;
	struct app_hdr *hdr = msg->data;

	if ((void *)hdr + sizeof(hdr->len) > data_end)
		return SK_PASS;
	if (hdr->type == 0xdead)
		return SK_DROP;
	return SK_PASS;
}

SEC("sk_skb/stream_parser") EXPECT_ACCEPT
int sk_skb_stream_parser(struct __sk_buff *skb)
{
	return skb->len;
}

SEC("sk_skb/stream_verdict") EXPECT_ACCEPT
int sk_skb_stream_verdict(struct __sk_buff *skb)
{
	/* Slot 0 holds the client-side socket (accepted on the proxy's listening port), slot 1
	 * the backend connection: forward to the other end. */
	__u32 other = skb->local_port == proxy_port ? 1 : 0;

	return bpf_sk_redirect_map(skb, &proxy_socks, other, 0);
}

char LICENSE[] SEC("license") = "GPL";
