// Memory-access checks by the kind of the base pointer: stack bounds, alignment and
// initialization; packet bounds proved through the zone; the context layout; map values and
// sized memory against their sizes.
#include "analyzer/assertions.h"

#include <string>

namespace bpfcheck::analyzer {
namespace {

using Diag = std::optional<Diagnostic>;

Diag fail(std::string rule, std::string message, const State &s, unsigned reg,
          std::string hint = {}) {
  Diagnostic d;
  d.rule = std::move(rule);
  d.message = std::move(message);
  d.hint = std::move(hint);
  d.registers.push_back({"r" + std::to_string(reg), s.reg(reg).to_string()});
  return d;
}

std::string range(std::int64_t lo, std::int64_t hi) {
  return lo == hi ? std::to_string(lo) : "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

Diag check_stack(const ValidAccess &a, const State &s) {
  const RegValue &b = s.reg(a.base);
  std::int64_t lo = b.num.smin() + a.offset, hi = b.num.smax() + a.offset;
  if (lo < -Stack::kSize || hi + a.size > 0)
    return fail("stack-out-of-bounds",
                "stack access at offset " + range(lo, hi) + " of " + std::to_string(a.size) +
                    " bytes leaves the 512-byte frame",
                s, a.base);
  if (lo != hi)
    return fail("unsupported-feature", "not supported yet: variable-offset stack access", s,
                a.base);
  if (lo % a.size != 0)
    return fail("misaligned-access",
                "stack access at offset " + std::to_string(lo) + " is not aligned to its size " +
                    std::to_string(a.size),
                s, a.base);
  if (a.write)
    return std::nullopt;
  switch (s.stack().read(static_cast<int>(lo), a.size).status) {
  case Stack::ReadStatus::Uninit:
    return fail("uninitialized-stack-read",
                "reading stack bytes at offset " + std::to_string(lo) +
                    " that are not written on every path",
                s, a.base);
  case Stack::ReadStatus::PartialSpill:
    return fail("invalid-stack-read", "partial read of a spilled pointer", s, a.base);
  default:
    return std::nullopt;
  }
}

Diag check_packet(const ValidAccess &a, const State &s, const AnalysisContext &c) {
  const RegValue &b = s.reg(a.base);
  if (a.write && c.type != ProgramType::Xdp && c.type != ProgramType::SchedCls &&
      c.type != ProgramType::SchedAct)
    return fail("read-only-memory", "this program type cannot write into the packet", s, a.base);
  // Bytes [off + a.offset, off + a.offset + size) must lie in [0, packet size).
  auto end = s.zone().diff_upper(zvar::reg(a.base), zvar::kPacketSize); // off - size <= end
  bool below = b.num.smin() + a.offset < 0;
  if (below || !end || *end + a.offset + a.size > 0) {
    std::string known = end ? std::to_string(-*end) : "no";
    return fail("packet-out-of-bounds",
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

Diag check_ctx(const ValidAccess &a, const State &s, const AnalysisContext &c) {
  const RegValue &b = s.reg(a.base);
  if (!b.num.is_singleton() || b.num.smin() != 0)
    return fail("context-access", "the context pointer must not be moved before an access", s,
                a.base);
  if (c.ctx.size == 0)
    return fail("unsupported-feature", "not supported yet: context layout of this program type", s,
                a.base);
  if (a.write)
    return fail("unsupported-feature", "not supported yet: context writes", s, a.base);
  if (a.offset < 0 || a.offset + a.size > static_cast<int>(c.ctx.size) || a.offset % a.size != 0)
    return fail("context-access",
                "no readable context field at offset " + std::to_string(a.offset) + " of size " +
                    std::to_string(a.size),
                s, a.base);
  return std::nullopt;
}

// Map values and sized memory: [0, size) with the null check done.
Diag check_sized(const ValidAccess &a, const State &s, std::uint64_t size) {
  const RegValue &b = s.reg(a.base);
  if (b.maybe_null)
    return fail("null-dereference",
                "r" + std::to_string(a.base) + " may be null: test it against 0 first", s, a.base);
  std::int64_t lo = b.num.smin() + a.offset, hi = b.num.smax() + a.offset;
  if (lo < 0 || hi + a.size > static_cast<std::int64_t>(size))
    return fail("memory-out-of-bounds",
                "access at offset " + range(lo, hi) + " of " + std::to_string(a.size) +
                    " bytes outside a region of " + std::to_string(size) + " bytes",
                s, a.base);
  return std::nullopt;
}

} // namespace

Diag check_access(const ValidAccess &a, const State &s, const AnalysisContext &c) {
  const RegValue &b = s.reg(a.base);
  switch (b.type) {
  case RegType::Stack:
    return check_stack(a, s);
  case RegType::Packet:
    return check_packet(a, s, c);
  case RegType::Ctx:
    return check_ctx(a, s, c);
  case RegType::MapValue:
    if (b.region >= c.maps.size())
      return fail("invalid-memory-access", "map value of an unknown map", s, a.base);
    return check_sized(a, s, c.maps[b.region].value_size);
  case RegType::Mem:
    return check_sized(a, s, b.region);
  case RegType::PacketMeta:
    return fail("unsupported-feature", "not supported yet: access through data_meta", s, a.base);
  case RegType::Invalid:
  case RegType::Uninit:
    return std::nullopt; // reported by RegInitialized / UsableValue
  default:
    return fail("invalid-memory-access",
                "r" + std::to_string(a.base) + " (" + std::string(type_name(b.type)) +
                    ") cannot be dereferenced",
                s, a.base);
  }
}

} // namespace bpfcheck::analyzer
