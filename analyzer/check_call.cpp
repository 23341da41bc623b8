// Helper-call checks, as the kernel's check_helper_call: the helper exists and the program type
// may call it (license, sleepability), every argument has its prototype's kind (maps of the
// allowed types, memory in bounds and initialized, context, sockets, held references), and the
// result is a kind the analyzer models.
#include "analyzer/assertions.h"
#include "analyzer/helper_args.h"
#include "analyzer/map_compat.h"
#include "analyzer/rule_ids.h"

#include <string>

namespace bpfcheck::analyzer {
namespace {

using Diag = std::optional<Diagnostic>;
using platform::ArgKind;

bool is_zero(const RegValue &v) {
  return v.type == RegType::Scalar && v.num == Scalar64::constant(0);
}

std::string bytes(std::int64_t lo, std::int64_t hi) {
  return "[" + std::to_string(lo) + ", " + std::to_string(hi) + ")";
}

class CallChecker {
public:
  CallChecker(const platform::HelperPrototype &p, const ValidHelperCall &call, const State &s,
              const AnalysisContext &c)
      : p_(p), call_(call), s_(s), c_(c), name_(helper_name(p)) {}

  Diag run();

private:
  Diag bad(unsigned i, const std::string &what, std::string_view rule = rule::kHelperArgument) {
    return make_diagnostic(rule,
                           name_ + " argument " + std::to_string(i + 1) + " (r" +
                               std::to_string(i + 1) + "): " + what,
                           s_, {i + 1});
  }
  Diag check_arg(unsigned i);
  Diag check_map(unsigned i);
  Diag check_size(unsigned i, bool zero_ok);
  Diag check_memory(unsigned i);
  Diag check_null_memory(unsigned i);
  Diag check_region(unsigned i, const MemArg &m);
  Diag check_stack_region(unsigned i, const MemArg &m);
  Diag check_const_str(unsigned i);
  Diag check_socket(unsigned i, bool any_socket);
  Diag check_release(unsigned i, RegType expected);
  Diag check_result();

  const platform::HelperPrototype &p_;
  const ValidHelperCall &call_;
  const State &s_;
  const AnalysisContext &c_;
  std::string name_;
};

Diag CallChecker::run() {
  for (unsigned i = 0; i < p_.args.size() && p_.args[i].kind != ArgKind::None; ++i) {
    const RegValue &v = s_.reg(i + 1);
    if (v.type == RegType::Uninit)
      return bad(i, "not initialized", rule::kUninitializedRegister);
    if (v.type == RegType::Invalid)
      return bad(i, "holds values of different kinds on different paths",
                 rule::kMixedRegisterTypes);
    if (auto d = check_arg(i))
      return d;
    if (p_.args[i].kind == ArgKind::PtrToMem && (p_.args[i].flags & platform::kFixedSize) == 0)
      ++i; // the size argument was checked with its memory
  }
  return check_result();
}

Diag CallChecker::check_arg(unsigned i) {
  const platform::Arg &a = p_.args[i];
  const RegValue &v = s_.reg(i + 1);
  bool null_ok = (a.flags & platform::kMaybeNull) != 0 && is_zero(v);
  switch (a.kind) {
  case ArgKind::ConstMapPtr:
    return check_map(i);
  case ArgKind::PtrToMapKey:
  case ArgKind::PtrToMapValue:
  case ArgKind::PtrToUninitMapValue:
  case ArgKind::PtrToMem:
  case ArgKind::PtrToLong:
  case ArgKind::PtrToInt:
    return null_ok ? check_null_memory(i) : check_memory(i);
  case ArgKind::ConstSize:
  case ArgKind::ConstSizeOrZero:
    return check_size(i, a.kind == ArgKind::ConstSizeOrZero);
  case ArgKind::ConstAllocSizeOrZero:
    if (v.type != RegType::Scalar || !v.num.is_singleton())
      return bad(i, "the size of the reservation must be a known constant");
    return std::nullopt;
  case ArgKind::PtrToCtx:
    if (null_ok || (v.type == RegType::Ctx && v.num == Scalar64::constant(0)))
      return std::nullopt;
    return bad(i, "expected the context pointer at offset 0, got " + v.to_string());
  case ArgKind::Anything:
    return std::nullopt;
  case ArgKind::PtrToStack:
    if (null_ok || v.type == RegType::Stack)
      return std::nullopt;
    return bad(i, "expected a stack pointer, got " + v.to_string());
  case ArgKind::PtrToConstStr:
    return check_const_str(i);
  case ArgKind::PtrToSockCommon:
    return check_socket(i, true);
  case ArgKind::PtrToSocket:
    return null_ok ? std::nullopt : check_socket(i, false);
  case ArgKind::PtrToBtfIdSockCommon:
    if (null_ok)
      return std::nullopt;
    if ((a.flags & platform::kRelease) != 0)
      return check_release(i, RegType::Socket);
    return check_socket(i, true);
  case ArgKind::PtrToRingbufMem:
    return check_release(i, RegType::RingbufMem);
  default:
    return bad(i,
               "not supported yet: arguments of kind #" + std::to_string(static_cast<int>(a.kind)) +
                   " (callbacks, timers, spin locks, dynptrs, BTF pointers, kptrs)",
               rule::kUnsupportedFeature);
  }
}

Diag CallChecker::check_map(unsigned i) {
  const RegValue &v = s_.reg(i + 1);
  if (v.type != RegType::MapPtr || v.maybe_null || v.region >= c_.maps.size())
    return bad(i,
               v.type == RegType::MapPtr && v.maybe_null
                   ? "the inner map may be null: test the lookup against 0 first"
                   : "expected a map, got " + v.to_string(),
               v.maybe_null ? rule::kNullDereference : rule::kHelperArgument);
  const MapDescriptor &map = c_.maps[v.region];
  bool in_mask = p_.map_types == 0 || (map.type < 64 && (p_.map_types >> map.type & 1) != 0);
  if (!in_mask || !map_allows_helper(map.type, p_.id))
    return bad(i, "map " + map.name + " of type " + std::to_string(map.type) +
                      " cannot be used with this helper");
  return std::nullopt;
}

// The kernel's check_mem_size_reg: a bounded non-negative number, zero only where allowed.
Diag CallChecker::check_size(unsigned i, bool zero_ok) {
  const RegValue &v = s_.reg(i + 1);
  if (v.type != RegType::Scalar)
    return bad(i, "expected a size, got " + v.to_string());
  if (v.num.smin() < 0)
    return bad(i, "the size may be negative (" + v.to_string() +
                      "): bound it with `if (n > MAX) ...` or `n &= MASK`");
  if (v.num.umax() >= (std::uint64_t{1} << 29))
    return bad(i, "the size is not bounded (" + v.to_string() + ")");
  if (!zero_ok && v.num.umin() == 0)
    return bad(i, "the size may be zero (" + v.to_string() + ")");
  return std::nullopt;
}

Diag CallChecker::check_memory(unsigned i) {
  const platform::Arg &a = p_.args[i];
  bool sized = a.kind == ArgKind::PtrToMem && (a.flags & platform::kFixedSize) == 0;
  if (sized)
    if (auto d = check_size(i + 1, p_.args[i + 1].kind == ArgKind::ConstSizeOrZero))
      return d;
  std::optional<MemArg> m = memory_argument(p_, i, s_, c_);
  if (!m)
    return bad(i, "the map of this call is not known");
  return check_region(i, *m);
}

// NULL memory is accepted only with a size of exactly 0 (the kernel's zero-byte read from NULL).
Diag CallChecker::check_null_memory(unsigned i) {
  const platform::Arg &a = p_.args[i];
  if (a.kind != ArgKind::PtrToMem || (a.flags & platform::kFixedSize) != 0)
    return std::nullopt;
  if (auto d = check_size(i + 1, true))
    return d;
  if (s_.reg(i + 2).num.umax() != 0)
    return bad(i,
               "NULL memory with a size that may be non-zero (" + s_.reg(i + 2).to_string() + ")");
  return std::nullopt;
}

Diag CallChecker::check_region(unsigned i, const MemArg &m) {
  const RegValue &v = s_.reg(i + 1);
  if (v.maybe_null)
    return bad(i, "may be null: test it against 0 first", rule::kNullDereference);
  const platform::Arg &a = p_.args[i];
  bool word = a.kind == ArgKind::PtrToLong || a.kind == ArgKind::PtrToInt;
  if (word && (!v.num.is_singleton() || v.num.smin() % a.fixed_size != 0))
    return bad(i, "not aligned to the " + std::to_string(a.fixed_size) + "-byte value it points to",
               rule::kMisalignedAccess);
  std::int64_t lo = v.num.smin(), hi = v.num.smax() + static_cast<std::int64_t>(m.max_size);
  auto within = [&](std::uint64_t size, std::string_view rule) -> Diag {
    if (v.num.smin() < 0 || hi > static_cast<std::int64_t>(size))
      return bad(i,
                 "bytes " + bytes(lo, hi) + " may lie outside the " + std::to_string(size) +
                     "-byte " + std::string(type_name(v.type)),
                 rule);
    return std::nullopt;
  };
  switch (v.type) {
  case RegType::Stack:
    return check_stack_region(i, m);
  case RegType::Packet:
    if (!helper_reads_packets(p_.id) ||
        (m.writes ? !packet_writable(c_.type) : !packet_readable_by_helpers(c_.type)))
      return bad(i, "packet memory cannot be passed to this helper here",
                 rule::kUnsupportedFeature);
    if (!packet_range_ok(s_, i + 1, 0, static_cast<std::int64_t>(m.max_size)))
      return bad(i, std::to_string(m.max_size) + " packet bytes are not proved inside the packet",
                 rule::kPacketOutOfBounds);
    return std::nullopt;
  case RegType::MapValue: {
    const MapDescriptor &map = c_.maps[v.region];
    if (m.writes && map_read_only(map))
      return bad(i, "the helper may write into the read-only map " + map.name,
                 rule::kReadOnlyWrite);
    return within(map.value_size, rule::kMapValueOutOfBounds);
  }
  case RegType::Mem:
  case RegType::RingbufMem:
    return within(v.region, rule::kHelperArgument);
  default:
    return bad(i, "expected a pointer to memory, got " + v.to_string());
  }
}

Diag CallChecker::check_stack_region(unsigned i, const MemArg &m) {
  const RegValue &v = s_.reg(i + 1);
  if (!v.num.is_singleton())
    return bad(i, "not supported yet: a stack pointer with a variable offset",
               rule::kUnsupportedFeature);
  std::int64_t off = v.num.smin(), end = off + static_cast<std::int64_t>(m.max_size);
  if (off < -Stack::kSize || end > 0)
    return bad(i, "stack bytes " + bytes(off, end) + " leave the 512-byte frame");
  if (m.reads)
    for (std::int64_t b = off; b < end; ++b)
      if (s_.stack_of(v).byte(static_cast<int>(b)) == Stack::Byte::Uninit) // v's frame
        return bad(i,
                   "reads stack bytes " + bytes(off, end) + " but byte " + std::to_string(b) +
                       " is not initialized on every path",
                   rule::kUninitializedStackRead);
  return std::nullopt;
}

// A format string: NUL-terminated inside a read-only map value, proved from its initial data.
Diag CallChecker::check_const_str(unsigned i) {
  const RegValue &v = s_.reg(i + 1);
  if (v.type != RegType::MapValue || v.maybe_null || !v.num.is_singleton())
    return bad(i, "expected a constant string in a read-only map, got " + v.to_string());
  const MapDescriptor &map = c_.maps[v.region];
  if (!map_read_only(map))
    return bad(i, "the string must lie in a read-only map (.rodata), not in " + map.name);
  std::int64_t off = v.num.smin();
  if (off < 0 || off >= static_cast<std::int64_t>(map.value_size))
    return bad(i, "the string's offset lies outside " + map.name);
  for (std::size_t b = static_cast<std::size_t>(off); b < map.initial_data.size(); ++b)
    if (map.initial_data[b] == 0)
      return std::nullopt;
  return bad(i, "the string is not NUL-terminated inside " + map.name +
                    (map.initial_data.empty() ? " (its contents are not known)" : ""));
}

Diag CallChecker::check_socket(unsigned i, bool any_socket) {
  const RegValue &v = s_.reg(i + 1);
  bool kind_ok = any_socket ? is_socket(v.type) : v.type == RegType::Socket;
  if (kind_ok && v.maybe_null)
    return bad(i, "the socket may be null: test it against 0 first", rule::kNullDereference);
  if (!kind_ok || v.num != Scalar64::constant(0))
    return bad(i, std::string("expected a ") + (any_socket ? "socket" : "full socket") +
                      " pointer, got " + v.to_string());
  return std::nullopt;
}

// A released pointer: the unmodified pointer of a reference this path surely holds.
Diag CallChecker::check_release(unsigned i, RegType expected) {
  const RegValue &v = s_.reg(i + 1);
  bool kind_ok = expected == RegType::Socket ? is_socket(v.type) : v.type == expected;
  if (kind_ok && v.maybe_null)
    return bad(i, "may be null: test it against 0 first", rule::kNullDereference);
  if (!kind_ok || v.num != Scalar64::constant(0))
    return bad(i, "expected the unmodified pointer of an acquired " +
                      std::string(type_name(expected)) + ", got " + v.to_string());
  const References::Ref *ref = v.id != 0 ? s_.refs().find(v.id) : nullptr;
  if (!ref)
    return bad(i, "releases a reference that is not held (already released, or never acquired)");
  if (ref->maybe)
    return bad(i, "the reference acquired at instruction " + std::to_string(v.id - 1) +
                      " may already be released on some path");
  return std::nullopt;
}

// The result must be a kind the analyzer models; acquisitions need a free, unused reference id.
Diag CallChecker::check_result() {
  using platform::RetKind;
  constexpr std::uint32_t kTailCall = 12;
  if (p_.id == kTailCall && !s_.refs().empty())
    return make_diagnostic(rule::kReferenceLeak,
                           "bpf_tail_call while the reference acquired at instruction " +
                               std::to_string(s_.refs().begin()->id - 1) + " is held",
                           s_);
  auto unsupported = [&](const std::string &what) {
    return make_diagnostic(rule::kUnsupportedFeature,
                           "not supported yet: " + what + " (result of " + name_ + ")", s_);
  };
  switch (p_.ret) {
  case RetKind::Integer:
  case RetKind::Void:
  case RetKind::PtrToAllocMemOrNull:
    break;
  case RetKind::PtrToMapValue:
  case RetKind::PtrToMapValueOrNull: {
    const MapDescriptor *map = call_map(p_, s_, c_);
    if (!map)
      return unsupported("a map value of an unknown map");
    if (auto why = lookup_unsupported(*map, c_.maps.size()))
      return unsupported(*why);
    break;
  }
  case RetKind::PtrToSocketOrNull:
  case RetKind::PtrToTcpSockOrNull:
  case RetKind::PtrToSockCommonOrNull:
    // Sockets derived from a held one share its reference in the kernel; not modelled.
    if ((p_.flags & platform::kAcquire) == 0 && s_.reg(1).id != 0 && s_.refs().find(s_.reg(1).id))
      return unsupported("a socket derived from an acquired reference");
    break;
  default:
    return unsupported("this kind of helper result");
  }
  if ((p_.flags & platform::kAcquire) == 0)
    return std::nullopt;
  if (!call_.pc || s_.refs().full())
    return unsupported("more than " + std::to_string(References::kCapacity) +
                       " references held at once");
  if (s_.refs().find(*call_.pc + 1))
    return unsupported("acquiring again at this call while its previous reference is held");
  return std::nullopt;
}

} // namespace

Diag check_helper_call(const ValidHelperCall &call, const State &s, const AnalysisContext &c) {
  const auto id = static_cast<std::uint32_t>(call.helper);
  const platform::HelperPrototype *p =
      call.helper < 0 ? nullptr : platform::find_helper(id, c.type);
  if (!p)
    return make_diagnostic(rule::kUnknownHelper,
                           "unknown helper function #" + std::to_string(call.helper), s);
  std::string name = helper_name(*p);
  platform::Permission permission = platform::helper_allowed(c.type, id, c.attach_type);
  if (!permission.allowed)
    return make_diagnostic(
        rule::kHelperNotAllowed,
        name + " cannot be called by this program type: " + std::string(permission.reason), s);
  if ((p->flags & platform::kGplOnly) != 0 && !c.gpl_compatible)
    return make_diagnostic(rule::kHelperNotAllowed,
                           name + " is GPL-only and the program's license is not GPL-compatible",
                           s);
  if ((p->flags & platform::kMightSleep) != 0 && !c.sleepable)
    return make_diagnostic(rule::kHelperNotAllowed,
                           name + " may sleep and the program is not sleepable", s);
  return CallChecker(*p, call, s, c).run();
}

} // namespace bpfcheck::analyzer
