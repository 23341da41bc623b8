/* sockex_legacy.c: socket filters written the way samples/bpf and early tools were: map
 * definitions in the legacy "maps" ELF section (struct bpf_map_def) and the old "socketN"
 * section names, which only legacy loaders (bpf_load.c, iproute2) understand.
 * sock_proto_bytes counts bytes per IP protocol; sock_len_hist builds a packet-size histogram.
 * sock_proto_bytes_abs is sock_proto_bytes written as sockex1 was, with an absolute packet load.
 * Unsafe twin: sock_len_hist_unchecked uses the array lookup result without a NULL check. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

/* The record layout bpf_load.c read from the "maps" section. */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

#define LEN_BUCKETS 16

struct bpf_map_def SEC("maps") proto_bytes = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 256,
};

struct bpf_map_def SEC("maps") len_hist = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = LEN_BUCKETS,
};

SEC("socket1") EXPECT_ACCEPT
int sock_proto_bytes(struct __sk_buff *skb)
{
	__u8 proto;
	__u32 key;
	__u64 *value;

	if (skb->pkt_type != PACKET_OUTGOING)
		return 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + offsetof(struct iphdr, protocol), &proto, 1) < 0)
		return 0;
	key = proto;
	value = bpf_map_lookup_elem(&proto_bytes, &key);
	if (value)
		__sync_fetch_and_add(value, skb->len);
	return 0;
}

SEC("socket2") EXPECT_ACCEPT
int sock_len_hist(struct __sk_buff *skb)
{
	__u32 bucket = skb->len / 128;
	__u64 *value;

	if (bucket >= LEN_BUCKETS)
		bucket = LEN_BUCKETS - 1;
	value = bpf_map_lookup_elem(&len_hist, &bucket);
	if (value)
		*value += 1;
	return 0;
}

/* The same histogram as first written: array lookups "cannot fail", so the NULL check was left
 * out. The verifier still demands it, for any map type. */
SEC("socket2") EXPECT_REJECT("null-dereference", "invalid mem access 'map_value_or_null'",
			       "*value += 1")
int sock_len_hist_unchecked(struct __sk_buff *skb)
{
	__u32 bucket = skb->len / 128;
	__u64 *value;

	if (bucket >= LEN_BUCKETS)
		bucket = LEN_BUCKETS - 1;
	value = bpf_map_lookup_elem(&len_hist, &bucket);
	*value += 1;
	return 0;
}

/* samples/bpf's sockex1 reads the protocol with a classic-BPF style absolute load (BPF_LD_ABS,
 * implicitly from the skb in r6) instead of bpf_skb_load_bytes. */
#ifdef __clang__
unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
#else
#define load_byte(skb, off) __builtin_bpf_load_byte(off)
#endif

SEC("socket3") EXPECT_ACCEPT
int sock_proto_bytes_abs(struct __sk_buff *skb)
{
	__u32 key = load_byte(skb, ETH_HLEN + offsetof(struct iphdr, protocol));
	__u64 *value;

	if (skb->pkt_type != PACKET_OUTGOING)
		return 0;
	value = bpf_map_lookup_elem(&proto_bytes, &key);
	if (value)
		__sync_fetch_and_add(value, skb->len);
	return 0;
}

char _license[] SEC("license") = "GPL";
