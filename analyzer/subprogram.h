// bpf2bpf calls (DESIGN.md section 5): static subprograms run in their caller's context, one
// fixpoint per call string (the chain of call sites from a root, at most the kernel's 8 frames);
// global functions are verified once, alone, from their BTF prototype, as the kernel does.
#pragma once

#include "analyzer/context.h"
#include "analyzer/fixpoint.h"
#include "analyzer/state.h"
#include "cfg.h"
#include "sarif/report.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace bpfcheck::analyzer {

// One fixpoint of one function from one entry state.
struct FunctionRun {
  std::uint32_t function = 0; // ProgramCfg::functions index
  const AnalysisContext *context = nullptr;
  State entry;
  std::unique_ptr<Fixpoint> fixpoint;
  State exit; // the join of the states after its exits
};

// A diagnostic of the call graph alone, at an instruction index.
struct CallFinding {
  std::uint32_t instruction = 0;
  Diagnostic diagnostic;
};

// How a global function's argument is passed, from its BTF prototype.
struct GlobalArgument {
  enum class Kind : std::uint8_t { Scalar, Ctx, Memory } kind = Kind::Scalar;
  std::uint32_t size = 0; // Memory: bytes the callee may read and write (or NULL)
};
struct GlobalPrototype {
  std::vector<GlobalArgument> arguments;
  std::string unsupported; // non-empty: why the prototype cannot be modelled
};

class CallEngine {
public:
  CallEngine(const Program &program, const DecodedProgram &decoded, const ProgramCfg &cfg,
             const AnalysisContext &entry);

  // Recursion and call chains deeper than the kernel's 8 frames, found on the call graph (the
  // kernel's check_max_stack_depth walks it the same way, reachable or not).
  const std::vector<CallFinding> &findings() const { return findings_; }
  // Runs the entry function and every global function it can reach; static callees run on
  // demand, from the calls of those fixpoints.
  void run();
  std::vector<FunctionRun *> roots() const { return roots_; }
  // After run(): call chains whose frames exceed the kernel's combined 512 bytes of stack
  // (stack_depth.cpp).
  std::vector<CallFinding> stack_findings() const;
  // Functions reached through the call graph from the entry.
  const std::vector<bool> &reached() const { return reached_; }

  // The state after the bpf2bpf call at instruction `index` made by `caller` in state `s`:
  // bottom when it cannot return or cannot be analyzed. Returns the callee's run, if any.
  FunctionRun *call(State &s, std::uint32_t index, const FunctionRun &caller);
  // The failure of the call itself in state `s` (a global callee's arguments).
  std::optional<Diagnostic> check_call(const State &s, std::uint32_t index) const;

private:
  // The callers' entries at one call site of one run, joined (widened only after as many joins
  // as the fixpoint's exact iterations, so a loop analyzed round by round keeps its callee's
  // entries joined, not widened): a call inside a loop sees the loop's iterates, which converge
  // like the loop itself, and the callee runs again only when its entry grows. The final
  // invariant at the site is below the joined entry.
  struct Site {
    State entry;
    unsigned rounds = 0;
    FunctionRun *run = nullptr;
  };

  FunctionRun &run_from(std::uint32_t function, const State &entry, const AnalysisContext &c);
  void walk_call_graph(std::uint32_t function, std::vector<std::uint32_t> &path);
  State global_entry(std::uint32_t function) const;
  std::vector<std::int64_t> stack_depths() const; // per function, over all its runs
  void check_stack_chain(std::uint32_t function, std::int64_t below,
                         const std::vector<std::int64_t> &depths, std::vector<std::uint32_t> &path,
                         std::vector<CallFinding> &out) const;
  void global_call_effect(State &s, std::uint32_t function) const;

  const Program &program_;
  const DecodedProgram &decoded_;
  const ProgramCfg &cfg_;
  AnalysisContext entry_context_, static_context_, global_context_;
  std::vector<std::uint32_t> callee_of_; // per instruction: local call's callee, or kNone
  std::vector<bool> blocked_;            // per instruction: a call reported by findings()
  std::vector<std::optional<GlobalPrototype>> globals_; // per function: set when global
  std::vector<bool> reached_;
  std::vector<CallFinding> findings_;
  std::vector<std::unique_ptr<FunctionRun>> runs_;
  std::vector<FunctionRun *> roots_;
  std::map<std::pair<const FunctionRun *, std::uint32_t>, Site> sites_;
};

// The prototype of global function `subprogram`, or nullopt when it is not global by its BTF
// linkage (no BTF: every function is static).
std::optional<GlobalPrototype> global_prototype(const Program &program,
                                                const Subprogram &subprogram);

} // namespace bpfcheck::analyzer
