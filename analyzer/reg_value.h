// The abstract value of one register or spilled stack slot: its kind, the numeric part (the
// value of a scalar, the offset of a pointer) as a Scalar64, and the kind's extra facts
// (nullness, which map or how large a memory region). Packet offsets also live in the zone.
#pragma once

#include "analyzer/register_types.h"
#include "domains/scalar.h"

#include <span>
#include <string>

namespace bpfcheck::analyzer {

using domains::Scalar64;

struct RegValue {
  RegType type = RegType::Uninit;
  bool maybe_null = false;  // MapValue / Mem returned by a lookup, before its null check
  std::uint32_t region = 0; // map index (MapPtr, MapValue) or size in bytes (Mem)
  Scalar64 num;             // value (Scalar) or offset (pointers); top otherwise
  // The kernel's pointer id: copies of one helper result share it, so a null test of one copy
  // refines all of them; an acquired reference is known by it too. 0: none (or lost at a join).
  std::uint32_t id = 0;

  static RegValue uninit() { return {}; }
  static RegValue scalar(const Scalar64 &v) { return {RegType::Scalar, false, 0, v}; }
  static RegValue scalar_top() { return scalar(Scalar64::top()); }
  static RegValue constant(std::uint64_t c) { return scalar(Scalar64::constant(c)); }
  static RegValue pointer(RegType t, std::int64_t offset = 0, std::uint32_t region = 0) {
    return {t, false, region, Scalar64::constant(static_cast<std::uint64_t>(offset))};
  }

  bool operator==(const RegValue &) const = default;

  // Same kind and same object: the numeric parts are then comparable.
  bool compatible(const RegValue &o) const { return type == o.type && region == o.region; }

  // NULL on one path and a never-NULL pointer on the other join to the pointer marked
  // maybe-null (the kernel's PTR_MAYBE_NULL), so that a later test of it still works.
  static bool null_and_pointer(const RegValue &zero, const RegValue &p) {
    return zero.type == RegType::Scalar && zero.num == Scalar64::constant(0) && never_null(p.type);
  }
  static RegValue maybe_null_of(RegValue p) {
    p.maybe_null = true;
    return p;
  }

  bool leq(const RegValue &o) const {
    if (o.maybe_null && null_and_pointer(*this, o))
      return true;
    if (compatible(o))
      return (!maybe_null || o.maybe_null) && (o.id == 0 || id == o.id) && num.leq(o.num);
    return types_leq(type, o.type) && (o.type == RegType::Uninit || o.type == RegType::Invalid);
  }
  RegValue join(const RegValue &o) const {
    if (null_and_pointer(*this, o))
      return maybe_null_of(o);
    if (null_and_pointer(o, *this))
      return maybe_null_of(*this);
    if (compatible(o))
      return {type, maybe_null || o.maybe_null, region, num.join(o.num), join_id(o)};
    return {type == o.type ? RegType::Invalid : join_types(type, o.type), false, 0, {}};
  }
  RegValue widen(const RegValue &o, std::span<const std::uint64_t> thresholds) const {
    if (compatible(o))
      return {type, maybe_null || o.maybe_null, region, num.widen(o.num, thresholds), join_id(o)};
    return join(o); // kinds are finite: joining is widening
  }
  // Narrowing refines only the numeric part; kinds are finite and already stable.
  RegValue narrow(const RegValue &o) const {
    if (!compatible(o))
      return *this;
    Scalar64 n = num.narrow(o.num);
    return {type, maybe_null && o.maybe_null, region, n.is_bottom() ? num : n, id};
  }

  std::uint32_t join_id(const RegValue &o) const { return id == o.id ? id : 0; }

  std::string to_string() const;
};

} // namespace bpfcheck::analyzer
