/* xdp_lpm_firewall.c: a prefix firewall at XDP: deny/allow rules by source prefix in LPM tries
 * (IPv4 and IPv6, as BPF_MAP_TYPE_LPM_TRIE keyed by prefix length + address), an exact
 * (proto, port) service allowlist in a hash, per-rule hit counters in a per-CPU hash and a
 * .rodata default action. The shape of host firewalls built on XDP (e.g. cloud DDoS filters).
 * Unsafe twin: xdp_lpm_fw_v6_wrong_ptr bound-checks the IPv6 header and then reads the TCP
 * ports behind it. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define RULE_ALLOW 1
#define RULE_DENY 2

struct lpm_v4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct lpm_v6_key {
	__u32 prefixlen;
	__u8 addr[16];
};

struct fw_rule {
	__u32 id;
	__u32 action;
};

struct svc_key {
	__u16 port; /* network order */
	__u8 proto;
	__u8 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);
	__type(key, struct lpm_v4_key);
	__type(value, struct fw_rule);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} src_v4_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);
	__type(key, struct lpm_v6_key);
	__type(value, struct fw_rule);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} src_v6_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct svc_key);
	__type(value, __u32);
} open_services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} rule_hits SEC(".maps");

/* XDP_PASS or XDP_DROP for traffic no rule matches; set by the loader. */
const volatile __u32 default_action = XDP_PASS;

static __noinline void count_rule(__u32 id)
{
	__u64 one = 1, *hits;

	hits = bpf_map_lookup_elem(&rule_hits, &id);
	if (!hits)
		bpf_map_update_elem(&rule_hits, &id, &one, BPF_ANY);
	else
		*hits += 1;
}

static __always_inline int service_open(__u8 proto, __u16 port)
{
	struct svc_key k = { .port = port, .proto = proto };

	return bpf_map_lookup_elem(&open_services, &k) != NULL;
}

static __always_inline int apply_rule(struct fw_rule *rule, __u8 proto, __u16 dport)
{
	if (rule) {
		count_rule(rule->id);
		return rule->action == RULE_DENY ? XDP_DROP : XDP_PASS;
	}
	if (proto && service_open(proto, dport))
		return XDP_PASS;
	return default_action;
}

SEC("xdp") EXPECT_ACCEPT
int xdp_lpm_fw_v4(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct lpm_v4_key key = { .prefixlen = 32 };
	struct udphdr *l4;
	__u16 dport = 0;
	__u8 proto = 0;

	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__builtin_memcpy(key.addr, &iph->saddr, sizeof(key.addr));
	if (iph->ihl == 5 && (iph->protocol == IPPROTO_TCP || iph->protocol == IPPROTO_UDP)) {
		l4 = (void *)(iph + 1);
		if ((void *)(l4 + 1) > data_end)
			return XDP_DROP;
		dport = l4->dest;
		proto = iph->protocol;
	}
	return apply_rule(bpf_map_lookup_elem(&src_v4_rules, &key), proto, dport);
}

SEC("xdp") EXPECT_ACCEPT
int xdp_lpm_fw_v6(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h = (void *)(eth + 1);
	struct lpm_v6_key key = { .prefixlen = 128 };
	struct tcphdr *th;
	__u16 dport = 0;
	__u8 proto = 0;

	if ((void *)(ip6h + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	__builtin_memcpy(key.addr, &ip6h->saddr, sizeof(key.addr));
	if (ip6h->nexthdr == IPPROTO_TCP) {
		th = (void *)(ip6h + 1);
		if ((void *)(th + 1) > data_end)
			return XDP_DROP;
		dport = th->dest;
		proto = IPPROTO_TCP;
	}
	return apply_rule(bpf_map_lookup_elem(&src_v6_rules, &key), proto, dport);
}

/* The bound check names the IPv6 header where the TCP header was meant: the ports behind it
 * are read unchecked. */
SEC("xdp") EXPECT_REJECT("packet-out-of-bounds", "offset is outside of the packet", "dport = th->dest")
int xdp_lpm_fw_v6_wrong_ptr(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h = (void *)(eth + 1);
	struct lpm_v6_key key = { .prefixlen = 128 };
	struct tcphdr *th;
	__u16 dport = 0;
	__u8 proto = 0;

	if ((void *)(ip6h + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	__builtin_memcpy(key.addr, &ip6h->saddr, sizeof(key.addr));
	if (ip6h->nexthdr == IPPROTO_TCP) {
		th = (void *)(ip6h + 1);
		if ((void *)(ip6h + 1) > data_end)
			return XDP_DROP;
		dport = th->dest;
		proto = IPPROTO_TCP;
	}
	return apply_rule(bpf_map_lookup_elem(&src_v6_rules, &key), proto, dport);
}

char LICENSE[] SEC("license") = "GPL";
