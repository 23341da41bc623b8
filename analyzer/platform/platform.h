// Platform tables of the analyzer (DESIGN.md section 5): helper prototypes, program-type context
// layouts, return ranges and helper permissions, written as data from the kernel's UAPI and
// verifier sources. Names mirror the kernel's (enum bpf_arg_type, bpf_return_type) on purpose.
#pragma once

#include "program.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>

namespace bpfcheck::platform {

// enum bpf_map_type, as numbered by the kernel (tables must not depend on the installed header,
// which may be older than the kernel the tables describe).
enum class MapType : std::uint8_t {
  Hash = 1,
  Array = 2,
  ProgArray = 3,
  PerfEventArray = 4,
  PercpuHash = 5,
  PercpuArray = 6,
  StackTrace = 7,
  CgroupArray = 8,
  LruHash = 9,
  LruPercpuHash = 10,
  LpmTrie = 11,
  ArrayOfMaps = 12,
  HashOfMaps = 13,
  Devmap = 14,
  Sockmap = 15,
  Cpumap = 16,
  Xskmap = 17,
  Sockhash = 18,
  CgroupStorage = 19,
  ReuseportSockarray = 20,
  PercpuCgroupStorage = 21,
  Queue = 22,
  Stack = 23,
  SkStorage = 24,
  DevmapHash = 25,
  StructOps = 26,
  Ringbuf = 27,
  InodeStorage = 28,
  TaskStorage = 29,
  BloomFilter = 30,
  UserRingbuf = 31,
  CgrpStorage = 32,
  Arena = 33,
};

// A set of map types as a bit mask; the empty mask means "any map type".
using MapTypeMask = std::uint64_t;
constexpr MapTypeMask map_mask(std::initializer_list<MapType> types) {
  MapTypeMask mask = 0;
  for (MapType type : types)
    mask |= MapTypeMask{1} << static_cast<unsigned>(type);
  return mask;
}

// enum bpf_arg_type without its flag bits (those are ArgFlag below).
enum class ArgKind : std::uint8_t {
  None, // argument not used
  ConstMapPtr,
  PtrToMapKey,
  PtrToMapValue,
  PtrToUninitMapValue, // written by the helper (map_pop_elem, map_peek_elem)
  PtrToMem,            // followed by its size in the next argument unless kFixedSize
  ConstSize,
  ConstSizeOrZero,
  ConstAllocSizeOrZero, // ringbuf_reserve size: also sizes the returned memory
  PtrToCtx,
  Anything,
  PtrToSockCommon,
  PtrToSocket,
  PtrToStack, // bpf_get_local_storage-era "pointer into the stack" (ARG_PTR_TO_STACK)
  PtrToRingbufMem,
  PtrToAllocMem,
  PtrToFunc,
  PtrToLong,
  PtrToInt,
  PtrToConstStr,
  PtrToTimer,
  PtrToSpinLock,
  PtrToDynptr,
  PtrToBtfId,           // a typed kernel pointer (task_struct, file, inode, ...)
  PtrToBtfIdSockCommon, // sock_common or a BTF pointer to a socket
  PtrToPercpuBtfId,
  PtrToKptr,
};

// Modifiers of an argument, as the kernel's type flags (PTR_MAYBE_NULL, MEM_RDONLY, ...).
enum ArgFlag : std::uint8_t {
  kMaybeNull = 1 << 0, // PTR_MAYBE_NULL: NULL is accepted
  kReadonly = 1 << 1,  // MEM_RDONLY: the helper only reads
  kUninit = 1 << 2,    // MEM_UNINIT: the helper writes, memory need not be initialized
  kRelease = 1 << 3,   // OBJ_RELEASE: the reference held by this argument is released
  kFixedSize = 1 << 4, // MEM_FIXED_SIZE: size implied by the type, no size argument follows
};

struct Arg {
  ArgKind kind = ArgKind::None;
  std::uint8_t flags = 0;
  std::uint8_t fixed_size = 0; // bytes, for kFixedSize (e.g. 8 for ARG_PTR_TO_LONG-like outputs)
};

// enum bpf_return_type without flags; "OrNull" spells PTR_MAYBE_NULL.
enum class RetKind : std::uint8_t {
  Integer,
  Void,
  PtrToMapValueOrNull,
  PtrToSocketOrNull,
  PtrToTcpSockOrNull,
  PtrToSockCommonOrNull,
  PtrToAllocMemOrNull,   // ringbuf_reserve: size from ret_size_arg
  PtrToMemOrBtfId,       // this_cpu_ptr
  PtrToMemOrBtfIdOrNull, // per_cpu_ptr
  PtrToBtfIdOrNull,      // skc_to_*, sock_from_file
  PtrToBtfId,            // get_current_task_btf
  PtrToDynptrMemOrNull,  // dynptr_data
  PtrToMapValue,         // get_local_storage: never NULL
  PtrToMemOrNull,        // kptr_xchg
};

enum HelperFlag : std::uint16_t {
  kGplOnly = 1 << 0,
  kChangesPktData = 1 << 1, // invalidates every packet pointer of the caller
  kAcquire = 1 << 2,        // the result holds a reference that must be released
  kMightSleep = 1 << 3,     // only sleepable programs may call it
  kNoCallback = 1 << 4,     // not allowed inside callbacks / under a spin lock (e.g. tail_call)
};

struct HelperPrototype {
  std::uint32_t id = 0;  // enum bpf_func_id
  std::string_view name; // without the bpf_ prefix, as in __BPF_FUNC_MAPPER
  RetKind ret = RetKind::Integer;
  std::array<Arg, 5> args{};
  std::uint16_t flags = 0;
  MapTypeMask map_types = 0;     // for the ConstMapPtr argument; 0 = any
  std::int8_t ret_size_arg = -1; // argument (0-based) that sizes a returned memory pointer
  std::int64_t ret_min = std::numeric_limits<std::int64_t>::min(); // known integer result range
  std::int64_t ret_max = std::numeric_limits<std::int64_t>::max();
};

// Per-family tables (one file each). Exposed for tests; clients use find_helper.
std::span<const HelperPrototype> map_helpers();
std::span<const HelperPrototype> trace_helpers();
std::span<const HelperPrototype> skb_helpers();
std::span<const HelperPrototype> xdp_helpers();
std::span<const HelperPrototype> sock_helpers();
std::span<const HelperPrototype> misc_helpers();

// Every known helper prototype, or nullptr.
const HelperPrototype *find_helper(std::uint32_t id);
// The prototype a program type gets: a few helpers have per-type variants in the kernel
// (different func_proto structs under one id). Falls back to find_helper(id).
const HelperPrototype *find_helper(std::uint32_t id, ProgramType type);
std::span<const HelperPrototype> helper_variants();    // for tests
std::span<const HelperPrototype *const> all_helpers(); // sorted by id

struct Permission {
  bool allowed = false;
  std::string_view reason; // when not allowed
};
// Whether the type's func_proto hands out this helper (the kernel's "program of this type
// cannot use helper" check). Sleepability and GPL are separate prototype flags.
Permission helper_allowed(ProgramType type, std::uint32_t helper_id,
                          std::optional<std::uint32_t> expected_attach_type = std::nullopt);

// What a context load produces.
enum class CtxValue : std::uint8_t {
  Scalar,
  PacketPointer,    // PTR_TO_PACKET (data)
  PacketEnd,        // PTR_TO_PACKET_END (data_end)
  PacketMeta,       // PTR_TO_PACKET_META (data_meta)
  SockCommonOrNull, // PTR_TO_SOCK_COMMON_OR_NULL (__sk_buff.sk)
  Socket,           // PTR_TO_SOCKET (sk_msg_md.sk, bpf_sock_addr.sk)
  SocketOrNull,     // PTR_TO_SOCKET_OR_NULL (bpf_sock_ops.sk)
  FlowKeys,         // PTR_TO_FLOW_KEYS (__sk_buff.flow_keys in flow_dissector)
  TpBuffer,         // PTR_TO_TP_BUFFER (writable raw tracepoint's buffer pointer)
};

// Load and store widths as a bit mask: bit 0 = 1 byte, 1 = 2, 2 = 4, 3 = 8.
enum Width : std::uint8_t { kW1 = 1, kW2 = 2, kW4 = 4, kW8 = 8 };
constexpr std::uint8_t kNarrow32 = kW1 | kW2 | kW4; // narrow loads of a u32 field
constexpr std::uint8_t kAnyWidth = kW1 | kW2 | kW4 | kW8;
constexpr std::uint8_t width_bit(int size) {
  return size == 1 ? kW1 : size == 2 ? kW2 : size == 4 ? kW4 : size == 8 ? kW8 : 0;
}

// Program types sharing one context struct differ in which fields they may touch; each type
// is a "variant" bit of its layout and a field lists the variants that may read or write it.
using VariantMask = std::uint16_t;
constexpr VariantMask kAllVariants = 0xffff;

struct ContextField {
  std::string_view name;
  std::uint16_t offset = 0;
  std::uint8_t size = 0;         // the whole field (an array counts as one field)
  std::uint8_t read_widths = 0;  // allowed load widths at naturally aligned offsets inside
  std::uint8_t write_widths = 0; // 0: never written
  CtxValue value = CtxValue::Scalar;
  VariantMask readable_in = kAllVariants;
  VariantMask writable_in = kAllVariants;
  // Expected attach types (bit n = enum bpf_attach_type n) that see the field; 0 = all. With no
  // attach type known the field is refused, as the kernel's default (0) would be.
  std::uint64_t attach_mask = 0;
  // Narrow loads only at the field's first byte (the kernel matches `case offsetof(...)` there,
  // not the whole range).
  bool narrow_at_start = false;
  // Bytes a full-width load may cover when larger than the field (bpf_sock.dst_port: a __be16
  // read as a u32 with its padding). 0 = size.
  std::uint8_t extent = 0;
};

constexpr std::uint64_t attach_bits(std::initializer_list<unsigned> attach_types) {
  std::uint64_t mask = 0;
  for (unsigned attach : attach_types)
    mask |= std::uint64_t{1} << attach;
  return mask;
}

struct ContextLayout {
  std::string_view struct_name;
  std::uint16_t size = 0; // the kernel's sizeof: no access reaches past it
  std::span<const ContextField> fields;
  VariantMask variant = kAllVariants; // this program type's bit
  // Raw layouts (pt_regs, tracepoint records): any read in [raw_min, size) with these widths.
  bool raw = false;
  std::uint16_t raw_min = 0;
  std::uint8_t raw_widths = 0;
  bool raw_writable = false;
};

struct ContextAccess {
  bool allowed = false;
  CtxValue value = CtxValue::Scalar;
  const ContextField *field = nullptr;
  std::string_view reason; // when refused
};

const ContextLayout *context_layout(ProgramType type);
ContextAccess check_context_access(ProgramType type, std::int64_t offset, int size, bool write,
                                   std::optional<std::uint32_t> expected_attach_type = {});

// Values of r0 at exit (inclusive, on the low 32 bits the kernel checks). `enforced`: the kernel
// rejects other values (check_return_code); otherwise [min, max] is only the documented set of
// meaningful verdicts (xdp, sk_skb, ...: the kernel loads any value and treats unknown ones at
// run time), worth a warning but not a rejection.
struct ReturnRange {
  std::int64_t min = std::numeric_limits<std::int32_t>::min();
  std::int64_t max = std::numeric_limits<std::int32_t>::max();
  bool enforced = false;
};
ReturnRange return_range(ProgramType type, std::optional<std::uint32_t> expected_attach_type = {});

} // namespace bpfcheck::platform
