// Which helpers each program type may call: the kernel's *_func_proto functions as id lists.
// Every type starts from bpf_base_func_proto (as the root user: CAP_BPF and CAP_PERFMON granted);
// socket-bound types add bpf_sk_base_func_proto, tracing types bpf_tracing_func_proto.
#include "platform.h"

#include <algorithm>
#include <initializer_list>

namespace bpfcheck::platform {
namespace {

using enum ProgramType;
using Ids = std::initializer_list<std::uint16_t>;

// bpf_base_func_proto (kernel/bpf/helpers.c), 6.18: maps, clocks, ring buffers, loops, strings,
// timers, dynptrs, kptrs, and (with CAP_PERFMON) printing, probe reads and current-task queries.
constexpr std::uint16_t kBase[] = {
    1,   2,   3,   5,   6,   7,   8,   12,  14,  15,  16,  17,  22,  35,  37,  42,  55,  80,  87,
    88,  89,  93,  94,  105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132,
    133, 134, 141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 175, 176, 177,
    180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211};

// bpf_sk_base_func_proto (net/core/filter.c): BTF socket casts and the coarse clock.
constexpr std::uint16_t kSkBase[] = {136, 137, 138, 139, 140, 160, 178, 196};

// bpf_tracing_func_proto additions over the base set for kprobe/tracepoint/raw_tracepoint:
// legacy probe reads, perf output, stacks, function ip and attach cookie.
constexpr std::uint16_t kTracing[] = {4, 25, 27, 45, 67, 173, 174};

enum Base : std::uint8_t { kPlain = 0, kWithSk = 1, kWithTracing = 2 };

struct TypeHelpers {
  ProgramType type;
  Base base;
  std::initializer_list<std::uint16_t> own; // the type's func_proto beyond its base sets
};

// Tc's list is long: packet rewriting, checksums, tunnels, redirects, socket lookups, fib.
const TypeHelpers kTypes[] = {
    {SocketFilter, kWithSk, {25, 26, 46, 47, 68, 122}},
    {Kprobe, kWithTracing, {}},
    {Tracepoint, kWithTracing, {}},
    {RawTracepoint, kWithTracing, {}},
    {RawTracepointWritable, kWithTracing, {}},
    {PerfEvent, kWithTracing, {56, 119}},
    {SchedCls, kWithSk, {9,   10,  11,  13,  18,  19,  20,  21,  23,  24,  25,  26,  28,  29,  30,
                         31,  32,  33,  34,  38,  39,  40,  41,  43,  46,  47,  48,  50,  66,  68,
                         69,  79,  83,  84,  85,  86,  95,  96,  97,  98,  99,  100, 107, 108, 110,
                         122, 124, 135, 151, 152, 155, 163, 192, 204, 205, 206, 207}},
    {SchedAct, kWithSk, {9,   10,  11,  13,  18,  19,  20,  21,  23,  24,  25,  26,  28,  29,  30,
                         31,  32,  33,  34,  38,  39,  40,  41,  43,  46,  47,  48,  50,  66,  68,
                         69,  79,  83,  84,  85,  86,  95,  96,  97,  98,  99,  100, 107, 108, 110,
                         122, 124, 135, 151, 152, 155, 163, 192, 204, 205, 206, 207}},
    {Xdp, kWithSk, {23, 25,  28,  44,  51,  54,  65,  69,  84,  85,  86,
                    99, 100, 110, 163, 188, 189, 190, 204, 205, 206, 207}},
    {CgroupSkb, kWithSk, {25, 26, 46, 47, 68, 79,  81,  83,  84,  85, 86,
                          95, 96, 97, 98, 99, 107, 108, 122, 128, 129}},
    {CgroupSock, kPlain, {25, 46, 81, 107, 122, 160, 186, 187}},
    {LwtIn, kWithSk, {24, 25, 26, 28, 33, 34, 39, 73}},
    {LwtOut, kWithSk, {24, 25, 26, 28, 33, 34, 39}},
    {LwtXmit, kWithSk, {9,  10, 11, 13, 20, 21, 23, 24, 25, 26, 28,
                        29, 30, 33, 34, 38, 39, 40, 41, 43, 73, 135}},
    {LwtSeg6local, kWithSk, {24, 25, 26, 28, 33, 34, 39, 74, 75, 76}},
    {SockOps, kWithSk, {25, 46, 49, 53, 57, 59, 70, 81, 96, 107, 108, 122, 142, 143, 144}},
    {SkSkb, kWithSk, {9, 25, 26, 38, 39, 43, 46, 47, 50, 52, 72, 84, 85, 86, 99}},
    {CgroupDevice, kPlain, {25, 81}},
    {SkMsg, kWithSk, {25, 60, 61, 62, 63, 71, 90, 91, 107, 108, 122}},
    {CgroupSockAddr, kWithSk, {25, 46, 49, 57, 64, 81, 84, 85, 86, 99, 107, 108, 122, 186, 187}},
    {SkReuseport, kPlain, {26, 46, 68, 82, 160}},
    {FlowDissector, kWithSk, {26}},
    {CgroupSysctl, kPlain, {25, 81, 101, 102, 103, 104, 160}},
    {CgroupSockopt, kPlain, {25, 49, 57, 81, 96, 107, 108, 122, 186, 187}},
    {SkLookup, kWithSk, {25, 86, 124}},
};

bool contains(std::span<const std::uint16_t> ids, std::uint32_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Helpers a type's func_proto hands out only for some expected_attach_types.
constexpr std::uint32_t kHelperBind = 64, kHelperSetsockopt = 49, kHelperGetsockopt = 57;
constexpr std::uint32_t kHelperGetRetval = 186, kHelperSetRetval = 187;
constexpr std::uint32_t kInet4Connect = 10, kInet6Connect = 11, kSetsockopt = 22;
constexpr std::uint32_t kUdp4Recvmsg = 19, kUdp6Recvmsg = 20;
constexpr std::uint32_t kGetpeername4 = 29, kGetpeername6 = 30, kGetsockname4 = 31,
                        kGetsockname6 = 32;
constexpr std::uint32_t kUnixRecvmsg = 51, kUnixGetpeername = 52, kUnixGetsockname = 53;

// Returns a refusal reason, or an empty view when the attach type does not matter.
std::string_view attach_refusal(ProgramType type, std::uint32_t helper, std::uint32_t attach) {
  if (type == CgroupSockAddr) {
    if (helper == kHelperBind && attach != kInet4Connect && attach != kInet6Connect)
      return "bpf_bind is only available to connect4/connect6 hooks";
    const bool observes =
        attach == kUdp4Recvmsg || attach == kUdp6Recvmsg || attach == kGetpeername4 ||
        attach == kGetpeername6 || attach == kGetsockname4 || attach == kGetsockname6 ||
        attach == kUnixRecvmsg || attach == kUnixGetpeername || attach == kUnixGetsockname;
    if ((helper == kHelperGetRetval || helper == kHelperSetRetval) && observes)
      return "get/set_retval are not available to address-observing hooks";
  }
  if (type == CgroupSockopt && (helper == kHelperSetsockopt || helper == kHelperGetsockopt) &&
      attach != kSetsockopt)
    return "bpf_setsockopt/bpf_getsockopt are only available to setsockopt hooks";
  return {};
}

} // namespace

Permission helper_allowed(ProgramType type, std::uint32_t helper_id,
                          std::optional<std::uint32_t> expected_attach_type) {
  if (find_helper(helper_id) == nullptr)
    return {false, "unknown helper id"};
  const auto entry = std::find_if(std::begin(kTypes), std::end(kTypes),
                                  [&](const TypeHelpers &t) { return t.type == type; });
  if (entry == std::end(kTypes))
    return {false, "no helper table for this program type"};
  const bool in_own =
      std::find(entry->own.begin(), entry->own.end(), helper_id) != entry->own.end();
  const bool allowed = contains(kBase, helper_id) || in_own ||
                       (entry->base == kWithSk && contains(kSkBase, helper_id)) ||
                       (entry->base == kWithTracing && contains(kTracing, helper_id));
  if (!allowed)
    return {false, "program of this type cannot use helper"};
  // Without an attach type the attach-dependent helpers are assumed available: the kernel
  // would refuse the load anyway for types that require one.
  if (expected_attach_type) {
    std::string_view reason = attach_refusal(type, helper_id, *expected_attach_type);
    if (!reason.empty())
      return {false, reason};
  }
  return {true, {}};
}

} // namespace bpfcheck::platform
