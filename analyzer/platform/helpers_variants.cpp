// Helper prototypes that differ by program type: the kernel hands out different bpf_func_proto
// structs under one helper id (e.g. a context-free variant in the base set, a context-taking one
// for tc). find_helper(id, type) consults this table before the family tables.
#include "helper_builders.h"

#include <algorithm>

namespace bpfcheck::platform {
namespace {

using namespace detail;
using enum RetKind;
using enum ProgramType;

struct Variant {
  std::initializer_list<ProgramType> types;
  HelperPrototype prototype;
};

const Variant kVariants[] = {
    // bpf_get_cgroup_classid_curr_proto: the base set's version reads the current task.
    {{SocketFilter, Kprobe, Tracepoint, Xdp, PerfEvent, CgroupSkb, CgroupSock, SockOps, SkSkb,
      CgroupDevice, SkMsg, RawTracepoint, CgroupSockAddr, SkReuseport, FlowDissector, CgroupSysctl,
      RawTracepointWritable, CgroupSockopt, SkLookup},
     {17, "get_cgroup_classid", Integer, {}}},
    // bpf_sk_lookup_assign_proto: a socket or NULL (to clear), plus flags.
    {{SkLookup},
     {124,
      "sk_assign",
      Integer,
      {kCtx, {ArgKind::PtrToSocket, kMaybeNull}, kAny},
      0,
      0,
      -1,
      -kMaxErrno,
      0}},
    // bpf_get_socket_ptr_cookie_proto: the reuseport context is no socket; pass one (or NULL).
    {{SkReuseport}, {46, "get_socket_cookie", Integer, {kBtfSockCommonOrNull}}},
    // bpf_sk_setsockopt/getsockopt_proto: a sockopt hook names the socket explicitly.
    {{CgroupSockopt},
     {49,
      "setsockopt",
      Integer,
      {kBtfSockCommon, kAny, kAny, kMemRo, kSize},
      0,
      0,
      -1,
      -kMaxErrno,
      0}},
    {{CgroupSockopt},
     {57,
      "getsockopt",
      Integer,
      {kBtfSockCommon, kAny, kAny, kMemUninit, kSize},
      0,
      0,
      -1,
      -kMaxErrno,
      0}},
};

std::vector<HelperPrototype> flatten() {
  std::vector<HelperPrototype> all;
  for (const Variant &variant : kVariants)
    all.push_back(variant.prototype);
  return all;
}

} // namespace

const HelperPrototype *find_helper(std::uint32_t id, ProgramType type) {
  for (const Variant &variant : kVariants)
    if (variant.prototype.id == id &&
        std::find(variant.types.begin(), variant.types.end(), type) != variant.types.end())
      return &variant.prototype;
  return find_helper(id);
}

std::span<const HelperPrototype> helper_variants() {
  static const std::vector<HelperPrototype> all = flatten();
  return all;
}

} // namespace bpfcheck::platform
