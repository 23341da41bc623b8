// The kinds of value a BPF register (or a spilled stack slot) can hold, as the kernel's
// enum bpf_reg_type distinguishes them. The numeric part (value or pointer offset) lives in
// RegValue (state.h); this file only names the kinds and how they combine at joins.
#pragma once

#include <cstdint>
#include <string_view>

namespace bpfcheck::analyzer {

enum class RegType : std::uint8_t {
  Uninit,     // never written on some path: every read is rejected
  Invalid,    // different kinds on different paths: every use is rejected
  Scalar,     // a number; num is its value
  Ctx,        // the program's context; num is the offset
  Stack,      // the frame pointer r10 plus num (valid bytes are [-512, 0))
  Packet,     // data + num; the zone variable of the register holds the offset too
  PacketEnd,  // data_end: only comparisons are allowed
  PacketMeta, // data_meta + num
  MapPtr,     // a map (ld_imm64 src=1); region is the map index
  MapValue,   // a map value; region is the map index, maybe_null until a null check
  Mem,        // memory of known size; region is the size in bytes
};

constexpr bool is_pointer(RegType t) { return t >= RegType::Ctx; }

// The join of two kinds: equal kinds stay, "uninitialized on some path" wins over everything
// (reading it is an error either way), and any other disagreement gives Invalid.
constexpr RegType join_types(RegType a, RegType b) {
  if (a == b)
    return a;
  if (a == RegType::Uninit || b == RegType::Uninit)
    return RegType::Uninit;
  return RegType::Invalid;
}

// The order matching join_types: concrete kinds below Invalid below Uninit.
constexpr bool types_leq(RegType a, RegType b) {
  return a == b || b == RegType::Uninit || (b == RegType::Invalid && a != RegType::Uninit);
}

constexpr std::string_view type_name(RegType t) {
  switch (t) {
  case RegType::Uninit:
    return "uninit";
  case RegType::Invalid:
    return "invalid";
  case RegType::Scalar:
    return "scalar";
  case RegType::Ctx:
    return "ctx";
  case RegType::Stack:
    return "stack";
  case RegType::Packet:
    return "pkt";
  case RegType::PacketEnd:
    return "pkt_end";
  case RegType::PacketMeta:
    return "pkt_meta";
  case RegType::MapPtr:
    return "map_ptr";
  case RegType::MapValue:
    return "map_value";
  case RegType::Mem:
    return "mem";
  }
  return "?";
}

} // namespace bpfcheck::analyzer
