// Per program type: which context layout it sees and which exit values it may return
// (check_return_code in kernel/bpf/verifier.c for the enforced ranges; the UAPI verdict enums
// for the documented ones the kernel does not check at load time).
#include "contexts.h"

namespace bpfcheck::platform {
namespace {

using enum ProgramType;

// enum bpf_attach_type values the return ranges depend on.
constexpr std::uint32_t kCgroupInetEgress = 1;
constexpr std::uint32_t kInet4Bind = 8, kInet6Bind = 9;
constexpr std::uint32_t kUdp4Recvmsg = 19, kUdp6Recvmsg = 20;
constexpr std::uint32_t kInet4Getpeername = 29, kInet6Getpeername = 30;
constexpr std::uint32_t kInet4Getsockname = 31, kInet6Getsockname = 32;
constexpr std::uint32_t kUnixRecvmsg = 51, kUnixGetpeername = 52, kUnixGetsockname = 53;

constexpr ReturnRange enforced(std::int64_t min, std::int64_t max) { return {min, max, true}; }
constexpr ReturnRange documented(std::int64_t min, std::int64_t max) { return {min, max, false}; }

// Hooks that only observe an address: the program must return 1 (allow).
bool observes_address(std::uint32_t attach) {
  switch (attach) {
  case kUdp4Recvmsg:
  case kUdp6Recvmsg:
  case kInet4Getpeername:
  case kInet6Getpeername:
  case kInet4Getsockname:
  case kInet6Getsockname:
  case kUnixRecvmsg:
  case kUnixGetpeername:
  case kUnixGetsockname:
    return true;
  default:
    return false;
  }
}

} // namespace

const ContextLayout *context_layout(ProgramType type) {
  using namespace detail;
  switch (type) {
  case SocketFilter:
    return &kSocketFilterLayout;
  case SchedCls:
  case SchedAct:
    return &kTcLayout;
  case CgroupSkb:
    return &kCgroupSkbLayout;
  case LwtIn:
  case LwtOut:
  case LwtXmit:
  case LwtSeg6local:
    return &kLwtLayout;
  case SkSkb:
    return &kSkSkbLayout;
  case FlowDissector:
    return &kFlowDissectorLayout;
  case Xdp:
    return &kXdpLayout;
  case SkMsg:
    return &kSkMsgLayout;
  case SockOps:
    return &kSockOpsLayout;
  case CgroupSock:
    return &kSockLayout;
  case CgroupSockAddr:
    return &kSockAddrLayout;
  case CgroupDevice:
    return &kCgroupDevLayout;
  case CgroupSysctl:
    return &kSysctlLayout;
  case Kprobe:
    return &kKprobeLayout;
  case Tracepoint:
    return &kTracepointLayout;
  case RawTracepoint:
    return &kRawTracepointLayout;
  case RawTracepointWritable:
    return &kRawTracepointWritableLayout;
  case PerfEvent:
    return &kPerfEventLayout;
  default:
    return nullptr;
  }
}

ReturnRange return_range(ProgramType type, std::optional<std::uint32_t> attach) {
  switch (type) {
  case CgroupSkb:
    // Egress may add the congestion-notification bit: 2 and 3 mean drop/pass with cn.
    return attach == kCgroupInetEgress ? enforced(0, 3) : enforced(0, 1);
  case CgroupSockAddr:
    if (attach && observes_address(*attach))
      return enforced(1, 1);
    // Bind hooks may also ask to skip the CAP_NET_BIND_SERVICE check (bit 1).
    if (attach == kInet4Bind || attach == kInet6Bind)
      return enforced(0, 3);
    return enforced(0, 1);
  case CgroupSock:
  case SockOps:
  case CgroupDevice:
  case CgroupSysctl:
  case CgroupSockopt:
  case SkLookup: // SK_DROP, SK_PASS
    return enforced(0, 1);
  case Xdp: // XDP_ABORTED .. XDP_REDIRECT
    return documented(0, 4);
  case SkSkb: // SK_DROP, SK_PASS
  case SkMsg:
  case SkReuseport:
    return documented(0, 1);
  case SchedCls: // TC_ACT_UNSPEC (-1) .. TC_ACT_TRAP (8)
  case SchedAct:
    return documented(-1, 8);
  case LwtIn: // BPF_OK .. BPF_LWT_REROUTE
  case LwtOut:
  case LwtXmit:
  case LwtSeg6local:
    return documented(0, 128);
  case FlowDissector: // BPF_OK .. BPF_FLOW_DISSECTOR_CONTINUE
    return documented(0, 129);
  default: // socket_filter (bytes to keep), kprobe, tracepoint, perf_event, raw_tracepoint
    return ReturnRange{};
  }
}

} // namespace bpfcheck::platform
