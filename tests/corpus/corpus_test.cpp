// corpus_test.cpp: the corpus's own checks (expectation tags well formed, line info present,
// size and safe/unsafe mix) and its agreement with the running kernel's verifier: every
// program's expected verdict, kernel message and blamed source line, for clang and bpf-gcc.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include "corpus_expectations.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace {

const std::string kCorpusDir = BPFCHECK_CORPUS_DIR;
const std::string kLoader = BPFCHECK_KERNEL_VERDICT;

std::string object_path(const std::string &compiler, const std::string &name) {
  return kCorpusDir + "/" + compiler + "/" + name + ".o";
}

corpus::Manifest manifest() {
  const auto m = corpus::read_manifest(kCorpusDir + "/manifest.txt");
  REQUIRE_MESSAGE(m.has_value(), "no corpus manifest in " << kCorpusDir);
  return *m;
}

// Programs whose bpf-gcc build the kernel judges differently from the clang build of the same
// source: facts about gcc 12's code generation, each with the reason. The test fails if one of
// them starts to agree (the list is stale) or a new difference appears.
struct GccDifference {
  const char *object;
  const char *program;
  const char *kernel_verdict; // what the kernel says about the gcc build
  const char *reason;
};
const char *const kGccGlobalReloc =
    "gcc 12 puts const volatile data in .data and relocates a global variable with its own "
    "symbol plus its offset in the instruction's imm; libbpf adds the offset twice and the "
    "kernel refuses the load ('invalid access to map value pointer') before verification";
const char *const kGccBranchlessNull =
    "gcc compiles 'lookup(...) ? A : B' without a branch, as ((-p | p) >> 63) << k on the "
    "returned pointer; the kernel forbids arithmetic on map_value_or_null ('pointer arithmetic "
    "on map_value_or_null prohibited'); clang tests the pointer against NULL";
const std::vector<GccDifference> kGccDifferences = {
    {"cgroup_sysctl_dev", "sysctl_tcp_readonly", "rejected",
     "gcc unrolls the prefix-compare loop by 8 and ends it on a comparison of two stack "
     "pointers; the verifier does not decide that comparison, follows one more round and reads "
     "past the 28-byte .rodata string ('min value is outside of the allowed memory range'); "
     "clang's loop ends on a counter and is accepted"},
    {"lwt_route_policy", "lwt_in_quarantine", "rejected", kGccBranchlessNull},
    {"tc_cilium_datapath", "tc_from_container", "rejected", kGccBranchlessNull},
    {"tc_classifier", "tc_flow_bytes_padding", "accepted",
     "gcc stores the two ports as one 32-bit word at fp-8; the kernel tracks that as a 32-bit "
     "spill and then counts the whole 8-byte slot as initialized, so the 3 padding bytes (never "
     "written) pass; clang's stores leave them STACK_INVALID and the kernel rejects"},
    {"tc_http_match", "tc_http_path", "rejected",
     "gcc folds the 'copy == 0' test into a comparison of other registers, so the size passed "
     "to bpf_skb_load_bytes stays [0,63]: rejected earlier than intended, with 'invalid "
     "zero-sized read'"},
    {"sockmap_proxy", "sockops_tcp_tune", "rejected", kGccGlobalReloc},
    {"sockmap_proxy", "sockops_tune_cc_overread", "rejected", kGccGlobalReloc},
    {"tp_syscalls", "tp_sys_enter_count", "rejected", kGccGlobalReloc},
    {"tp_syscalls", "tp_sys_enter_pidlist", "rejected", kGccGlobalReloc},
    {"tp_syscalls", "tp_sys_enter_pidlist_unbounded", "rejected", kGccGlobalReloc},
};

const GccDifference *gcc_difference(const std::string &object, const std::string &program) {
  for (const auto &d : kGccDifferences)
    if (object == d.object && program == d.program)
      return &d;
  return nullptr;
}

bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

std::map<std::string, corpus::KernelVerdict>
ask_kernel(const std::string &object, const std::map<std::string, corpus::Expectation> &expect) {
  std::string error;
  auto verdicts = corpus::kernel_verdicts(kLoader, object, expect, error);
  CHECK_MESSAGE(error.empty(), error);
  return verdicts;
}

// Compares one program's kernel verdict with its expectation; true when they agree.
bool check_agreement(const std::string &object, const corpus::Expectation &e,
                     const corpus::KernelVerdict &k, bool check_line) {
  INFO(object << " program " << e.program << ": kernel says " << k.verdict << " '" << k.message
              << "' at '" << k.line << "'");
  const bool verdict = k.verdict == (e.reject ? "rejected" : "accepted");
  CHECK_MESSAGE(verdict, "expected " << (e.reject ? "rejected" : "accepted"));
  if (!e.reject || !verdict)
    return verdict;
  const bool message = contains(k.message, e.kernel_msg);
  CHECK_MESSAGE(message, "expected message: " << e.kernel_msg);
  const bool line = !check_line || contains(k.line, e.line);
  CHECK_MESSAGE(line, "expected source line: " << e.line);
  return message && line;
}

} // namespace

TEST_CASE("corpus: at least 80 programs, about two thirds of them safe") {
  const auto m = manifest();
  size_t safe = 0, unsafe = 0;
  for (const auto &name : m.clang) {
    const auto info = corpus::read_object(object_path("clang", name));
    REQUIRE_MESSAGE(info.error.empty(), info.error);
    for (const auto &[program, e] : info.expectations)
      (e.reject ? unsafe : safe) += 1;
  }
  MESSAGE("corpus: " << safe + unsafe << " programs, " << safe << " safe, " << unsafe
                     << " unsafe, in " << m.clang.size() << " objects");
  CHECK(safe + unsafe >= 80);
  CHECK(safe * 10 >= (safe + unsafe) * 55 / 10);   // at least 55 % safe
  CHECK(unsafe * 10 >= (safe + unsafe) * 25 / 10); // at least 25 % unsafe
  for (const auto &name : m.gcc_excluded)
    MESSAGE("not built with bpf-gcc (see corpus/README.md): " << name);
}

TEST_CASE("corpus: every program carries a well-formed expectation") {
  for (const auto &name : manifest().clang) {
    const auto path = object_path("clang", name);
    const auto info = corpus::read_object(path);
    INFO(path);
    REQUIRE_MESSAGE(info.error.empty(), info.error);
    REQUIRE(info.has_btf);
    CHECK(!info.programs.empty());
    for (const auto &program : info.programs) {
      INFO("program " << program.name << " in section " << program.section);
      const auto found = info.expectations.find(program.name);
      REQUIRE_MESSAGE(found != info.expectations.end(), "no expect:* tags");
      const auto &e = found->second;
      CHECK_MESSAGE(e.accept != e.reject, "needs exactly one of expect:accept, expect:reject");
      CHECK_MESSAGE(e.unknown_tags.empty(), "unknown tag " << e.unknown_tags.front());
      if (!e.reject)
        continue;
      CHECK_MESSAGE(corpus::known_rules().count(e.rule) == 1, "unknown rule '" << e.rule << "'");
      CHECK(!e.kernel_msg.empty());
      REQUIRE(!e.line.empty());
      // The snippet must name a line of this program's section, or it can never match.
      const auto &lines = info.btf_lines.at(program.section);
      CHECK_MESSAGE(std::any_of(lines.begin(), lines.end(),
                                [&](const std::string &l) { return contains(l, e.line); }),
                    "no source line of section " << program.section << " contains '" << e.line
                                                 << "'");
    }
    for (const auto &[function, e] : info.expectations)
      CHECK_MESSAGE(std::any_of(info.programs.begin(), info.programs.end(),
                                [&](const auto &p) { return p.name == function; }),
                    "expectation on " << function << ", which is not a program");
  }
}

TEST_CASE("corpus: every object has line info") {
  const auto m = manifest();
  for (const auto &name : m.clang) {
    const auto path = object_path("clang", name);
    const auto info = corpus::read_object(path);
    INFO(path);
    for (const auto &program : info.programs) {
      INFO("section " << program.section);
      const auto lines = info.btf_lines.find(program.section);
      CHECK((lines != info.btf_lines.end() && !lines->second.empty()));
    }
  }
  // bpf-gcc 12 writes no BTF line_info; its line table is DWARF .debug_line (-g).
  for (const auto &name : m.gcc) {
    const auto path = object_path("gcc", name);
    const auto info = corpus::read_object(path);
    INFO(path);
    REQUIRE_MESSAGE(info.error.empty(), info.error);
    CHECK(info.debug_line_bytes > 0);
  }
}

TEST_CASE("corpus: the clang build agrees with the running kernel") {
  if (const auto why = corpus::kernel_unavailable(kLoader)) {
    MESSAGE("skipped: " << *why);
    return;
  }
  size_t agreed = 0, total = 0;
  for (const auto &name : manifest().clang) {
    const auto path = object_path("clang", name);
    const auto info = corpus::read_object(path);
    const auto verdicts = ask_kernel(path, info.expectations);
    for (const auto &[program, e] : info.expectations) {
      ++total;
      const auto k = verdicts.find(program);
      REQUIRE_MESSAGE(k != verdicts.end(), path << ": the oracle did not report " << program);
      agreed += check_agreement(path, e, k->second, true) ? 1 : 0;
    }
  }
  MESSAGE("clang corpus: kernel agreement " << agreed << "/" << total);
}

TEST_CASE("corpus: the bpf-gcc build agrees with the running kernel") {
  if (const auto why = corpus::kernel_unavailable(kLoader)) {
    MESSAGE("skipped: " << *why);
    return;
  }
  const auto m = manifest();
  if (m.gcc.empty()) {
    MESSAGE("skipped: bpf-gcc was not found at configure time");
    return;
  }
  MESSAGE("bpf-gcc 12 emits no BTF line_info or decl tags: expectations come from the clang "
          "object of the same source, and source lines of rejections are not compared");
  size_t agreed = 0, total = 0, known = 0;
  for (const auto &name : m.gcc) {
    const auto path = object_path("gcc", name);
    const auto expectations = corpus::read_object(object_path("clang", name)).expectations;
    const auto programs = corpus::read_object(path).programs;
    CHECK_MESSAGE(programs.size() == expectations.size(),
                  path << ": gcc and clang objects differ in their programs");
    const auto verdicts = ask_kernel(path, expectations);
    for (const auto &[program, e] : expectations) {
      ++total;
      const auto k = verdicts.find(program);
      REQUIRE_MESSAGE(k != verdicts.end(), path << ": the oracle did not report " << program);
      if (const auto *d = gcc_difference(name, program)) {
        ++known;
        MESSAGE("known gcc difference: " << name << "/" << program << " is "
                                         << std::string(d->kernel_verdict)
                                         << " with gcc: " << std::string(d->reason));
        CHECK_MESSAGE(k->second.verdict == d->kernel_verdict,
                      "stale entry in kGccDifferences: kernel now says " << k->second.verdict);
        continue;
      }
      agreed += check_agreement(path, e, k->second, false) ? 1 : 0;
    }
  }
  MESSAGE("bpf-gcc corpus: kernel agreement " << agreed << "/" << total - known << " (" << known
                                              << " known gcc differences)");
}
