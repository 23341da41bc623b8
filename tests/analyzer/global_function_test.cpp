// Global functions: verified once, alone, from their BTF prototype (built here in memory), and
// called with arguments checked against it; callers get an unknown number back.
#include "asm.h"

#include "analyzer/state.h"
#include "btf.h"

#include <linux/btf.h>

#include <cstring>

using namespace bpfcheck;
using namespace bpfcheck::test;
using analyzer::RegType;

namespace {

RawInstruction call_local(std::int32_t rel) { return raw(0x85, 0, 1, 0, rel); }

// A raw .BTF blob, type by type (ids from 1), with its string section.
class BtfBuilder {
public:
  std::uint32_t add_int(const char *name) {
    return add(name, BTF_KIND_INT, 0, 4, {(1u << 24) | 32}); // signed, 32 bits
  }
  std::uint32_t add_ptr(std::uint32_t to) { return add(nullptr, BTF_KIND_PTR, 0, to, {}); }
  std::uint32_t add_struct(const char *name, std::uint32_t size) {
    return add(name, BTF_KIND_STRUCT, 0, size, {});
  }
  // A FUNC_PROTO returning `ret` (0: void) with unnamed parameters, then its global FUNC.
  std::uint32_t add_global_func(const char *name, std::uint32_t ret,
                                std::vector<std::uint32_t> params) {
    std::vector<std::uint32_t> extra;
    for (std::uint32_t p : params)
      extra.insert(extra.end(), {0, p});
    std::uint32_t proto =
        add(nullptr, BTF_KIND_FUNC_PROTO, static_cast<std::uint32_t>(params.size()), ret, extra);
    return add(name, BTF_KIND_FUNC, BTF_FUNC_GLOBAL, proto, {});
  }
  std::shared_ptr<const Btf> build() const {
    btf_header h{};
    h.magic = BTF_MAGIC;
    h.version = BTF_VERSION;
    h.hdr_len = sizeof(h);
    h.type_len = static_cast<std::uint32_t>(types_.size() * 4);
    h.str_off = h.type_len;
    h.str_len = static_cast<std::uint32_t>(strings_.size());
    std::vector<std::uint8_t> bytes(sizeof(h) + h.type_len + h.str_len);
    std::memcpy(bytes.data(), &h, sizeof(h));
    std::memcpy(bytes.data() + sizeof(h), types_.data(), h.type_len);
    std::memcpy(bytes.data() + sizeof(h) + h.type_len, strings_.data(), h.str_len);
    auto btf = Btf::parse(bytes);
    REQUIRE_MESSAGE(btf.ok(), (btf.ok() ? std::string() : btf.error()));
    return btf.value();
  }

private:
  std::uint32_t add(const char *name, std::uint32_t kind, std::uint32_t vlen,
                    std::uint32_t size_or_type, std::vector<std::uint32_t> extra) {
    std::uint32_t name_off = 0;
    if (name) {
      name_off = static_cast<std::uint32_t>(strings_.size());
      strings_.insert(strings_.end(), name, name + std::strlen(name) + 1);
    }
    types_.insert(types_.end(), {name_off, (kind << 24) | vlen, size_or_type});
    types_.insert(types_.end(), extra.begin(), extra.end());
    return ++count_;
  }
  std::vector<std::uint32_t> types_;
  std::vector<char> strings_{'\0'};
  std::uint32_t count_ = 0;
};

// A tc program whose entry is slots [0, start) and whose global function `g` starts at `start`.
Run run_global(Slots slots, std::uint32_t start, const BtfBuilder &btf, std::uint32_t func) {
  Program p;
  p.name = "entry";
  p.type = ProgramType::SchedCls;
  p.license = "GPL";
  p.instructions = std::move(slots);
  p.btf = btf.build();
  p.subprograms = {{"entry", 0, 0, true}, {"g", start, func, true}};
  auto r = analyzer::analyze(p, {.keep_invariants = true});
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error()));
  return Run{std::move(r.value())};
}

} // namespace

TEST_CASE("a global function is verified alone and returns an unknown number") {
  BtfBuilder btf;
  std::uint32_t i32 = btf.add_int("int");
  std::uint32_t g = btf.add_global_func("g", i32, {i32});
  // 0: r1 = 5; call g; exit.   g (3): r0 = r1; r0 *= 3; exit.
  Run r = run_global({mov64_imm(1, 5), call_local(1), exit_insn(), mov64_reg(0, 1),
                      alu64_imm(kMul, 0, 3), exit_insn()},
                     3, btf, g);
  CHECK(r.rules() == Rules{});
  CHECK(r.at(3).reg(1).type == RegType::Scalar);
  CHECK_FALSE(r.at(3).reg(1).num.is_singleton()); // not the caller's 5
  CHECK(r.at(3).reg(10).region == 0);             // its own entry frame
  CHECK(r.at(2).reg(0).type == RegType::Scalar);
  CHECK_FALSE(r.at(2).reg(0).num.is_singleton());
  CHECK(r.at(2).reg(1).type == RegType::Uninit);
  // A number is expected: passing the context is refused at the call.
  Run bad = run_global({call_local(1), exit_insn(), mov64_imm(0, 0), exit_insn()}, 2, btf, g);
  CHECK(bad.rules() == Rules{"helper-argument@0"});
}

TEST_CASE("a global function's pointer argument may be NULL; callers pass initialized memory") {
  BtfBuilder btf;
  std::uint32_t i32 = btf.add_int("int");
  std::uint32_t g = btf.add_global_func("g", i32, {btf.add_ptr(i32)});
  // g (6): r0 = *(u32 *)(r1 + 0); exit: no NULL test.
  Slots entry = {st_imm(4, 10, -4, 7), mov64_reg(1, 10), alu64_imm(kAdd, 1, -4),
                 call_local(2),        mov64_imm(0, 0),  exit_insn()};
  Run nocheck = run_global(
      entry + std::initializer_list<RawInstruction>{ldx(4, 0, 1, 0), exit_insn()}, 6, btf, g);
  CHECK(nocheck.rules() == Rules{"null-dereference@6"});
  // g (6): if r1 == 0 goto +2; r0 = *(u32 *)(r1 + 0); exit; r0 = 0; exit.
  Slots checked = {jmp_imm(kJeq, 1, 0, 2), ldx(4, 0, 1, 0), exit_insn(), mov64_imm(0, 0),
                   exit_insn()};
  Slots ok = entry;
  ok.insert(ok.end(), checked.begin(), checked.end());
  CHECK(run_global(ok, 6, btf, g).rules() == Rules{});
  // The caller's bytes must be initialized (no store at fp - 4).
  Slots uninit = ok;
  uninit[0] = mov64_imm(0, 0);
  CHECK(run_global(uninit, 6, btf, g).rules() == Rules{"helper-argument@3"});
}

TEST_CASE("a global function's context argument, and prototypes that are not modelled") {
  BtfBuilder btf;
  std::uint32_t i32 = btf.add_int("int");
  std::uint32_t skb = btf.add_ptr(btf.add_struct("__sk_buff", 192));
  std::uint32_t g = btf.add_global_func("g", i32, {skb});
  std::uint32_t v = btf.add_global_func("v", 0, {i32});
  // g (2): r0 = *(u32 *)(r1 + 0); exit: a context read.
  Slots prog = {call_local(1), exit_insn(), ldx(4, 0, 1, 0), exit_insn()};
  Run r = run_global(prog, 2, btf, g);
  CHECK(r.rules() == Rules{});
  CHECK(r.at(2).reg(1).type == RegType::Ctx);
  prog.insert(prog.begin(), mov64_reg(1, 10));
  CHECK(run_global(prog, 3, btf, g).rules() == Rules{"helper-argument@1"});
  // A global function returning void is refused by the kernel: never accepted here.
  Run vd = run_global({mov64_imm(1, 0), call_local(1), exit_insn(), exit_insn()}, 3, btf, v);
  CHECK(vd.rules() == Rules{"unsupported-feature@1"});
}

TEST_CASE("a global function's struct pointer argument is sized memory, not the context") {
  BtfBuilder btf;
  std::uint32_t i32 = btf.add_int("int");
  std::uint32_t g = btf.add_global_func("g", i32, {btf.add_ptr(btf.add_struct("pair", 8))});
  // 0: call g with r1 = ctx; exit.   g (2): if r1 == 0 goto +2; r0 = *(u32 *)(r1 + 8); exit; ...
  Run r = run_global({call_local(1), exit_insn(), jmp_imm(kJeq, 1, 0, 2), ldx(4, 0, 1, 8),
                      exit_insn(), mov64_imm(0, 0), exit_insn()},
                     2, btf, g);
  CHECK(r.rules() == Rules{"helper-argument@0 memory-out-of-bounds@3"});
  CHECK(r.at(2).reg(1).region == 8);
}
