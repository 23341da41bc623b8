/* xdp_firewall.c: an IPv4 source-address blocklist at the XDP hook, as DDoS scrubbers and
 * host firewalls deploy it. The blocklist is an LRU hash filled from user space; per-CPU drop
 * counters live in the map value; a .rodata switch (set by the loader) turns on dry-run mode.
 * Unsafe twin: xdp_fw_ipv4_nullderef bumps the hit counter without checking the lookup result. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

struct block_entry {
	__u64 hits;
	__u64 last_seen_ns;
	__u32 reason;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __be32);
	__type(value, struct block_entry);
} blocklist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} verdict_count SEC(".maps");

/* Set by the loader before load: 1 = count matches but let them through. */
const volatile __u32 dry_run = 0;

static __always_inline void count_verdict(__u32 action)
{
	__u32 key = action == XDP_DROP ? 1 : 0;
	__u64 *cnt = bpf_map_lookup_elem(&verdict_count, &key);

	if (cnt)
		*cnt += 1;
}

static __always_inline struct iphdr *ipv4_header(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(iph + 1) > data_end)
		return NULL;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	return iph;
}

SEC("xdp") EXPECT_ACCEPT
int xdp_fw_ipv4(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct block_entry *entry;
	struct iphdr *iph;
	__u32 action = XDP_PASS;
	__be32 saddr;

	iph = ipv4_header(data, data_end);
	if (!iph)
		goto out;
	saddr = iph->saddr;
	entry = bpf_map_lookup_elem(&blocklist, &saddr);
	if (!entry)
		goto out;
	__sync_fetch_and_add(&entry->hits, 1);
	entry->last_seen_ns = bpf_ktime_get_ns();
	if (!dry_run)
		action = XDP_DROP;
out:
	count_verdict(action);
	return action;
}

/* The lookup result is used as if every source were listed: for an unlisted source the
 * helper returns NULL and the counter update dereferences it. */
SEC("xdp") EXPECT_REJECT("null-dereference", "invalid mem access 'map_value_or_null'",
			   "entry->hits")
int xdp_fw_ipv4_nullderef(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct block_entry *entry;
	struct iphdr *iph;
	__be32 saddr;

	iph = ipv4_header(data, data_end);
	if (!iph)
		return XDP_PASS;
	saddr = iph->saddr;
	entry = bpf_map_lookup_elem(&blocklist, &saddr);
	__sync_fetch_and_add(&entry->hits, 1);
	if (entry->reason && !dry_run)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
