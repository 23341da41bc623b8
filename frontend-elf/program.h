// The frontend contract (DESIGN.md section 3): a Program is everything the analysis needs,
// self-contained, with no reference back to the ELF it came from. Every frontend produces these;
// cfg/ decodes their instruction slots and analyzer/ verifies them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bpfcheck {

class Btf;

// One 8-byte instruction slot exactly as the ISA encodes it (RFC 9669 section 4): ld_imm64
// takes two slots, the second holding the upper 32 bits of the immediate in `imm`.
struct RawInstruction {
  std::uint8_t opcode = 0;
  std::uint8_t dst = 0; // low nibble of byte 1
  std::uint8_t src = 0; // high nibble of byte 1
  std::int16_t offset = 0;
  std::int32_t imm = 0;

  friend bool operator==(const RawInstruction &, const RawInstruction &) = default;
};

// Kernel program types, numbered as enum bpf_prog_type in <linux/bpf.h> so that a Program can
// be handed to BPF_PROG_LOAD for the kernel cross-check without translation.
enum class ProgramType : std::uint32_t {
  Unspec = 0,
  SocketFilter = 1,
  Kprobe = 2,
  SchedCls = 3,
  SchedAct = 4,
  Tracepoint = 5,
  Xdp = 6,
  PerfEvent = 7,
  CgroupSkb = 8,
  CgroupSock = 9,
  LwtIn = 10,
  LwtOut = 11,
  LwtXmit = 12,
  SockOps = 13,
  SkSkb = 14,
  CgroupDevice = 15,
  SkMsg = 16,
  RawTracepoint = 17,
  CgroupSockAddr = 18,
  LwtSeg6local = 19,
  LircMode2 = 20,
  SkReuseport = 21,
  FlowDissector = 22,
  CgroupSysctl = 23,
  RawTracepointWritable = 24,
  CgroupSockopt = 25,
  Tracing = 26,
  StructOps = 27,
  Ext = 28,
  Lsm = 29,
  SkLookup = 30,
  Syscall = 31,
  Netfilter = 32,
};

// Where a map comes from. Global data sections become single-entry array maps (as libbpf makes
// them), so a pointer into .rodata is a map value like any other.
enum class MapOrigin { BtfDefined, Legacy, Data, Rodata, Bss, Kconfig };

struct MapDescriptor {
  std::string name; // symbol name, or the section name for global data
  MapOrigin origin = MapOrigin::BtfDefined;
  std::uint32_t type = 0; // enum bpf_map_type
  std::uint32_t key_size = 0;
  std::uint32_t value_size = 0;
  std::uint32_t max_entries = 0;
  std::uint32_t flags = 0;
  std::uint32_t key_btf_type = 0;         // 0 when unknown
  std::uint32_t value_btf_type = 0;       // 0 when unknown
  std::optional<std::uint32_t> inner_map; // index into ObjectFile::maps of the template
  // Initial contents of global data (.data and .rodata; .bss is all zero). Reads from .rodata
  // fold to constants during analysis because the kernel freezes it.
  std::vector<std::uint8_t> initial_data;
};

// An extern the program refers to: a kfunc (called) or a ksym (an address loaded with ld_imm64).
struct ExternSymbol {
  enum class Kind { Kfunc, Ksym };
  std::string name;
  Kind kind = Kind::Kfunc;
  std::uint32_t btf_type = 0; // FUNC (kfunc) or VAR/DATASEC entry (ksym) in the object's BTF
  bool weak = false;
};

// Where an instruction came from in the source: from .BTF.ext line_info, or DWARF .debug_line.
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string text; // the source line itself, when known (BTF line_info carries it)
};

// Instruction index -> source location. Line info is sparse (one record at the start of each
// source statement); `at` answers for the nearest record at or before the instruction.
class LineTable {
public:
  void add(std::uint32_t instruction, SourceLocation location);
  // The location of `instruction`, or nullptr when no record covers it.
  const SourceLocation *at(std::uint32_t instruction) const;
  // The record that starts exactly at `instruction` (for interleaved disassembly).
  const SourceLocation *starting_at(std::uint32_t instruction) const;
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }

private:
  struct Entry {
    std::uint32_t instruction;
    SourceLocation location;
  };
  std::vector<Entry> entries_; // sorted by instruction
};

// A function inside a linked program: the entry itself, or a static subprogram from .text (or
// from the same section) appended by the linker.
struct Subprogram {
  std::string name;
  std::uint32_t start = 0;    // first instruction slot in Program::instructions
  std::uint32_t btf_func = 0; // FUNC type id from func_info, 0 when unknown
  bool global = false;        // global functions are verified against their prototype
};

// An instruction that the usual loader (libbpf) loads differently from what the object means:
// the kernel then verifies another program than the one analyzed, so the analyzer rejects the
// program at this slot with the message (e.g. gcc 12's folded symbol offsets, added again).
struct LoaderMismatch {
  std::uint32_t slot = 0;
  std::string message;
};

// How instruction references were resolved, so later stages never see ELF relocations:
//  - ld_imm64 of a map: src = BPF_PSEUDO_MAP_FD (1), imm = index into `maps`.
//  - ld_imm64 of global data: src = BPF_PSEUDO_MAP_VALUE (2), imm = index into `maps`, second
//    slot imm = offset within the value.
//  - ld_imm64 of a ksym: src = BPF_PSEUDO_BTF_ID (3), imm = index into `externs`.
//  - ld_imm64 of a function address (callbacks): src = BPF_PSEUDO_FUNC (4), imm = relative slot
//    offset as the kernel expects (target = pc + imm + 1).
//  - bpf2bpf call: src = BPF_PSEUDO_CALL (1), imm = relative slot offset (target = pc + imm + 1).
//  - kfunc call: src = BPF_PSEUDO_KFUNC_CALL (2), imm = index into `externs`.
struct Program {
  std::string file;    // the object's path, as given
  std::string section; // ELF section name, e.g. "xdp" or "kprobe/do_unlinkat"
  std::string name;    // entry function symbol
  ProgramType type = ProgramType::Unspec;
  std::optional<std::uint32_t> expected_attach_type; // enum bpf_attach_type, where it matters
  std::string attach_target; // e.g. the kernel function of a kprobe/fentry section
  bool sleepable = false;    // ".s" sections
  std::string license;
  std::vector<RawInstruction> instructions; // entry first, subprograms appended
  std::vector<Subprogram> subprograms;      // [0] is the entry
  std::vector<MapDescriptor> maps;          // every map of the object (indices are stable)
  std::vector<ExternSymbol> externs;
  std::vector<LoaderMismatch> loader_mismatches; // by slot
  LineTable lines;
  std::shared_ptr<const Btf> btf; // the object's BTF, null when it has none
};

} // namespace bpfcheck
