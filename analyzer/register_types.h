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
  RingbufMem, // a ring buffer record (bpf_ringbuf_reserve); region is its size; a reference
  SockCommon, // struct bpf_sock with only the common fields (__sk_buff.sk, skc_lookup_tcp)
  Socket,     // a full struct bpf_sock (sk_lookup_tcp/udp, sk_msg_md.sk, bpf_sock_ops.sk)
  TcpSock,    // struct bpf_tcp_sock (bpf_tcp_sock)
  FlowKeys,   // struct bpf_flow_keys of a flow dissector (__sk_buff.flow_keys)
  TpBuffer,   // the writable buffer of a raw tracepoint (not modelled: access is unsupported)
};

constexpr bool is_pointer(RegType t) { return t >= RegType::Ctx; }

// The kinds the kernel's reg_not_null knows are never NULL unless marked maybe_null; a null test
// of one decides the branch. Packet, stack and context pointers are not among them (the kernel
// explores both edges), so neither edge of their null test is pruned.
constexpr bool never_null(RegType t) {
  switch (t) {
  case RegType::MapPtr:
  case RegType::MapValue:
  case RegType::Mem:
  case RegType::RingbufMem:
  case RegType::SockCommon:
  case RegType::Socket:
  case RegType::TcpSock:
    return true;
  default:
    return false;
  }
}

constexpr bool is_socket(RegType t) {
  return t == RegType::SockCommon || t == RegType::Socket || t == RegType::TcpSock;
}

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
  case RegType::RingbufMem:
    return "ringbuf_mem";
  case RegType::SockCommon:
    return "sock_common";
  case RegType::Socket:
    return "sock";
  case RegType::TcpSock:
    return "tcp_sock";
  case RegType::FlowKeys:
    return "flow_keys";
  case RegType::TpBuffer:
    return "tp_buffer";
  }
  return "?";
}

} // namespace bpfcheck::analyzer
