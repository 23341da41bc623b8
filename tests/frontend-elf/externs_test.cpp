// Extern kfuncs (called: BPF_PSEUDO_KFUNC_CALL, imm = extern index) and ksyms (ld_imm64:
// BPF_PSEUDO_BTF_ID) with their BTF ids; .kconfig externs read from the .kconfig map.
#include "btf.h"
#include "fixture_util.h"

#include <linux/btf.h>

using namespace bpfcheck;
using namespace bpfcheck::test;

TEST_CASE("clang: kfuncs, ksyms and kconfig externs") {
  const ObjectFile object = load_ok(fixture("clang", "externs"));
  CHECK(object.diagnostics.empty());
  const Program &p = program(object, "use_externs");
  CHECK(p.type == ProgramType::Tracing);
  CHECK(p.expected_attach_type == 23u); // BPF_TRACE_RAW_TP
  CHECK(p.attach_target == "sys_enter");
  REQUIRE(p.btf != nullptr);
  REQUIRE(p.externs.size() == 3);

  const auto calls = find_insns(p, 0x85, 2);
  REQUIRE(calls.size() == 2);
  std::vector<std::string> called;
  for (std::size_t pc : calls) {
    const ExternSymbol &ext = p.externs.at(static_cast<std::size_t>(p.instructions[pc].imm));
    CHECK(ext.kind == ExternSymbol::Kind::Kfunc);
    REQUIRE(ext.btf_type != 0);
    CHECK(p.btf->kind(ext.btf_type) == BTF_KIND_FUNC);
    CHECK(p.btf->name(ext.btf_type) == ext.name);
    called.push_back(ext.name);
  }
  CHECK(called == std::vector<std::string>{"bpf_rcu_read_lock", "bpf_rcu_read_unlock"});

  const auto ksyms = find_insns(p, 0x18, 3);
  REQUIRE(ksyms.size() == 1);
  const ExternSymbol &ksym = p.externs.at(static_cast<std::size_t>(p.instructions[ksyms[0]].imm));
  CHECK(ksym.name == "bpf_prog_active");
  CHECK(ksym.kind == ExternSymbol::Kind::Ksym);
  CHECK(ksym.btf_type != 0);
  CHECK(p.btf->kind(ksym.btf_type) == BTF_KIND_VAR);

  // LINUX_KERNEL_VERSION lives in the .kconfig map libbpf builds.
  const auto kconfig = map_index(object, ".kconfig");
  REQUIRE(kconfig.has_value());
  CHECK(object.maps[*kconfig].origin == MapOrigin::Kconfig);
  CHECK(object.maps[*kconfig].value_size == 4);
  const auto loads = find_insns(p, 0x18, 2);
  REQUIRE(loads.size() == 1);
  CHECK(p.instructions[loads[0]].imm == static_cast<std::int32_t>(*kconfig));
  CHECK(p.instructions[loads[0] + 1].imm == 0);
}

#ifdef HAVE_BPF_GCC
TEST_CASE("bpf-gcc: extern calls and loads without BTF still become externs") {
  const ObjectFile object = load_ok(fixture("gcc", "externs"));
  const Program &p = program(object, "use_externs");
  CHECK(find_insns(p, 0x85, 2).size() == 2);
  for (const ExternSymbol &ext : p.externs)
    CHECK(ext.btf_type == 0); // no BTF to find prototypes in
  bool has_lock = false;
  for (const ExternSymbol &ext : p.externs)
    has_lock =
        has_lock || (ext.name == "bpf_rcu_read_lock" && ext.kind == ExternSymbol::Kind::Kfunc);
  CHECK(has_lock);
}
#endif
