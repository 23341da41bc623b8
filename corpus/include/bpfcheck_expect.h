/* bpfcheck_expect.h: expected verdicts of the corpus programs, stored in the object itself.
 * Each macro puts BTF decl tags on the program function (as the kernel selftests' bpf_misc.h
 * does), so a test reads the expectation from the .o with libbpf's BTF API, no side files.
 *
 * Usage, between SEC() and the return type:
 *
 *   SEC("xdp") EXPECT_ACCEPT
 *   int xdp_count(struct xdp_md *ctx) { ... }
 *
 *   SEC("xdp") EXPECT_REJECT("packet-out-of-bounds", "invalid access to packet", "th->dest")
 *   int xdp_count_unchecked(struct xdp_md *ctx) { ... }
 *
 * Tag scheme (BTF_KIND_DECL_TAG, component_idx -1, target = the program's BTF FUNC):
 *
 *   expect:accept                the running kernel's verifier accepts the program
 *   expect:reject                the running kernel's verifier rejects the program
 *   expect:rule=<id>             bpfcheck's stable rule id for the defect (kebab-case):
 *                                packet-out-of-bounds, null-dereference,
 *                                uninitialized-stack-read, stack-out-of-bounds,
 *                                helper-argument, unbounded-loop, reference-leak,
 *                                bad-return-value, map-value-out-of-bounds (a constant or
 *                                variable offset past a map value), context-access (a
 *                                context field the program type may not read or write)
 *   expect:kernel_msg=<text>     a substring of the verifier's last error line
 *   expect:line=<text>           a substring of the source line the verifier blames: the text of
 *                                the last "; <source> @ file:NN" annotation before the error at
 *                                log level 1 (BTF line_info), so renumbering does not break it
 *   expect:caps=<cap,...>        optional: load with only these capabilities in the effective
 *                                set (e.g. "bpf,net_admin", as a CNI agent without CAP_PERFMON
 *                                or CAP_SYS_ADMIN runs); without it, the program is loaded as
 *                                root. Needed where root lifts a check, e.g. reads of
 *                                uninitialized stack, which CAP_PERFMON allows since Linux 6.4.
 *
 * Compilers without btf_decl_tag (bpf-gcc 12) get empty macros; their objects take the
 * expectation of the clang object built from the same source (same program name).
 */
#ifndef BPFCHECK_EXPECT_H
#define BPFCHECK_EXPECT_H

#if defined(__has_attribute)
#if __has_attribute(btf_decl_tag)
#define BPFCHECK_HAS_DECL_TAG 1
#endif
#endif

#ifdef BPFCHECK_HAS_DECL_TAG
#define BPFCHECK_TAG(text) __attribute__((btf_decl_tag(text)))
#else
#define BPFCHECK_TAG(text)
#endif

#define EXPECT_ACCEPT BPFCHECK_TAG("expect:accept")

#define EXPECT_REJECT(rule, kernel_msg, source_snippet)                                        \
	BPFCHECK_TAG("expect:reject")                                                         \
	BPFCHECK_TAG("expect:rule=" rule)                                                     \
	BPFCHECK_TAG("expect:kernel_msg=" kernel_msg)                                         \
	BPFCHECK_TAG("expect:line=" source_snippet)

/* Combine with EXPECT_ACCEPT or EXPECT_REJECT, e.g. EXPECT_CAPS("bpf,net_admin"). */
#define EXPECT_CAPS(caps) BPFCHECK_TAG("expect:caps=" caps)

#endif /* BPFCHECK_EXPECT_H */
