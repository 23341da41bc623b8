// The linker against libbpf itself: for every clang fixture object (and the corpus objects when
// they are built), libbpf opens the object and relocates it in gen_loader mode (no kernel
// needed); program names, entry sizes, linked instruction counts and every bpf2bpf call and
// callback offset must equal ours.
#include "fixture_util.h"

#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <algorithm>
#include <filesystem>
#include <map>

using namespace bpfcheck;
using namespace bpfcheck::test;

namespace {

struct LibbpfProgram {
  std::size_t open_count = 0;                  // entry function only, after bpf_object__open
  std::optional<std::vector<bpf_insn>> linked; // after relocation, when libbpf could do it
};

struct Silence {
  Silence() { previous = libbpf_set_print(nullptr); }
  ~Silence() { libbpf_set_print(previous); }
  libbpf_print_fn_t previous;
};

std::optional<std::map<std::string, LibbpfProgram>> libbpf_view(const std::string &path) {
  Silence silence;
  std::map<std::string, LibbpfProgram> out;
  bpf_object *opened = bpf_object__open_file(path.c_str(), nullptr);
  if (opened == nullptr)
    return std::nullopt; // e.g. legacy `maps` sections, which libbpf 1.x rejects
  bpf_program *program = nullptr;
  bpf_object__for_each_program(program, opened) {
    out[bpf_program__name(program)].open_count = bpf_program__insn_cnt(program);
  }
  bpf_object__close(opened);

  bpf_object *linked = bpf_object__open_file(path.c_str(), nullptr);
  gen_loader_opts options{};
  options.sz = sizeof(options);
  if (linked != nullptr && bpf_object__gen_loader(linked, &options) == 0 &&
      bpf_object__load(linked) == 0) {
    bpf_object__for_each_program(program, linked) {
      const bpf_insn *insns = bpf_program__insns(program);
      out[bpf_program__name(program)].linked =
          std::vector<bpf_insn>(insns, insns + bpf_program__insn_cnt(program));
    }
  }
  if (linked != nullptr)
    bpf_object__close(linked);
  return out;
}

std::vector<std::string> objects_to_compare() {
  std::vector<std::string> out;
  auto add_tree = [&](const std::filesystem::path &dir) {
    if (!std::filesystem::exists(dir))
      return;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(dir))
      if (entry.path().extension() == ".o" &&
          entry.path().string().find("/gcc") == std::string::npos)
        out.push_back(entry.path().string());
  };
  add_tree(std::filesystem::path(FIXTURE_DIR) / "clang");
  add_tree(std::filesystem::path(FIXTURE_DIR).parent_path() / "corpus");
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t entry_size(const Program &program) {
  return program.subprograms.size() > 1 ? program.subprograms[1].start
                                        : program.instructions.size();
}

void compare_linked(const Program &ours, const std::vector<bpf_insn> &theirs) {
  REQUIRE(ours.instructions.size() == theirs.size());
  for (std::size_t pc = 0; pc < theirs.size(); ++pc) {
    const RawInstruction &insn = ours.instructions[pc];
    CAPTURE(pc);
    CHECK(insn.opcode == theirs[pc].code);
    const bool call = insn.opcode == 0x85 && insn.src == 1;
    const bool callback = insn.opcode == 0x18 && insn.src == 4;
    if (call || callback) {
      CHECK(theirs[pc].src_reg == insn.src);
      CHECK(theirs[pc].imm == insn.imm);
    }
  }
}

} // namespace

TEST_CASE("instruction counts and call offsets agree with libbpf") {
  int linked_compared = 0, programs_compared = 0;
  std::vector<std::string> skipped;
  for (const std::string &path : objects_to_compare()) {
    CAPTURE(path);
    const auto theirs = libbpf_view(path);
    if (!theirs) {
      skipped.push_back(std::filesystem::path(path).filename().string() + " (libbpf can not open)");
      continue;
    }
    const ObjectFile ours = load_ok(path);
    std::map<std::string, const Program *> by_name;
    for (const Program &p : ours.programs)
      by_name[p.name] = &p;
    CHECK(by_name.size() == theirs->size());
    for (const auto &[name, view] : *theirs) {
      CAPTURE(name);
      REQUIRE(by_name.count(name) == 1);
      const Program &p = *by_name[name];
      CHECK(entry_size(p) == view.open_count);
      ++programs_compared;
      if (view.linked) {
        compare_linked(p, *view.linked);
        ++linked_compared;
      }
    }
    if (!theirs->empty() && !theirs->begin()->second.linked)
      skipped.push_back(std::filesystem::path(path).filename().string() +
                        " (libbpf could not relocate: entry sizes compared only)");
  }
  for (const std::string &note : skipped)
    MESSAGE("libbpf comparison: " << note);
  MESSAGE("libbpf comparison: " << programs_compared << " programs, " << linked_compared
                                << " fully linked");
  CHECK(linked_compared >= 6);
}
