// Safety assertions (DESIGN.md section 5): each instruction yields the properties that must hold
// in its pre-state, and checking them is a separate step that turns a failed one into a
// Diagnostic with a stable rule id. Generation sees only the instruction and the program.
#pragma once

#include "analyzer/context.h"
#include "analyzer/state.h"
#include "instruction.h"
#include "sarif/report.h"

#include <array>
#include <optional>
#include <string_view>

namespace bpfcheck::analyzer {

struct RegInitialized { // the register was written on every path
  std::uint8_t reg = 0;
};
struct NotFramePointer { // r10 is read-only
  std::uint8_t reg = 0;
};
struct UsableValue { // not a mix of kinds from different paths
  std::uint8_t reg = 0;
};
struct ValidAlu { // pointer arithmetic the kernel allows
  Alu alu;
};
struct ValidAccess { // base + offset .. + size lies inside memory the base may touch
  std::uint8_t base = 0;
  std::int16_t offset = 0;
  std::uint8_t size = 0;
  bool write = false;
  bool immediate = false; // a BPF_ST store (the kernel refuses those into the context)
};
struct ValidReturn {};        // r0 at exit is a number in the program type's range
struct NoLeakedReferences {}; // no acquired reference is held at exit
struct ValidHelperCall {      // a helper the program may call, with arguments of its prototype
  std::int32_t helper = 0;
  std::optional<std::uint32_t> pc; // the call's slot (names acquired references)
};
struct SubprogramExit {}; // r0 at a subprogram's exit: scalar (global), no stack pointer (static)
struct NoStackPointerToCaller { // the kernel refuses to spill stack pointers into a caller's frame
  std::uint8_t base = 0;
  std::uint8_t src = 0;
};
struct ValidAtomic { // an atomic read-modify-write on memory the kernel allows it on
  std::uint8_t base = 0, src = 0;
};
struct ValidLegacyPacketLoad { // BPF_ABS/BPF_IND: r6 is the skb, the type may use them
  bool indirect = false;
  std::uint8_t index = 0; // the BPF_IND register
};
struct Unsupported { // not modelled yet: never a silent acceptance
  std::string_view feature;
};

using Assertion =
    std::variant<RegInitialized, NotFramePointer, UsableValue, ValidAlu, ValidAccess, ValidReturn,
                 NoLeakedReferences, ValidHelperCall, SubprogramExit, NoStackPointerToCaller,
                 ValidAtomic, ValidLegacyPacketLoad, Unsupported>;

// A fixed-capacity list: assertions are generated on every visit of an instruction.
class Assertions {
public:
  void add(const Assertion &a) { items_[count_++] = a; }
  const Assertion *begin() const { return items_.data(); }
  const Assertion *end() const { return items_.data() + count_; }
  std::size_t size() const { return count_; }

private:
  std::array<Assertion, 12> items_{};
  std::uint8_t count_ = 0;
};

Assertions assertions_for(const Instruction &instruction, const AnalysisContext &context);

// The diagnostic for a failed assertion (instruction index and location are the caller's).
std::optional<Diagnostic> check(const Assertion &assertion, const State &state,
                                const AnalysisContext &context);
// The first failed assertion of an instruction. A failing instruction ends its path (the kernel
// stops there too), so the fixpoint and the checker both continue with bottom after it: later
// diagnostics are never consequences of an earlier one.
std::optional<Diagnostic> first_failure(const Instruction &instruction, const State &state,
                                        const AnalysisContext &context);
// The memory part of check(), by the base pointer's kind (check_access.cpp).
std::optional<Diagnostic> check_access(const ValidAccess &access, const State &state,
                                       const AnalysisContext &context);
// The bpf2bpf parts of check() (global_function.cpp).
std::optional<Diagnostic> check_subprogram_exit(const State &state, const AnalysisContext &context);
std::optional<Diagnostic> check_stack_pointer_store(const NoStackPointerToCaller &store,
                                                    const State &state);
// The helper-call part of check(): permission and arguments (check_call.cpp).
std::optional<Diagnostic> check_helper_call(const ValidHelperCall &call, const State &state,
                                            const AnalysisContext &context);
// Whether bytes [off + offset, off + offset + size) of packet pointer `reg` are proved inside
// the packet, and whether the program type may write packets directly.
bool packet_range_ok(const State &state, unsigned reg, std::int64_t offset, std::int64_t size);
bool packet_writable(ProgramType type);
// A diagnostic showing the abstract values of `regs`.
Diagnostic make_diagnostic(std::string_view rule, std::string message, const State &state,
                           std::initializer_list<unsigned> regs = {}, std::string hint = {});

} // namespace bpfcheck::analyzer
