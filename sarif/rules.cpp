// The rule catalogue as data: one entry per property the verifier proves. Descriptions say what
// the kernel's verifier requires (so a user can match our rejection to its log) and help says
// what source change usually satisfies it.
#include "rules.h"

#include <array>
#include <cctype>

namespace bpfcheck {
namespace {

constexpr std::array kRules = {
    RuleInfo{"packet-out-of-bounds", "PacketOutOfBounds",
             "Packet access not proven to lie within the packet.",
             "Every read or write through a packet pointer must be preceded by a comparison "
             "against data_end that covers the whole access (offset plus size). The verifier "
             "tracks the proven range of each packet pointer; an access beyond it is rejected.",
             "Compare the pointer plus the access size with data_end before the access, e.g. "
             "`if (data + sizeof(struct ethhdr) > data_end) return XDP_DROP;`, and access the "
             "packet only through pointers derived from that check."},
    RuleInfo{"null-dereference", "NullDereference", "Dereference of a pointer that may be NULL.",
             "Helpers such as bpf_map_lookup_elem return a pointer that is NULL when the element "
             "does not exist. The verifier rejects any access through such a pointer until a "
             "branch has proven it non-NULL.",
             "Check the returned pointer before using it: `if (!value) return 0;`."},
    RuleInfo{
        "uninitialized-stack-read", "UninitializedStackRead",
        "Read of stack memory that was never written.",
        "Reading stack bytes that no instruction has written leaks kernel stack contents, so "
        "the verifier rejects it, including when the bytes are passed to a helper that reads "
        "them (keys, buffers, structs with padding).",
        "Initialize the variable before use, e.g. `struct key k = {};` or `__builtin_memset(&k, "
        "0, sizeof(k));` so that padding bytes are written too."},
    RuleInfo{"stack-out-of-bounds", "StackOutOfBounds", "Stack access outside the 512-byte frame.",
             "A BPF program has a stack frame of at most 512 bytes addressed through r10 with "
             "negative offsets; accesses outside [r10-512, r10) or with a variable offset the "
             "verifier cannot bound are rejected.",
             "Keep large buffers in a per-CPU array map instead of on the stack, and bound "
             "variable indexes into stack arrays with an explicit comparison."},
    RuleInfo{"helper-argument", "HelperArgument", "Invalid argument to a helper or kfunc.",
             "Each helper and kfunc argument has a required kind (pointer to map, to initialized "
             "memory of a given size, scalar, reference, ...). The verifier checks every argument "
             "against the prototype; a mismatch, an unbounded size or a possibly NULL pointer "
             "where none is allowed is rejected.",
             "Pass the kind of value the helper's prototype asks for; bound size arguments with a "
             "comparison (`if (len > sizeof(buf)) return 0;`) and check pointers for NULL."},
    RuleInfo{"unknown-helper", "UnknownHelper",
             "Helper or kfunc not available to this program type.",
             "The set of callable helpers and kfuncs depends on the program type (and attach "
             "type). Calling one outside that set, or an id the kernel does not know, is rejected.",
             "Use a helper allowed for the program's section, or change the section name (program "
             "type) to one that permits it."},
    RuleInfo{"unbounded-loop", "UnboundedLoop", "Loop not proven to terminate.",
             "The kernel accepts a loop only when it can prove that it terminates: a counter "
             "compared against a constant bound, an open-coded iterator, bpf_loop, or may_goto. "
             "A back-edge whose exit condition does not bound the number of iterations is "
             "rejected.",
             "Bound the loop by a constant (`for (int i = 0; i < 64 && i < n; i++)`), or use "
             "bpf_for / bpf_loop for data-dependent iteration counts."},
    RuleInfo{"helper-not-allowed", "HelperNotAllowed", "Helper not allowed for this program type.",
             "Each program type (and attach type) may call only some helpers: bpf_skb_* helpers "
             "only from socket and tc programs, bpf_xdp_* from XDP, bpf_probe_read_* and "
             "bpf_get_current_* from tracing programs, and so on. The kernel rejects the call "
             "with \"unknown func\" or \"helper call is not allowed in probe\".",
             "Use the helper's counterpart for this program type, or move the logic to a program "
             "type whose section name permits the helper."},
    RuleInfo{"reference-leak", "ReferenceLeak", "Acquired reference not released on every path.",
             "Sockets from bpf_sk_lookup_*, ring buffer reservations, dynptrs, iterators and other "
             "acquired objects must be released (or submitted/discarded) on every path before the "
             "program exits.",
             "Release the object on every path, including early returns: bpf_sk_release, "
             "bpf_ringbuf_submit or bpf_ringbuf_discard, bpf_iter_*_destroy."},
    RuleInfo{"bad-return-value", "BadReturnValue",
             "Return value outside the range the program type allows.",
             "Each program type restricts r0 at exit (for example XDP actions, 0 or 1 for some "
             "cgroup hooks). A return value that may lie outside the allowed range, or r0 left "
             "uninitialized, is rejected.",
             "Return one of the program type's defined constants on every path."},
    RuleInfo{"uninitialized-register", "UninitializedRegister",
             "Read of a register that holds no value.",
             "Registers r1-r5 are clobbered by calls and r0 has no value until set; reading a "
             "register that was never written on some path is rejected.",
             "Make sure the variable is assigned on every path before use; the compiler may have "
             "kept it in a register that a helper call clobbered."},
    RuleInfo{"context-access", "ContextAccess", "Invalid access to the program context.",
             "The context (r1 at entry) may only be accessed at the offsets and sizes its program "
             "type defines, read-only fields may not be written, and the context pointer may not "
             "be modified before the access.",
             "Access context fields directly through the typed context pointer (e.g. "
             "`ctx->data`) with their declared size; do not add offsets to it."},
    RuleInfo{"map-value-out-of-bounds", "MapValueOutOfBounds",
             "Map value access outside the value size.",
             "A pointer returned by a map lookup addresses exactly value_size bytes. An access at "
             "an offset or index that may exceed that size is rejected.",
             "Bound indexes into arrays inside map values with an explicit comparison against "
             "the array length before the access."},
    RuleInfo{"memory-out-of-bounds", "MemoryOutOfBounds",
             "Access outside a memory region of known size.",
             "Pointers to memory of known size (dynptr slices, ring buffer records, BTF-typed "
             "kernel objects, global data) may only be accessed within that size.",
             "Bound the offset against the region's size before the access."},
    RuleInfo{"pointer-arithmetic", "PointerArithmetic", "Arithmetic not allowed on this pointer.",
             "The kernel permits only some arithmetic on pointers (adding bounded scalars to "
             "packet, stack and map value pointers); arithmetic on context, map or NULL-able "
             "pointers, or with unbounded offsets, is rejected.",
             "Check pointers for NULL before arithmetic and bound the added offset."},
    RuleInfo{"misaligned-access", "MisalignedAccess", "Memory access not aligned to its size.",
             "With strict alignment (and always for the stack and for atomics) an access must be "
             "aligned to its size.",
             "Access fields at their natural alignment; avoid casting byte buffers to wider "
             "types at odd offsets."},
    RuleInfo{"read-only-write", "ReadOnlyWrite", "Write to read-only memory.",
             "Some memory is read-only for a program: .rodata, read-only context fields, packet "
             "data in program types without direct packet write access, and read-only map "
             "values.",
             "Write through a helper permitted for this program type (e.g. bpf_skb_store_bytes) "
             "or copy the data to writable memory first."},
    RuleInfo{"pointer-leak", "PointerLeak", "Kernel pointer leaked to user-visible memory.",
             "Unprivileged programs may not store kernel pointers into maps, the packet or the "
             "return value, nor compare them in ways that reveal their value.",
             "Store a scalar derived from the data instead of the pointer itself."},
    RuleInfo{"division-by-zero", "DivisionByZero", "Division or modulo by the constant zero.",
             "Division and modulo by a zero immediate are rejected at load time (a zero register "
             "divisor yields 0 at run time instead).",
             "Remove the constant zero divisor; it usually comes from a macro or a miscompiled "
             "expression."},
    RuleInfo{"invalid-instruction", "InvalidInstruction", "Malformed or unknown instruction.",
             "An opcode the kernel does not know, reserved fields that are not zero, a jump "
             "outside the program or into the middle of a 16-byte instruction, or a write to r10 "
             "is rejected.",
             "Rebuild the object with a supported compiler and -mcpu setting; the bytes were not "
             "produced by a BPF backend the kernel accepts."},
    RuleInfo{"mixed-register-types", "MixedRegisterTypes",
             "Register used while holding different kinds of values on different paths.",
             "bpfcheck joins the paths that meet at a point; a register that holds a pointer on "
             "one path and a number (or a pointer of another kind) on another may be copied or "
             "spilled, but any other use is rejected. The kernel checks each path separately and "
             "rejects the path on which the use is invalid for the value's kind.",
             "Keep one kind per variable on every path: a separate variable for the pointer and "
             "for the number, or an early return on the path that assigns the other kind."},
    RuleInfo{
        "frame-pointer-write", "FramePointerWrite", "Write to the read-only frame pointer r10.",
        "r10 holds the frame pointer of the BPF stack and is read-only; the kernel rejects any "
        "instruction that writes it (\"frame pointer is read only\").",
        "The bytes were not produced by a compiler's BPF backend: in hand-written assembly, "
        "copy r10 to another register and do arithmetic on the copy."},
    RuleInfo{"invalid-stack-read", "InvalidStackRead",
             "Stack read that does not match what was stored there.",
             "A pointer spilled to the stack may only be filled back whole, with an aligned "
             "8-byte load; reading part of a spilled pointer would turn kernel address bits into "
             "a number, which the kernel refuses.",
             "Read the slot back with the width it was written with; do not reinterpret a saved "
             "pointer through a narrower type or a union."},
    RuleInfo{"invalid-memory-access", "InvalidMemoryAccess",
             "Dereference of a value that is not a readable pointer.",
             "Only pointers the verifier knows the kind and extent of (stack, packet, map value, "
             "context, memory returned by helpers, socket fields) may be dereferenced; loads "
             "through numbers, map pointers or packet_end, or at fields a socket pointer does not "
             "expose, are rejected (\"invalid mem access\").",
             "Dereference only pointers obtained from the context, a map lookup or a helper, after "
             "the checks they need; read socket fields that the socket's kind exposes."},
    RuleInfo{"unreachable-code", "UnreachableCode", "Instruction that no path reaches.",
             "The kernel rejects programs containing instructions that no control-flow path "
             "reaches, as well as paths that fall off the end of the program.",
             "Remove dead code, or compile with optimizations so the compiler removes it."},
    RuleInfo{"spin-lock", "SpinLock", "Invalid use of a BPF spin lock.",
             "A bpf_spin_lock must be released before exit and before calling helpers, and only "
             "one lock may be held at a time.",
             "Keep critical sections short and straight-line: lock, update fields, unlock."},
    RuleInfo{"program-too-complex", "ProgramTooComplex", "Analysis exceeded a complexity limit.",
             "The kernel stops after one million processed instructions or a bounded number of "
             "states; bpfcheck reports when its own time, memory or state limits are reached, "
             "since the kernel would likely reject the program too.",
             "Split the program with tail calls or global functions, simplify loops, or bound "
             "them more tightly.",
             Severity::Warning},
    RuleInfo{"loader-mismatch", "LoaderMismatch",
             "libbpf would load a different instruction than the object means.",
             "The object's relocation is read one way by its compiler and another way by libbpf, "
             "so the kernel would verify and run another program than the source describes: "
             "gcc 12 folds a global variable's offset into the instruction and libbpf adds it "
             "again, so the program reads the wrong variable or past its section.",
             "Build the object with clang or a newer bpf-gcc, or make the variable the first of "
             "its section (offset 0)."},
    RuleInfo{"unsupported-feature", "UnsupportedFeature",
             "Program uses a feature bpfcheck does not model.",
             "The program uses an instruction, helper, kfunc or map type that bpfcheck does not "
             "(yet) model, so it cannot prove the program safe. The kernel may still accept it.",
             "Nothing to change in the program; report the feature to bpfcheck's maintainers.",
             Severity::Warning},
};

} // namespace

std::span<const RuleInfo> all_rules() { return kRules; }

const RuleInfo *find_rule(std::string_view id) {
  for (const RuleInfo &rule : kRules) {
    if (rule.id == id) {
      return &rule;
    }
  }
  return nullptr;
}

std::string rule_display_name(std::string_view id) {
  if (const RuleInfo *rule = find_rule(id)) {
    return std::string(rule->name);
  }
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

} // namespace bpfcheck
