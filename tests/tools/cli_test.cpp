// The bpfcheck command line as a user runs it: exit codes, one-line errors on bad input, and
// --list checked against libbpf's own reading of every corpus object.
#include "test_support.h"

#include <bpf/libbpf.h>
#include <doctest/doctest.h>
#include <map>
#include <sstream>

namespace bpfcheck::test {

const std::string kBpfcheck = BPFCHECK_BIN;
const std::string kCorpus = CORPUS_DIR;

namespace {

std::string temp_path(const std::string &name) {
  auto directory = std::filesystem::temp_directory_path() / "bpfcheck-tools-tests";
  std::filesystem::create_directories(directory);
  return (directory / name).string();
}

std::vector<std::string> clang_objects() { return files_below(kCorpus + "/clang", ".o"); }

// --list rows keyed by "section/name": the TYPE and INSNS columns.
struct ListedProgram {
  std::string type;
  std::size_t instructions = 0;
};

std::map<std::string, ListedProgram> parse_listing(const std::string &output) {
  std::map<std::string, ListedProgram> programs;
  for (const std::string &line : lines_of(output)) {
    std::istringstream fields(line);
    std::string file, section, name, type, insns;
    if (!(fields >> file >> section >> name >> type >> insns) || file == "FILE")
      continue;
    if (line.rfind("bpfcheck:", 0) == 0)
      continue;
    programs[section + "/" + name] = {type, std::stoul(insns)};
  }
  return programs;
}

} // namespace

TEST_CASE("a missing input is one error line and exit code 2") {
  CommandResult result = run_command(kBpfcheck + " /nonexistent/prog.o");
  CHECK(result.exit_code == 2);
  CHECK(lines_of(result.output).size() == 1);
  CHECK(result.output.find("/nonexistent/prog.o") != std::string::npos);
}

TEST_CASE("files that are not BPF objects are one error line naming the file, exit code 2") {
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> inputs = {
      {"empty.o", {}},
      {"text.o", {'h', 'e', 'l', 'l', 'o', '\n'}},
      {"elf-header-only.o", {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}},
  };
  std::vector<std::string> objects = clang_objects();
  REQUIRE_FALSE(objects.empty());
  std::vector<std::uint8_t> object = read_bytes(objects.front());
  inputs.push_back({"truncated.o", {object.begin(), object.begin() + 100}});
  // A host ELF object, not a BPF one.
  inputs.push_back({"host.o", read_bytes(kBpfcheck)});
  for (const auto &[name, bytes] : inputs) {
    CAPTURE(name);
    std::string path = temp_path(name);
    write_bytes(path, bytes);
    CommandResult result = run_command(kBpfcheck + " --list " + path);
    CHECK(result.exit_code == 2);
    std::vector<std::string> lines = lines_of(result.output);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("bpfcheck: error: " + path, 0) == 0);
  }
}

TEST_CASE("usage errors exit with code 2") {
  CHECK(run_command(kBpfcheck).exit_code == 2);
  CHECK(run_command(kBpfcheck + " --no-such-option x.o").exit_code == 2);
  std::vector<std::string> objects = clang_objects();
  REQUIRE_FALSE(objects.empty());
  CommandResult result = run_command(kBpfcheck + " --type no_such_type " + objects.front());
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("unknown program type 'no_such_type'") != std::string::npos);
}

TEST_CASE("--list shows every program libbpf finds, with libbpf's type and size") {
  std::vector<std::string> objects = clang_objects();
  REQUIRE(objects.size() >= 10);
  libbpf_set_print(nullptr);
  int compared = 0;
  for (const std::string &path : objects) {
    CAPTURE(path);
    bpf_object *object = bpf_object__open_file(path.c_str(), nullptr);
    if (libbpf_get_error(object) != 0)
      continue; // libbpf 1.x refuses legacy "maps" sections; those are covered elsewhere
    CommandResult result = run_command(kBpfcheck + " --list " + path);
    CHECK(result.exit_code == 0);
    std::map<std::string, ListedProgram> listed = parse_listing(result.output);
    bpf_program *program = nullptr;
    std::size_t libbpf_count = 0;
    bpf_object__for_each_program(program, object) {
      ++libbpf_count;
      std::string key =
          std::string(bpf_program__section_name(program)) + "/" + bpf_program__name(program);
      CAPTURE(key);
      REQUIRE(listed.count(key) == 1);
      const char *type = libbpf_bpf_prog_type_str(bpf_program__type(program));
      if (bpf_program__type(program) != BPF_PROG_TYPE_UNSPEC && type != nullptr)
        CHECK(listed[key].type == type);
      // libbpf counts the entry function alone before it appends subprograms at load time.
      CHECK(listed[key].instructions >= bpf_program__insn_cnt(program));
      ++compared;
    }
    CHECK(listed.size() == libbpf_count);
    bpf_object__close(object);
  }
  CHECK(compared >= 20);
}

TEST_CASE("directories expand to every object below them") {
  CommandResult whole = run_command(kBpfcheck + " --list " + kCorpus + "/clang");
  std::size_t listed = parse_listing(whole.output).size();
  std::size_t one_by_one = 0;
  for (const std::string &path : clang_objects())
    one_by_one += parse_listing(run_command(kBpfcheck + " --list " + path).output).size();
  CHECK(listed == one_by_one);
  CHECK(listed >= 30);
}

TEST_CASE("--program selects by name or section/name glob; --type overrides the type") {
  std::string object = kCorpus + "/clang/xdp_parse.o";
  REQUIRE(std::filesystem::exists(object));
  auto all = parse_listing(run_command(kBpfcheck + " --list " + object).output);
  REQUIRE(all.size() >= 2);
  auto one = parse_listing(run_command(kBpfcheck + " --list -p xdp_proto_stats " + object).output);
  CHECK(one.size() == 1);
  CHECK(one.count("xdp/xdp_proto_stats") == 1);
  auto by_section = parse_listing(run_command(kBpfcheck + " --list -p 'xdp/*' " + object).output);
  CHECK(by_section.size() == all.size());
  auto retyped =
      parse_listing(run_command(kBpfcheck + " --list --type sched_cls " + object).output);
  for (const auto &[key, program] : retyped)
    CHECK(program.type == "sched_cls");
}

TEST_CASE("--asm interleaves source lines from BTF line info") {
  std::string object = kCorpus + "/clang/xdp_parse.o";
  CommandResult result = run_command(kBpfcheck + " --asm -p xdp_proto_stats " + object);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("<xdp_proto_stats>:") != std::string::npos);
  CHECK(result.output.find("; int xdp_proto_stats(struct xdp_md *ctx)") != std::string::npos);
  CHECK(result.output.find("r1 = *(u32 *)(r1 + 0x4)") != std::string::npos);
  CommandResult bare = run_command(kBpfcheck + " --asm --no-source -p xdp_proto_stats " + object);
  CHECK(bare.output.find("; int xdp_proto_stats") == std::string::npos);
}

TEST_CASE("--dot writes one digraph per function of every selected program") {
  std::string object = kCorpus + "/clang/tc_http_match.o";
  REQUIRE(std::filesystem::exists(object));
  std::string directory = temp_path("dot");
  std::filesystem::remove_all(directory);
  CommandResult result = run_command(kBpfcheck + " --dot " + directory + " " + object);
  CHECK(result.exit_code == 0);
  std::vector<std::string> files = files_below(directory, ".dot");
  // Two programs, each with its entry function and the shared static payload parser.
  CHECK(files.size() == 4);
  for (const std::string &file : files) {
    CAPTURE(file);
    std::string text;
    for (std::uint8_t byte : read_bytes(file))
      text += static_cast<char>(byte);
    CHECK(text.rfind("digraph ", 0) == 0);
    CHECK(text.find("->") != std::string::npos);
    CHECK(text.ends_with("}\n"));
  }
}

} // namespace bpfcheck::test
