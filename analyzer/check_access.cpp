// Memory-access checks by the kind of the base pointer: stack bounds, alignment and
// initialization; packet bounds proved through the zone; the context layout of the platform
// tables; map values and sized memory against their sizes; socket fields as the kernel's
// bpf_sock*_is_valid_access allow them.
#include "analyzer/assertions.h"
#include "analyzer/rule_ids.h"

#include <string>

namespace bpfcheck::analyzer {
namespace {

using Diag = std::optional<Diagnostic>;

Diag fail(std::string_view rule, std::string message, const State &s, unsigned reg,
          std::string hint = {}) {
  return make_diagnostic(rule, std::move(message), s, {reg}, std::move(hint));
}

std::string range(std::int64_t lo, std::int64_t hi) {
  return lo == hi ? std::to_string(lo) : "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

// A byte read at a variable stack offset (privileged programs may): every byte it may read
// must be initialized. Wider reads need the offset's alignment, and writes would have to
// weaken every slot they may touch; both are left unsupported.
Diag check_variable_stack_read(const ValidAccess &a, const State &s, std::int64_t lo,
                               std::int64_t hi) {
  if (a.write || a.size != 1)
    return fail(rule::kUnsupportedFeature,
                "not supported yet: variable-offset stack writes and wide reads", s, a.base);
  const RegValue &b = s.reg(a.base); // its frame (bpf2bpf calls)
  for (std::int64_t at = lo; at <= hi; ++at)
    if (s.stack_of(b).byte(static_cast<int>(at)) == Stack::Byte::Uninit)
      return fail(rule::kUninitializedStackRead,
                  "a read at stack offset " + range(lo, hi) + " may read byte " +
                      std::to_string(at) + ", which is not written on every path",
                  s, a.base);
  return std::nullopt;
}

Diag check_stack(const ValidAccess &a, const State &s) {
  const RegValue &b = s.reg(a.base);
  std::int64_t lo = b.num.smin() + a.offset, hi = b.num.smax() + a.offset;
  if (lo < -Stack::kSize || hi + a.size > 0)
    return fail(rule::kStackOutOfBounds,
                "stack access at offset " + range(lo, hi) + " of " + std::to_string(a.size) +
                    " bytes leaves the 512-byte frame",
                s, a.base);
  if (lo != hi)
    return check_variable_stack_read(a, s, lo, hi);
  if (lo % a.size != 0)
    return fail(rule::kMisalignedAccess,
                "stack access at offset " + std::to_string(lo) + " is not aligned to its size " +
                    std::to_string(a.size),
                s, a.base);
  if (a.write)
    return std::nullopt;
  switch (s.stack_of(b).read(static_cast<int>(lo), a.size).status) {
  case Stack::ReadStatus::Uninit:
    return fail(rule::kUninitializedStackRead,
                "reading stack bytes at offset " + std::to_string(lo) +
                    " that are not written on every path",
                s, a.base);
  case Stack::ReadStatus::PartialSpill:
    return fail(rule::kInvalidStackRead, "partial read of a spilled pointer", s, a.base);
  default:
    return std::nullopt;
  }
}

Diag check_packet(const ValidAccess &a, const State &s, const AnalysisContext &c) {
  const RegValue &b = s.reg(a.base);
  if (a.write && !packet_writable(c.type))
    return fail(rule::kReadOnlyWrite, "this program type cannot write into the packet", s, a.base);
  // Bytes [off + a.offset, off + a.offset + size) must lie in [0, packet size).
  if (!packet_range_ok(s, a.base, a.offset, a.size)) {
    auto end = s.zone().diff_upper(zvar::reg(a.base), zvar::kPacketSize); // off - size <= end
    std::string known = end && b.num.smin() >= 0 ? std::to_string(-*end) : "no";
    return fail(rule::kPacketOutOfBounds,
                "packet access of " + std::to_string(a.size) + " bytes at offset " +
                    std::to_string(a.offset) + " from r" + std::to_string(a.base) + ", which has " +
                    known + " bytes proved readable after it",
                s, a.base,
                "compare r" + std::to_string(a.base) + " + " + std::to_string(a.offset + a.size) +
                    " against data_end before this access (e.g. `if (data + N > data_end) "
                    "return ...;`)");
  }
  return std::nullopt;
}

Diag check_ctx(const ValidAccess &a, const State &s, const AnalysisContext &c, bool immediate) {
  const RegValue &b = s.reg(a.base);
  if (!b.num.is_singleton() || b.num.smin() != 0)
    return fail(rule::kContextAccess, "the context pointer must not be moved before an access", s,
                a.base);
  if (a.write && immediate) // the kernel refuses BPF_ST into the context (no conversion exists)
    return fail(rule::kContextAccess, "storing an immediate into the context is not allowed", s,
                a.base);
  platform::ContextAccess access =
      platform::check_context_access(c.type, a.offset, a.size, a.write, c.attach_type);
  if (access.allowed)
    return std::nullopt;
  if (!platform::context_layout(c.type))
    return fail(rule::kUnsupportedFeature,
                "not supported yet: the context layout of this program type", s, a.base);
  std::string field = access.field ? " (" + std::string(access.field->name) + ")" : "";
  return fail(rule::kContextAccess,
              std::string(a.write ? "write" : "read") + " of " + std::to_string(a.size) +
                  " bytes at context offset " + std::to_string(a.offset) + field + ": " +
                  std::string(access.reason),
              s, a.base);
}

// Map values and sized memory: [0, size).
Diag check_sized(const ValidAccess &a, const State &s, std::uint64_t size, std::string_view rule) {
  const RegValue &b = s.reg(a.base);
  std::int64_t lo = b.num.smin() + a.offset, hi = b.num.smax() + a.offset;
  if (lo < 0 || hi + a.size > static_cast<std::int64_t>(size))
    return fail(rule,
                "access at offset " + range(lo, hi) + " of " + std::to_string(a.size) +
                    " bytes outside a region of " + std::to_string(size) + " bytes",
                s, a.base);
  return std::nullopt;
}

Diag check_map_value(const ValidAccess &a, const State &s, const AnalysisContext &c) {
  const RegValue &b = s.reg(a.base);
  if (b.region >= c.maps.size())
    return fail(rule::kInvalidMemoryAccess, "map value of an unknown map", s, a.base);
  const MapDescriptor &map = c.maps[b.region];
  if (a.write && map_read_only(map))
    return fail(rule::kReadOnlyWrite, "write into the read-only map " + map.name, s, a.base);
  return check_sized(a, s, map.value_size, rule::kMapValueOutOfBounds);
}

// The kernel's bpf_sock_is_valid_access (full sockets), bpf_sock_common_is_valid_access (which
// also refuses type..priority) and bpf_tcp_sock_is_valid_access; sockets are read-only.
const char *socket_field_error(RegType type, std::int64_t off, int size) {
  constexpr int kBpfSockSize = 80, kTcpSockEnd = 96;
  if (type == RegType::TcpSock) {
    if (off < 0 || off + size > kTcpSockEnd || off % size != 0)
      return "no bpf_tcp_sock field there";
    return size == ((off == 80 || off == 88) ? 8 : 4) ? nullptr : "wrong width for the field";
  }
  if (off < 0 || off >= kBpfSockSize || off % size != 0)
    return "outside struct bpf_sock";
  if (type == RegType::SockCommon && off >= 8 && off < 24)
    return "type, protocol, mark and priority need a full socket (bpf_sk_fullsock)";
  bool narrow_ok = size <= 4;
  bool exact = off == 72 || off == 4 || off == 8 || off == 12 || off == 44 || off == 76;
  bool address = (off >= 24 && off < 44) || (off >= 52 && off < 72);
  if (exact || address)
    return narrow_ok ? nullptr : "wrong width for the field";
  if (off >= 48 && off < 52) // dst_port: a __be16 (or a u32 covering its padding)
    return off + size <= (size == 4 ? 52 : 50) ? nullptr : "past dst_port";
  return size == 4 ? nullptr : "wrong width for the field";
}

Diag check_socket(const ValidAccess &a, const State &s) {
  const RegValue &b = s.reg(a.base);
  if (a.write)
    return fail(rule::kReadOnlyWrite, "sockets are read-only", s, a.base);
  std::int64_t off = b.num.smin() + a.offset;
  if (const char *why = socket_field_error(b.type, off, a.size))
    return fail(rule::kInvalidMemoryAccess,
                "read of " + std::to_string(a.size) + " bytes at offset " + std::to_string(off) +
                    " of a " + std::string(type_name(b.type)) + ": " + why,
                s, a.base);
  return std::nullopt;
}

} // namespace

Diag check_access(const ValidAccess &a, const State &s, const AnalysisContext &c) {
  const RegValue &b = s.reg(a.base);
  if (b.maybe_null)
    return fail(rule::kNullDereference,
                "r" + std::to_string(a.base) + " may be null: test it against 0 first", s, a.base);
  constexpr std::uint64_t kFlowKeysSize = 56; // sizeof(struct bpf_flow_keys)
  switch (b.type) {
  case RegType::Stack:
    return check_stack(a, s);
  case RegType::Packet:
    return check_packet(a, s, c);
  case RegType::Ctx:
    return check_ctx(a, s, c, a.immediate);
  case RegType::MapValue:
    return check_map_value(a, s, c);
  case RegType::Mem:
  case RegType::RingbufMem:
    return check_sized(a, s, b.region, rule::kMemoryOutOfBounds);
  case RegType::FlowKeys:
    return check_sized(a, s, kFlowKeysSize, rule::kMemoryOutOfBounds);
  case RegType::SockCommon:
  case RegType::Socket:
  case RegType::TcpSock:
    return check_socket(a, s);
  case RegType::PacketMeta:
    return fail(rule::kUnsupportedFeature, "not supported yet: access through data_meta", s,
                a.base);
  case RegType::TpBuffer:
    return fail(rule::kUnsupportedFeature,
                "not supported yet: access to a writable raw tracepoint's buffer", s, a.base);
  case RegType::Invalid:
  case RegType::Uninit:
    return std::nullopt; // reported by RegInitialized / UsableValue
  default:
    return fail(rule::kInvalidMemoryAccess,
                "r" + std::to_string(a.base) + " (" + std::string(type_name(b.type)) +
                    ") cannot be dereferenced",
                s, a.base);
  }
}

bool packet_range_ok(const State &s, unsigned reg, std::int64_t offset, std::int64_t size) {
  auto end = s.zone().diff_upper(zvar::reg(reg), zvar::kPacketSize);
  return s.reg(reg).num.smin() + offset >= 0 && end && *end + offset + size <= 0;
}

bool packet_writable(ProgramType type) {
  switch (type) {
  case ProgramType::SchedCls:
  case ProgramType::SchedAct:
  case ProgramType::Xdp:
  case ProgramType::LwtXmit:
  case ProgramType::SkSkb:
  case ProgramType::SkMsg:
  case ProgramType::CgroupSockopt:
    return true;
  default:
    return false;
  }
}

} // namespace bpfcheck::analyzer
