// bpf2bpf linking: static subprograms from .text appended once per program, transitively, with
// call offsets that decode to the right function; shared subprograms; several programs in one
// section; callbacks (BPF_PSEUDO_FUNC); sections without FUNC symbols (old objects).
#include "fixture_util.h"

#include <algorithm>

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

constexpr std::uint8_t kCall = 0x85, kLdImm64 = 0x18;

std::vector<std::string> subprogram_names(const Program &program) {
  std::vector<std::string> names;
  for (const Subprogram &sub : program.subprograms)
    names.push_back(sub.name);
  return names;
}

std::vector<std::string> call_targets(const Program &program) {
  std::vector<std::string> out;
  for (std::size_t pc : find_insns(program, kCall, 1))
    out.push_back(call_target(program, pc));
  return out;
}

void check_subprogs_object(const ObjectFile &object) {
  REQUIRE(object.programs.size() == 3);
  CHECK(object.diagnostics.empty());
  const Program &first = program(object, "xdp_first");
  const Program &second = program(object, "xdp_second");
  const Program &tc = program(object, "tc_prog");
  // Two programs from one section, each with its own copy of what it calls.
  CHECK(first.section == "xdp");
  CHECK(second.section == "xdp");
  CHECK(first.type == ProgramType::Xdp);
  CHECK(tc.type == ProgramType::SchedCls);
  // Depth-first append order, as libbpf: twice_plus_one first, then add_one (its callee).
  CHECK(subprogram_names(first) ==
        std::vector<std::string>{"xdp_first", "twice_plus_one", "add_one"});
  CHECK(subprogram_names(second) == std::vector<std::string>{"xdp_second", "add_one"});
  CHECK(subprogram_names(tc) ==
        std::vector<std::string>{"tc_prog", "global_helper", "twice_plus_one", "add_one"});
  // Every call decodes to the start of the function the source calls.
  auto first_calls = call_targets(first);
  std::sort(first_calls.begin(), first_calls.end());
  CHECK(first_calls == std::vector<std::string>{"add_one", "add_one", "twice_plus_one"});
  CHECK(call_targets(second) == std::vector<std::string>{"add_one"});
  auto tc_calls = call_targets(tc);
  std::sort(tc_calls.begin(), tc_calls.end());
  CHECK(tc_calls == std::vector<std::string>{"add_one", "global_helper", "twice_plus_one"});
  // The call inside twice_plus_one (an appended copy) also points at add_one.
  for (const Program *p : {&first, &tc}) {
    const auto twice = std::find_if(p->subprograms.begin(), p->subprograms.end(),
                                    [](const Subprogram &s) { return s.name == "twice_plus_one"; });
    REQUIRE(twice != p->subprograms.end());
    bool found = false;
    for (std::size_t pc : find_insns(*p, kCall, 1))
      if (pc >= twice->start && pc < twice->start + 6)
        found = found || call_target(*p, pc) == "add_one";
    CHECK(found);
  }
  // Global functions are marked for prototype-based verification.
  CHECK(tc.subprograms[1].global);
  CHECK_FALSE(tc.subprograms[2].global);
  for (const Program *p : {&first, &second, &tc}) {
    CHECK(p->subprograms[0].start == 0);
    CHECK(p->subprograms[0].global);
  }
}

} // namespace

TEST_CASE("clang: static subprograms are linked into each program that calls them") {
  const ObjectFile object = load_ok(fixture("clang", "subprogs"));
  check_subprogs_object(object);
  // func_info ids reach every placed function.
  for (const Program &p : object.programs)
    for (const Subprogram &sub : p.subprograms)
      CHECK(sub.btf_func != 0);
  CHECK(program(object, "xdp_first").instructions.size() == 19);
  CHECK(program(object, "xdp_second").instructions.size() == 10);
  CHECK(program(object, "tc_prog").instructions.size() == 18);
}

#ifdef HAVE_BPF_GCC
TEST_CASE("bpf-gcc: section-symbol call relocations and unrelocated calls link the same way") {
  check_subprogs_object(load_ok(fixture("gcc", "subprogs")));
  check_subprogs_object(load_ok(fixture("gcc-btf", "subprogs")));
}
#endif

TEST_CASE("callbacks: ld_imm64 of a function address becomes BPF_PSEUDO_FUNC to a subprogram") {
  std::vector<std::string> compilers{"clang"};
#ifdef HAVE_BPF_GCC
  compilers.push_back("gcc");
#endif
  for (const std::string &compiler : compilers) {
    CAPTURE(compiler);
    const ObjectFile object = load_ok(fixture(compiler, "callbacks"));
    const Program &p = program(object, "with_loop");
    CHECK(p.type == ProgramType::Tracepoint);
    CHECK(p.attach_target == "syscalls/sys_enter_write");
    CHECK(subprogram_names(p) == std::vector<std::string>{"with_loop", "loop_body"});
    const auto loads = find_insns(p, kLdImm64, 4);
    REQUIRE(loads.size() == 1);
    CHECK(call_target(p, loads[0]) == "loop_body");
    CHECK(p.instructions[loads[0] + 1].imm == 0);
  }
}

TEST_CASE("a code section without FUNC symbols is one program named after the section") {
  ElfPatcher elf(read_bytes(fixture("clang", "subprogs")));
  const auto symtab = elf.section(".symtab");
  REQUIRE(symtab.has_value());
  // Turn tc_prog's FUNC symbol into NOTYPE, as in objects from old compilers.
  int patched = 0;
  for (std::uint64_t at = symtab->offset; at + 24 <= symtab->offset + symtab->size; at += 24) {
    const auto info = elf.read<std::uint8_t>(at + 4);
    const auto shndx = elf.read<std::uint16_t>(at + 6);
    const auto tc = elf.section("tc");
    if ((info & 0xf) == 2 && (info >> 4) == 1 && tc &&
        elf.read<std::uint64_t>(at + 16) == tc->size && shndx != 0 &&
        elf.read<std::uint64_t>(at + 8) == 0) {
      // Only the one global function whose size is the whole tc section.
      elf.write<std::uint8_t>(at + 4, static_cast<std::uint8_t>(info & 0xf0));
      ++patched;
    }
  }
  REQUIRE(patched >= 1);
  auto loaded = load_object(elf.bytes(), "patched.o");
  REQUIRE(loaded.ok());
  const Program *tc = find_program(*loaded, "tc");
  REQUIRE(tc != nullptr);
  CHECK(tc->section == "tc");
  CHECK(tc->type == ProgramType::SchedCls);
  CHECK(tc->subprograms.size() == 4);
  CHECK(tc->instructions.size() == 18);
  CHECK(find_program(*loaded, "xdp_first") != nullptr);
}
