/* cgroup_skb_policy.c: cgroup ingress policy of a container runtime: packets entering the
 * cgroup for a denied TCP/UDP destination port are dropped, and a per-cgroup counter records it.
 * A cgroup_skb program must return 1 (allow) or 0 (drop).
 * Unsafe twin: cgskb_ingress_policy_tc_codes returns tc action codes (TC_ACT_SHOT = 2). */
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define CGROUP_ALLOW 1
#define CGROUP_DROP 0

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16); /* host-order destination port */
	__type(value, __u8);
} denied_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* cgroup id */
	__type(value, __u64);
} drops_by_cgroup SEC(".maps");

/* cgroup_skb data starts at the IP header. Returns the host-order destination port or 0. */
static __always_inline __u16 dest_port(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct iphdr *iph = data;
	struct tcphdr *th;

	if (skb->protocol != bpf_htons(0x0800))
		return 0;
	if ((void *)(iph + 1) > data_end || iph->ihl != 5)
		return 0;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return 0;
	th = (void *)(iph + 1);
	if ((void *)th + 4 > data_end) /* both headers start with the two ports */
		return 0;
	return bpf_ntohs(th->dest);
}

static __always_inline void count_drop(void)
{
	__u64 cgid = bpf_get_current_cgroup_id();
	__u64 one = 1, *cnt;

	cnt = bpf_map_lookup_elem(&drops_by_cgroup, &cgid);
	if (cnt)
		*cnt += 1;
	else
		bpf_map_update_elem(&drops_by_cgroup, &cgid, &one, BPF_ANY);
}

SEC("cgroup_skb/ingress") EXPECT_ACCEPT
int cgskb_ingress_policy(struct __sk_buff *skb)
{
	__u16 port = dest_port(skb);

	if (port && bpf_map_lookup_elem(&denied_ports, &port)) {
		count_drop();
		return CGROUP_DROP;
	}
	return CGROUP_ALLOW;
}

/* Ported from a tc program without adapting the return codes. */
SEC("cgroup_skb/ingress") EXPECT_REJECT("bad-return-value", "should have been in [0, 1]",
					 "return verdict")
int cgskb_ingress_policy_tc_codes(struct __sk_buff *skb)
{
	__u16 port = dest_port(skb);
	int verdict = TC_ACT_OK;

	if (port && bpf_map_lookup_elem(&denied_ports, &port)) {
		count_drop();
		verdict = TC_ACT_SHOT;
	}
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
