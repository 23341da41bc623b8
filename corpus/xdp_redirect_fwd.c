/* xdp_redirect_fwd.c: XDP forwarding in the style of the kernel's samples/bpf xdp_fwd and
 * xdp_redirect_map and of xdp-tools' xdp-forward: a FIB lookup (bpf_fib_lookup) decides the
 * egress interface and next-hop MACs, the TTL is decremented with an incremental checksum
 * update and the frame is redirected through a DEVMAP (interfaces enabled by user space); a
 * port-to-port bridge redirects by ingress ifindex; a CPUMAP spreader steers flows to CPUs by
 * hash. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define AF_INET 2
#define MAX_CPUS 64

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} fwd_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, MAX_CPUS);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpu_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cpus_available SEC(".maps");

static __always_inline void ip_decrease_ttl(struct iphdr *iph)
{
	__u32 check = iph->check;

	check += bpf_htons(0x0100);
	iph->check = (__u16)(check + (check >= 0xFFFF));
	iph->ttl--;
}

SEC("xdp") EXPECT_ACCEPT
int xdp_fwd_fib(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct bpf_fib_lookup fib = {};
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	long rc;

	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ttl <= 1)
		return XDP_PASS;
	fib.family = AF_INET;
	fib.tos = iph->tos;
	fib.l4_protocol = iph->protocol;
	fib.tot_len = bpf_ntohs(iph->tot_len);
	fib.ipv4_src = iph->saddr;
	fib.ipv4_dst = iph->daddr;
	fib.ifindex = ctx->ingress_ifindex;
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return rc == BPF_FIB_LKUP_RET_BLACKHOLE ? XDP_DROP : XDP_PASS;
	/* Only interfaces user space put into the devmap are forwarded to. */
	if (!bpf_map_lookup_elem(&fwd_ports, &fib.ifindex))
		return XDP_PASS;
	ip_decrease_ttl(iph);
	__builtin_memcpy(eth->h_dest, fib.dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib.smac, ETH_ALEN);
	return bpf_redirect_map(&fwd_ports, fib.ifindex, 0);
}

SEC("xdp") EXPECT_ACCEPT
int xdp_redirect_port(struct xdp_md *ctx)
{
	/* tx_ports[ingress] = egress ifindex; a missing slot falls back to XDP_PASS. */
	return bpf_redirect_map(&tx_ports, ctx->ingress_ifindex, XDP_PASS);
}

SEC("xdp") EXPECT_ACCEPT
int xdp_cpu_spread(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u32 zero = 0, *n, cpu;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	n = bpf_map_lookup_elem(&cpus_available, &zero);
	if (!n || *n == 0 || *n > MAX_CPUS)
		return XDP_PASS;
	cpu = (iph->saddr ^ iph->daddr) % *n; /* symmetric: both directions on one CPU */
	return bpf_redirect_map(&cpu_map, cpu, 0);
}

char LICENSE[] SEC("license") = "GPL";
