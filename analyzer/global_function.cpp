// Global functions as the kernel verifies them (btf_prepare_func_args, btf_check_subprog_call):
// alone, from arguments typed by their BTF prototype, returning an unknown scalar to callers.
// Also the exit checks of subprograms and the kernel's rule on stack pointers into callers.
#include "analyzer/assertions.h"
#include "analyzer/rule_ids.h"
#include "analyzer/subprogram.h"
#include "btf.h"

#include <linux/btf.h>

namespace bpfcheck::analyzer {
namespace {

constexpr unsigned kMaxArguments = 5; // MAX_BPF_FUNC_REG_ARGS

// One parameter: int/enum -> scalar; pointer to the program type's context struct -> ctx;
// pointer to a sized type -> memory of that size (maybe NULL).
std::optional<GlobalArgument> argument_of(const Btf &btf, std::uint32_t type, ProgramType prog) {
  std::uint32_t t = btf.strip_modifiers(type);
  std::uint32_t kind = btf.kind(t);
  if (kind == BTF_KIND_INT || kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64)
    return GlobalArgument{GlobalArgument::Kind::Scalar, 0};
  if (kind != BTF_KIND_PTR)
    return std::nullopt;
  const btf_type *ptr = btf.type(t);
  std::uint32_t target = btf.strip_modifiers(ptr->type);
  const platform::ContextLayout *ctx = platform::context_layout(prog);
  if (btf.kind(target) == BTF_KIND_STRUCT && ctx && btf.name(target) == ctx->struct_name)
    return GlobalArgument{GlobalArgument::Kind::Ctx, 0};
  auto size = btf.size_of(target);
  if (target == 0 || !size || *size == 0 || *size > UINT32_MAX)
    return std::nullopt;
  return GlobalArgument{GlobalArgument::Kind::Memory, static_cast<std::uint32_t>(*size)};
}

Diagnostic argument_failure(std::string_view rule, std::string message, const State &s,
                            unsigned reg) {
  return make_diagnostic(rule, std::move(message), s, {reg});
}

// A pointer argument: NULL, or `size` bytes the callee may read and write.
std::optional<Diagnostic> check_memory_argument(const State &s, unsigned r, std::uint32_t size,
                                                const AnalysisContext &c) {
  const RegValue &v = s.reg(r);
  std::string name = "r" + std::to_string(r);
  if (v.type == RegType::Scalar && v.num.is_singleton() && v.num.smin() == 0)
    return std::nullopt;
  std::int64_t lo = v.num.smin(), hi = v.num.smax() + size;
  auto bad = [&](std::string why) {
    return argument_failure(rule::kHelperArgument, name + " " + why, s, r);
  };
  switch (v.type) {
  case RegType::Stack: {
    if (lo < -Stack::kSize || hi > 0)
      return bad("does not point to " + std::to_string(size) + " bytes inside the stack frame");
    if (lo != v.num.smax())
      return argument_failure(rule::kUnsupportedFeature,
                              "not supported yet: variable-offset stack argument", s, r);
    for (std::int64_t off = lo; off < hi; ++off)
      if (s.stack_of(v).byte(static_cast<int>(off)) == Stack::Byte::Uninit)
        return bad("points to stack bytes that are not initialized (offset " + std::to_string(off) +
                   ")");
    return std::nullopt;
  }
  case RegType::MapValue:
  case RegType::Mem: {
    if (v.maybe_null)
      return argument_failure(rule::kNullDereference, name + " may be null: test it first", s, r);
    std::int64_t limit = v.type == RegType::Mem     ? v.region
                         : v.region < c.maps.size() ? c.maps[v.region].value_size
                                                    : 0;
    if (lo < 0 || hi > limit)
      return bad("does not point to " + std::to_string(size) + " bytes of its region");
    return std::nullopt;
  }
  case RegType::Ctx: // the prototype names another type: the kernel refuses the arguments
    return bad("is the context, but the function expects " + std::to_string(size) +
               " bytes of memory");
  default:
    return argument_failure(rule::kUnsupportedFeature,
                            "not supported yet: passing a " + std::string(type_name(v.type)) +
                                " pointer to a global function",
                            s, r);
  }
}

} // namespace

std::optional<GlobalPrototype> global_prototype(const Program &program,
                                                const Subprogram &subprogram) {
  const Btf *btf = program.btf.get();
  if (!btf || subprogram.btf_func == 0 || btf->kind(subprogram.btf_func) != BTF_KIND_FUNC)
    return std::nullopt;
  const btf_type *func = btf->type(subprogram.btf_func);
  if (BTF_INFO_VLEN(func->info) != BTF_FUNC_GLOBAL)
    return std::nullopt;
  GlobalPrototype p;
  const btf_type *proto = btf->type(func->type);
  std::string fn = "global function " + subprogram.name;
  if (!proto || btf->kind(func->type) != BTF_KIND_FUNC_PROTO) {
    p.unsupported = fn + " has no BTF prototype";
    return p;
  }
  std::uint32_t ret = btf->strip_modifiers(proto->type);
  if (btf->kind(ret) != BTF_KIND_INT && btf->kind(ret) != BTF_KIND_ENUM &&
      btf->kind(ret) != BTF_KIND_ENUM64)
    p.unsupported = fn + " does not return a scalar (the kernel requires one)";
  unsigned count = BTF_INFO_VLEN(proto->info);
  if (count > kMaxArguments)
    p.unsupported = fn + " has more than 5 arguments";
  const auto *params = reinterpret_cast<const btf_param *>(proto + 1);
  for (unsigned i = 0; i < count && i < kMaxArguments && p.unsupported.empty(); ++i) {
    auto arg = argument_of(*btf, params[i].type, program.type);
    if (!arg || !btf->decl_tags(subprogram.btf_func, static_cast<int>(i)).empty())
      p.unsupported =
          "argument " + std::to_string(i + 1) + " (" + btf->describe(params[i].type) + ") of " + fn;
    else
      p.arguments.push_back(*arg);
  }
  return p;
}

State CallEngine::global_entry(std::uint32_t function) const {
  State s = State::entry();
  s.set_reg(1, RegValue::uninit());
  const std::vector<GlobalArgument> &args = globals_[function]->arguments;
  for (unsigned i = 0; i < args.size(); ++i) {
    RegValue v = RegValue::scalar_top();
    if (args[i].kind == GlobalArgument::Kind::Ctx)
      v = RegValue::pointer(RegType::Ctx);
    if (args[i].kind == GlobalArgument::Kind::Memory) {
      v = RegValue::pointer(RegType::Mem, 0, args[i].size);
      v.maybe_null = true;
    }
    s.set_reg(i + 1, v);
  }
  return s;
}

std::optional<Diagnostic> CallEngine::check_call(const State &s, std::uint32_t index) const {
  std::uint32_t callee = callee_of_[index];
  if (s.is_bottom() || callee == UINT32_MAX || !globals_[callee])
    return std::nullopt;
  const GlobalPrototype &p = *globals_[callee];
  if (!p.unsupported.empty())
    return make_diagnostic(rule::kUnsupportedFeature, "not supported yet: " + p.unsupported, s);
  for (unsigned i = 0; i < p.arguments.size(); ++i) {
    unsigned r = i + 1;
    const RegValue &v = s.reg(r);
    if (v.type == RegType::Uninit)
      return make_diagnostic(rule::kUninitializedRegister,
                             "r" + std::to_string(r) + " is read before it is written", s, {r});
    switch (p.arguments[i].kind) {
    case GlobalArgument::Kind::Scalar:
      if (v.type != RegType::Scalar)
        return argument_failure(rule::kHelperArgument,
                                "r" + std::to_string(r) + " must be a number", s, r);
      break;
    case GlobalArgument::Kind::Ctx:
      if (v.type != RegType::Ctx || !v.num.is_singleton() || v.num.smin() != 0)
        return argument_failure(rule::kHelperArgument,
                                "r" + std::to_string(r) + " must be the unmoved context pointer", s,
                                r);
      break;
    case GlobalArgument::Kind::Memory:
      if (auto d = check_memory_argument(s, r, p.arguments[i].size, entry_context_))
        return d;
      break;
    }
  }
  return std::nullopt;
}

// The callee may write what its pointer arguments point to: stack bytes there become unknown.
void CallEngine::global_call_effect(State &s, std::uint32_t function) const {
  const std::vector<GlobalArgument> &args = globals_[function]->arguments;
  for (unsigned i = 0; i < args.size(); ++i) {
    const RegValue v = s.reg(i + 1);
    if (args[i].kind != GlobalArgument::Kind::Memory || v.type != RegType::Stack ||
        !v.num.is_singleton())
      continue;
    int first = static_cast<int>(v.num.smin());
    for (int slot = Stack::slot_of(first); slot <= Stack::slot_of(first + args[i].size - 1); ++slot)
      s.zone().forget(s.slot_var(v, slot));
    s.stack_of(v).write(first, static_cast<int>(args[i].size), RegValue::scalar_top());
  }
  for (unsigned r = 1; r <= 5; ++r)
    s.set_reg(r, RegValue::uninit());
  s.set_reg(0, RegValue::scalar_top());
}

std::optional<Diagnostic> check_subprogram_exit(const State &s, const AnalysisContext &c) {
  const RegValue &r0 = s.reg(0);
  if (c.role == AnalysisContext::Role::Global && r0.type != RegType::Scalar)
    return make_diagnostic(rule::kBadReturnValue,
                           "r0 at the exit of a global function must be a number", s, {0});
  if (r0.type == RegType::Stack)
    return make_diagnostic(rule::kBadReturnValue,
                           "a subprogram cannot return a pointer to the stack", s, {0});
  return std::nullopt;
}

std::optional<Diagnostic> check_stack_pointer_store(const NoStackPointerToCaller &store,
                                                    const State &s) {
  const RegValue &base = s.reg(store.base), &src = s.reg(store.src);
  if (base.type != RegType::Stack || src.type != RegType::Stack || base.region >= s.depth())
    return std::nullopt;
  return make_diagnostic(rule::kInvalidMemoryAccess,
                         "a pointer to the stack cannot be stored into a caller's frame", s,
                         {store.base, store.src});
}

} // namespace bpfcheck::analyzer
