// The section-name table: libbpf's section_defs conventions (checked against libbpf.c of Linux
// 6.x and, in the tests, against the installed libbpf's libbpf_prog_type_by_name) plus legacy
// spellings that pre-1.0 loaders (samples/bpf, iproute2, libbpf 0.x) matched by prefix.
#include "section_types.h"

#include <array>

namespace bpfcheck {
namespace {

// enum bpf_attach_type values, spelled out because Debian's <linux/bpf.h> predates the newer
// ones (tcx, netkit, unix sockets, sessions).
enum Attach : std::uint32_t {
  CgroupInetIngress = 0,
  CgroupInetEgress = 1,
  CgroupInetSockCreate = 2,
  CgroupSockOps = 3,
  SkSkbStreamParser = 4,
  SkSkbStreamVerdict = 5,
  CgroupDevice = 6,
  SkMsgVerdict = 7,
  CgroupInet4Bind = 8,
  CgroupInet6Bind = 9,
  CgroupInet4Connect = 10,
  CgroupInet6Connect = 11,
  CgroupInet4PostBind = 12,
  CgroupInet6PostBind = 13,
  CgroupUdp4Sendmsg = 14,
  CgroupUdp6Sendmsg = 15,
  LircMode2 = 16,
  FlowDissector = 17,
  CgroupSysctl = 18,
  CgroupUdp4Recvmsg = 19,
  CgroupUdp6Recvmsg = 20,
  CgroupGetsockopt = 21,
  CgroupSetsockopt = 22,
  TraceRawTp = 23,
  TraceFentry = 24,
  TraceFexit = 25,
  ModifyReturn = 26,
  LsmMac = 27,
  TraceIter = 28,
  CgroupInet4Getpeername = 29,
  CgroupInet6Getpeername = 30,
  CgroupInet4Getsockname = 31,
  CgroupInet6Getsockname = 32,
  XdpDevmap = 33,
  CgroupInetSockRelease = 34,
  XdpCpumap = 35,
  SkLookup = 36,
  XdpAttach = 37,
  SkSkbVerdict = 38,
  SkReuseportSelect = 39,
  SkReuseportSelectOrMigrate = 40,
  TraceKprobeMulti = 42,
  LsmCgroup = 43,
  NetfilterAttach = 45,
  TcxIngress = 46,
  TcxEgress = 47,
  TraceUprobeMulti = 48,
  CgroupUnixConnect = 49,
  CgroupUnixSendmsg = 50,
  CgroupUnixRecvmsg = 51,
  CgroupUnixGetpeername = 52,
  CgroupUnixGetsockname = 53,
  NetkitPrimary = 54,
  NetkitPeer = 55,
  TraceKprobeSession = 56,
  TraceUprobeSession = 57,
  None = 0xffffffff,
};

enum Flags : unsigned {
  kNone = 0,
  kSleepable = 1,
  kLegacyPrefix = 2, // libbpf 0.x matched this entry as a bare prefix ("socket1", "xdp_prog")
};

struct SectionDef {
  std::string_view name; // a trailing '+' accepts "name" and "name/anything"
  ProgramType type;
  Attach attach;
  unsigned flags;
};

using T = ProgramType;
constexpr unsigned L = kLegacyPrefix, S = kSleepable;

// Order matters as in libbpf: the first match wins, so longer names precede their prefixes.
constexpr std::array kSectionDefs = {
    SectionDef{"socket", T::SocketFilter, None, L},
    SectionDef{"sk_reuseport/migrate", T::SkReuseport, SkReuseportSelectOrMigrate, L},
    SectionDef{"sk_reuseport", T::SkReuseport, SkReuseportSelect, L},
    SectionDef{"kprobe+", T::Kprobe, None, kNone},
    SectionDef{"uprobe+", T::Kprobe, None, kNone},
    SectionDef{"uprobe.s+", T::Kprobe, None, S},
    SectionDef{"kretprobe+", T::Kprobe, None, kNone},
    SectionDef{"uretprobe+", T::Kprobe, None, kNone},
    SectionDef{"uretprobe.s+", T::Kprobe, None, S},
    SectionDef{"kprobe.multi+", T::Kprobe, TraceKprobeMulti, kNone},
    SectionDef{"kretprobe.multi+", T::Kprobe, TraceKprobeMulti, kNone},
    SectionDef{"kprobe.session+", T::Kprobe, TraceKprobeSession, kNone},
    SectionDef{"uprobe.multi+", T::Kprobe, TraceUprobeMulti, kNone},
    SectionDef{"uretprobe.multi+", T::Kprobe, TraceUprobeMulti, kNone},
    SectionDef{"uprobe.session+", T::Kprobe, TraceUprobeSession, kNone},
    SectionDef{"uprobe.multi.s+", T::Kprobe, TraceUprobeMulti, S},
    SectionDef{"uretprobe.multi.s+", T::Kprobe, TraceUprobeMulti, S},
    SectionDef{"uprobe.session.s+", T::Kprobe, TraceUprobeSession, S},
    SectionDef{"ksyscall+", T::Kprobe, None, kNone},
    SectionDef{"kretsyscall+", T::Kprobe, None, kNone},
    SectionDef{"usdt+", T::Kprobe, None, kNone},
    SectionDef{"usdt.s+", T::Kprobe, None, S},
    SectionDef{"tc/ingress", T::SchedCls, TcxIngress, kNone},
    SectionDef{"tc/egress", T::SchedCls, TcxEgress, kNone},
    SectionDef{"tcx/ingress", T::SchedCls, TcxIngress, kNone},
    SectionDef{"tcx/egress", T::SchedCls, TcxEgress, kNone},
    SectionDef{"tc", T::SchedCls, None, kNone},
    SectionDef{"classifier", T::SchedCls, None, L},
    SectionDef{"action", T::SchedAct, None, L},
    SectionDef{"netkit/primary", T::SchedCls, NetkitPrimary, kNone},
    SectionDef{"netkit/peer", T::SchedCls, NetkitPeer, kNone},
    SectionDef{"tracepoint+", T::Tracepoint, None, kNone},
    SectionDef{"tp+", T::Tracepoint, None, kNone},
    SectionDef{"raw_tracepoint+", T::RawTracepoint, None, kNone},
    SectionDef{"raw_tp+", T::RawTracepoint, None, kNone},
    SectionDef{"raw_tracepoint.w+", T::RawTracepointWritable, None, kNone},
    SectionDef{"raw_tp.w+", T::RawTracepointWritable, None, kNone},
    SectionDef{"tp_btf+", T::Tracing, TraceRawTp, kNone},
    SectionDef{"fentry+", T::Tracing, TraceFentry, kNone},
    SectionDef{"fmod_ret+", T::Tracing, ModifyReturn, kNone},
    SectionDef{"fexit+", T::Tracing, TraceFexit, kNone},
    SectionDef{"fentry.s+", T::Tracing, TraceFentry, S},
    SectionDef{"fmod_ret.s+", T::Tracing, ModifyReturn, S},
    SectionDef{"fexit.s+", T::Tracing, TraceFexit, S},
    SectionDef{"freplace+", T::Ext, None, kNone},
    SectionDef{"lsm+", T::Lsm, LsmMac, kNone},
    SectionDef{"lsm.s+", T::Lsm, LsmMac, S},
    SectionDef{"lsm_cgroup+", T::Lsm, LsmCgroup, kNone},
    SectionDef{"iter+", T::Tracing, TraceIter, kNone},
    SectionDef{"iter.s+", T::Tracing, TraceIter, S},
    SectionDef{"syscall", T::Syscall, None, S},
    SectionDef{"xdp.frags/devmap", T::Xdp, XdpDevmap, kNone},
    SectionDef{"xdp/devmap", T::Xdp, XdpDevmap, kNone},
    SectionDef{"xdp.frags/cpumap", T::Xdp, XdpCpumap, kNone},
    SectionDef{"xdp/cpumap", T::Xdp, XdpCpumap, kNone},
    SectionDef{"xdp.frags", T::Xdp, XdpAttach, kNone},
    SectionDef{"xdp", T::Xdp, XdpAttach, L},
    SectionDef{"perf_event", T::PerfEvent, None, L},
    SectionDef{"lwt_in", T::LwtIn, None, L},
    SectionDef{"lwt_out", T::LwtOut, None, L},
    SectionDef{"lwt_xmit", T::LwtXmit, None, L},
    SectionDef{"lwt_seg6local", T::LwtSeg6local, None, L},
    SectionDef{"sockops", T::SockOps, CgroupSockOps, L},
    SectionDef{"sk_skb/stream_parser", T::SkSkb, SkSkbStreamParser, L},
    SectionDef{"sk_skb/stream_verdict", T::SkSkb, SkSkbStreamVerdict, L},
    SectionDef{"sk_skb/verdict", T::SkSkb, SkSkbVerdict, L},
    SectionDef{"sk_skb", T::SkSkb, None, L},
    SectionDef{"sk_msg", T::SkMsg, SkMsgVerdict, L},
    SectionDef{"lirc_mode2", T::LircMode2, LircMode2, L},
    SectionDef{"flow_dissector", T::FlowDissector, FlowDissector, L},
    SectionDef{"cgroup_skb/ingress", T::CgroupSkb, CgroupInetIngress, L},
    SectionDef{"cgroup_skb/egress", T::CgroupSkb, CgroupInetEgress, L},
    SectionDef{"cgroup/skb", T::CgroupSkb, None, L},
    SectionDef{"cgroup/sock_create", T::CgroupSock, CgroupInetSockCreate, L},
    SectionDef{"cgroup/sock_release", T::CgroupSock, CgroupInetSockRelease, L},
    SectionDef{"cgroup/sock", T::CgroupSock, CgroupInetSockCreate, L},
    SectionDef{"cgroup/post_bind4", T::CgroupSock, CgroupInet4PostBind, L},
    SectionDef{"cgroup/post_bind6", T::CgroupSock, CgroupInet6PostBind, L},
    SectionDef{"cgroup/bind4", T::CgroupSockAddr, CgroupInet4Bind, L},
    SectionDef{"cgroup/bind6", T::CgroupSockAddr, CgroupInet6Bind, L},
    SectionDef{"cgroup/connect4", T::CgroupSockAddr, CgroupInet4Connect, L},
    SectionDef{"cgroup/connect6", T::CgroupSockAddr, CgroupInet6Connect, L},
    SectionDef{"cgroup/connect_unix", T::CgroupSockAddr, CgroupUnixConnect, kNone},
    SectionDef{"cgroup/sendmsg4", T::CgroupSockAddr, CgroupUdp4Sendmsg, L},
    SectionDef{"cgroup/sendmsg6", T::CgroupSockAddr, CgroupUdp6Sendmsg, L},
    SectionDef{"cgroup/sendmsg_unix", T::CgroupSockAddr, CgroupUnixSendmsg, kNone},
    SectionDef{"cgroup/recvmsg4", T::CgroupSockAddr, CgroupUdp4Recvmsg, L},
    SectionDef{"cgroup/recvmsg6", T::CgroupSockAddr, CgroupUdp6Recvmsg, L},
    SectionDef{"cgroup/recvmsg_unix", T::CgroupSockAddr, CgroupUnixRecvmsg, kNone},
    SectionDef{"cgroup/getpeername4", T::CgroupSockAddr, CgroupInet4Getpeername, L},
    SectionDef{"cgroup/getpeername6", T::CgroupSockAddr, CgroupInet6Getpeername, L},
    SectionDef{"cgroup/getpeername_unix", T::CgroupSockAddr, CgroupUnixGetpeername, kNone},
    SectionDef{"cgroup/getsockname4", T::CgroupSockAddr, CgroupInet4Getsockname, L},
    SectionDef{"cgroup/getsockname6", T::CgroupSockAddr, CgroupInet6Getsockname, L},
    SectionDef{"cgroup/getsockname_unix", T::CgroupSockAddr, CgroupUnixGetsockname, kNone},
    SectionDef{"cgroup/sysctl", T::CgroupSysctl, CgroupSysctl, L},
    SectionDef{"cgroup/getsockopt", T::CgroupSockopt, CgroupGetsockopt, L},
    SectionDef{"cgroup/setsockopt", T::CgroupSockopt, CgroupSetsockopt, L},
    SectionDef{"cgroup/dev", T::CgroupDevice, CgroupDevice, L},
    SectionDef{"struct_ops+", T::StructOps, None, kNone},
    SectionDef{"struct_ops.s+", T::StructOps, None, S},
    SectionDef{"sk_lookup", T::SkLookup, SkLookup, L},
    SectionDef{"netfilter", T::Netfilter, NetfilterAttach, kNone},
    // iproute2's default section for XDP (and LWT) objects; XDP is by far the common use.
    SectionDef{"prog", T::Xdp, None, kNone},
};

// libbpf 1.x strict matching: "name+" is "name" or "name/...", anything else is exact.
bool matches_strictly(const SectionDef &def, std::string_view section) {
  std::string_view name = def.name;
  if (!name.empty() && name.back() == '+') {
    name.remove_suffix(1);
    if (!section.starts_with(name))
      return false;
    return section.size() == name.size() || section[name.size()] == '/';
  }
  return section == name;
}

SectionType make_type(const SectionDef &def, std::string_view section) {
  SectionType out;
  out.known = true;
  out.type = def.type;
  if (def.attach != None)
    out.expected_attach_type = def.attach;
  out.sleepable = (def.flags & kSleepable) != 0;
  std::string_view prefix = def.name;
  if (!prefix.empty() && prefix.back() == '+')
    prefix.remove_suffix(1);
  if (section.size() > prefix.size() + 1 && section.starts_with(prefix) &&
      section[prefix.size()] == '/')
    out.attach_target = std::string(section.substr(prefix.size() + 1));
  return out;
}

constexpr std::array<std::string_view, 33> kTypeNames = {
    "unspec",
    "socket_filter",
    "kprobe",
    "sched_cls",
    "sched_act",
    "tracepoint",
    "xdp",
    "perf_event",
    "cgroup_skb",
    "cgroup_sock",
    "lwt_in",
    "lwt_out",
    "lwt_xmit",
    "sock_ops",
    "sk_skb",
    "cgroup_device",
    "sk_msg",
    "raw_tracepoint",
    "cgroup_sock_addr",
    "lwt_seg6local",
    "lirc_mode2",
    "sk_reuseport",
    "flow_dissector",
    "cgroup_sysctl",
    "raw_tracepoint_writable",
    "cgroup_sockopt",
    "tracing",
    "struct_ops",
    "ext",
    "lsm",
    "sk_lookup",
    "syscall",
    "netfilter",
};

} // namespace

SectionType section_type(std::string_view section_name) {
  for (const SectionDef &def : kSectionDefs)
    if (matches_strictly(def, section_name))
      return make_type(def, section_name);
  // Older loaders took any name that starts with a known prefix ("socket1", "xdp_prog",
  // "classifier_ingress"); accept those too rather than guess nothing.
  for (const SectionDef &def : kSectionDefs) {
    if ((def.flags & kLegacyPrefix) != 0 && section_name.starts_with(def.name))
      return make_type(def, section_name);
  }
  return SectionType{};
}

std::string_view program_type_name(ProgramType type) {
  const auto index = static_cast<std::size_t>(type);
  return index < kTypeNames.size() ? kTypeNames[index] : std::string_view("unknown");
}

std::optional<ProgramType> program_type_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i)
    if (kTypeNames[i] == name)
      return static_cast<ProgramType>(i);
  return std::nullopt;
}

} // namespace bpfcheck
