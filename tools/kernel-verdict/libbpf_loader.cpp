// libbpf_loader.cpp: loads each program of an object alone through libbpf (open the object
// again per program, autoload only the target) and turns the outcome into a Verdict.
// libbpf handles BTF-defined maps, global data, CO-RE and .text subprograms.
#include "kernel_verdict.hpp"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>

namespace kernel_verdict {
namespace {

constexpr size_t kLogSize = size_t{16} << 20;

// libbpf's warnings of the current open/load, for reasons when the kernel wrote no log.
std::vector<std::string> g_libbpf_messages;
bool g_verbose = false;

int collect_libbpf_output(libbpf_print_level level, const char *format, va_list args) {
  if (level == LIBBPF_DEBUG)
    return 0;
  char buffer[1024];
  vsnprintf(buffer, sizeof buffer, format, args);
  std::string text(buffer);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  if (g_verbose)
    fprintf(stderr, "%s\n", text.c_str());
  g_libbpf_messages.push_back(text);
  return 0;
}

std::string libbpf_reason() {
  for (auto it = g_libbpf_messages.rbegin(); it != g_libbpf_messages.rend(); ++it)
    if (it->find("failed to load object") == std::string::npos &&
        it->find("-- BEGIN") == std::string::npos && it->find("-- END") == std::string::npos)
      return *it;
  return "libbpf failed without a message";
}

struct ObjectCloser {
  void operator()(bpf_object *object) const { bpf_object__close(object); }
};
using ObjectPtr = std::unique_ptr<bpf_object, ObjectCloser>;

ObjectPtr open_object(const std::string &path) {
  g_libbpf_messages.clear();
  return ObjectPtr(bpf_object__open_file(path.c_str(), nullptr));
}

// Map fix-ups loaders such as cilium/ebpf apply: a ring buffer takes no key or value, a
// perf-event array takes 4-byte keys and values whatever the declaration says.
void fix_maps(bpf_object *object) {
  bpf_map *map;
  bpf_object__for_each_map(map, object) {
    const auto type = bpf_map__type(map);
    if (type == BPF_MAP_TYPE_RINGBUF) {
      bpf_map__set_key_size(map, 0);
      bpf_map__set_value_size(map, 0);
    } else if (type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
      bpf_map__set_key_size(map, 4);
      bpf_map__set_value_size(map, 4);
    }
  }
}

Verdict load_one(const std::string &path, const std::string &name, const Options &options) {
  Verdict verdict{name, "unknown", "unloadable", -1, {}, {}};
  ObjectPtr object = open_object(path);
  if (!object) {
    verdict.message = "libbpf open failed: " + libbpf_reason();
    return verdict;
  }
  bpf_program *target = nullptr;
  bpf_program *program;
  bpf_object__for_each_program(program, object.get()) {
    const bool is_target = name == bpf_program__name(program);
    // A '?' section starts with autoload off: switch the target on explicitly, or nothing
    // loads and the program looks accepted.
    bpf_program__set_autoload(program, is_target);
    if (is_target)
      target = program;
  }
  if (!target) {
    verdict.message = "program vanished on reopen";
    return verdict;
  }
  if (bpf_program__type(target) == BPF_PROG_TYPE_UNSPEC) {
    const auto type = infer_prog_type(bpf_program__section_name(target));
    if (!type) {
      verdict.message =
          std::string("unknown section type '") + bpf_program__section_name(target) + "'";
      return verdict;
    }
    bpf_program__set_type(target, *type);
  }
  verdict.prog_type = prog_type_name(bpf_program__type(target));
  fix_maps(object.get());

  std::vector<char> log(kLogSize, '\0');
  bpf_program__set_log_buf(target, log.data(), log.size());
  bpf_program__set_log_level(target, options.log_level);
  int err;
  {
    ScopedCapabilities caps(options.caps);
    if (!caps.ok()) {
      verdict.message = std::string("cannot set capabilities: ") + strerror(errno);
      return verdict;
    }
    err = bpf_object__load(object.get());
  }
  log.back() = '\0';
  const std::string text(log.data());
  if (options.verbose)
    fprintf(stderr, "---- %s %s: verifier log\n%s", path.c_str(), name.c_str(), text.c_str());
  const LogSummary summary = summarize_log(text);
  verdict.insns_processed = summary.insns_processed;
  if (err == 0) {
    verdict.verdict = "accepted";
  } else if (!summary.message.empty()) {
    verdict.verdict = "rejected";
    verdict.message = summary.message;
    verdict.line = summary.line;
  } else {
    // The verifier never ran (map creation, relocation, EPERM before verification, ...).
    verdict.message = libbpf_reason();
  }
  return verdict;
}

} // namespace

std::optional<std::vector<Verdict>> load_with_libbpf(const std::string &path,
                                                     const Options &options, std::string &why) {
  g_verbose = options.verbose;
  libbpf_set_print(collect_libbpf_output);
  std::vector<std::string> names;
  {
    ObjectPtr object = open_object(path);
    if (!object) {
      why = libbpf_reason();
      if (why.find("legacy map definitions") != std::string::npos)
        return std::nullopt;
      return std::vector<Verdict>{
          {"", "unknown", "unloadable", -1, "libbpf open failed: " + why, {}}};
    }
    bpf_program *program;
    bpf_object__for_each_program(program, object.get())
        names.emplace_back(bpf_program__name(program));
  }
  std::vector<Verdict> verdicts;
  for (const auto &name : names)
    if (wanted(options, name))
      verdicts.push_back(load_one(path, name, options));
  return verdicts;
}

} // namespace kernel_verdict
