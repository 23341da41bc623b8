/* tc_http_match.c: a tc egress monitor that recognizes plain-text HTTP requests by their method
 * and counts them per method, and records the request path of matching requests, as an L7
 * visibility agent does for unencrypted service traffic.
 * Unsafe twin: tc_http_path terminates the copied path at the payload length masked to 8 bits,
 * which reaches past its 64-byte stack buffer. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "bpfcheck_expect.h"

#define METHOD_LEN 8
#define PATH_LEN 64

enum http_method { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_OTHER, HTTP_METHODS };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HTTP_METHODS);
	__type(key, __u32);
	__type(value, __u64);
} http_requests SEC(".maps");

struct path_record {
	__u32 len;
	char path[PATH_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* socket cookie */
	__type(value, struct path_record);
} last_path SEC(".maps");

/* Offset of the TCP payload of an IPv4 frame, or -1. Out of line: both programs call it. */
static __noinline int payload_offset(struct __sk_buff *skb)
{
	struct iphdr iph;
	struct tcphdr th;
	int off = ETH_HLEN;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return -1;
	if (bpf_skb_load_bytes(skb, off, &iph, sizeof(iph)) < 0 || iph.protocol != IPPROTO_TCP)
		return -1;
	off += iph.ihl * 4;
	if (bpf_skb_load_bytes(skb, off, &th, sizeof(th)) < 0)
		return -1;
	return off + th.doff * 4;
}

static __always_inline int prefix_is(const char *buf, const char *word, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (buf[i] != word[i])
			return 0;
	return 1;
}

SEC("tc") EXPECT_ACCEPT
int tc_http_methods(struct __sk_buff *skb)
{
	char buf[METHOD_LEN];
	__u32 method = HTTP_OTHER;
	__u64 *count;
	int off = payload_offset(skb);

	if (off < 0 || bpf_skb_load_bytes(skb, off, buf, sizeof(buf)) < 0)
		return TC_ACT_OK;
	if (prefix_is(buf, "GET ", 4))
		method = HTTP_GET;
	else if (prefix_is(buf, "POST ", 5))
		method = HTTP_POST;
	else if (prefix_is(buf, "PUT ", 4))
		method = HTTP_PUT;
	else if (prefix_is(buf, "DELETE ", 7))
		method = HTTP_DELETE;
	else
		return TC_ACT_OK; /* not the start of a request */
	count = bpf_map_lookup_elem(&http_requests, &method);
	if (count)
		*count += 1;
	return TC_ACT_OK;
}

SEC("tc") EXPECT_REJECT("stack-out-of-bounds", "variable-offset write to stack",
			  "rec.path[len & 0xff] = 0")
int tc_http_path(struct __sk_buff *skb)
{
	struct path_record rec;
	__u32 len, copy;
	__u64 cookie;
	int off = payload_offset(skb);

	if (off < 0 || bpf_skb_load_bytes(skb, off, rec.path, 4) < 0)
		return TC_ACT_OK;
	if (!prefix_is(rec.path, "GET ", 4))
		return TC_ACT_OK;
	len = skb->len - off - 4;
	copy = len < PATH_LEN - 1 ? len : PATH_LEN - 1;
	if (copy == 0 || bpf_skb_load_bytes(skb, off + 4, rec.path, copy) < 0)
		return TC_ACT_OK;
	/* Terminates at the payload length instead of the copied length; the mask was meant to
	 * keep the index in range, but a byte is not a 64-byte buffer. */
	rec.path[len & 0xff] = 0;
	rec.len = copy;
	cookie = bpf_get_socket_cookie(skb);
	bpf_map_update_elem(&last_path, &cookie, &rec, BPF_ANY);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
