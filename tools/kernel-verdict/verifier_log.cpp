// verifier_log.cpp: reduces a level-1 verifier log to the verdict's message, blamed source
// line and processed-instruction count, and maps section names to program types.
#include "kernel_verdict.hpp"

#include <bpf/libbpf.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <sstream>
#include <string_view>

namespace kernel_verdict {
namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Lines the verifier prints after every run, error or not.
bool is_stats_line(std::string_view line) {
  return starts_with(line, "processed ") || starts_with(line, "verification time") ||
         starts_with(line, "stack depth") || starts_with(line, "max_states_per_insn") ||
         starts_with(line, "mark_read");
}

} // namespace

LogSummary summarize_log(const std::string &log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string raw; std::getline(in, raw);) {
    std::string line = trim(raw);
    // Some error lines lack their newline, so the stats line that follows sticks to them.
    if (const auto glued = line.find("verification time "); glued != std::string::npos && glued > 0)
      line = trim(line.substr(0, glued));
    lines.push_back(line);
  }

  LogSummary summary;
  for (const auto &line : lines)
    if (starts_with(line, "processed "))
      summary.insns_processed = std::strtol(line.c_str() + 10, nullptr, 10);

  auto error = lines.rend();
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (it->empty() || is_stats_line(*it) || (*it)[0] == ';')
      continue;
    error = it;
    break;
  }
  if (error == lines.rend())
    return summary;
  summary.message = *error;
  const auto annotation = std::find_if(
      error, lines.rend(), [](const std::string &line) { return starts_with(line, "; "); });
  if (annotation != lines.rend())
    summary.line = annotation->substr(2);
  return summary;
}

std::optional<bpf_prog_type> infer_prog_type(const std::string &section) {
  // The prefixes of the old loaders (samples/bpf bpf_load.c, iproute2) that libbpf 1.x dropped.
  static constexpr std::array<std::pair<std::string_view, bpf_prog_type>, 12> kPrefixes{{
      {"socket", BPF_PROG_TYPE_SOCKET_FILTER},
      {"classifier", BPF_PROG_TYPE_SCHED_CLS},
      {"action", BPF_PROG_TYPE_SCHED_ACT},
      {"tc", BPF_PROG_TYPE_SCHED_CLS},
      {"kprobe/", BPF_PROG_TYPE_KPROBE},
      {"kretprobe/", BPF_PROG_TYPE_KPROBE},
      {"tracepoint/", BPF_PROG_TYPE_TRACEPOINT},
      {"raw_tracepoint/", BPF_PROG_TYPE_RAW_TRACEPOINT},
      {"xdp", BPF_PROG_TYPE_XDP},
      {"perf_event", BPF_PROG_TYPE_PERF_EVENT},
      {"cgroup/skb", BPF_PROG_TYPE_CGROUP_SKB},
      {"sockops", BPF_PROG_TYPE_SOCK_OPS},
  }};
  for (const auto &[prefix, type] : kPrefixes)
    if (starts_with(section, prefix))
      return type;
  return std::nullopt;
}

std::string prog_type_name(bpf_prog_type type) {
  const char *name = libbpf_bpf_prog_type_str(type);
  return name ? name : "unknown";
}

bool wanted(const Options &options, const std::string &program) {
  return options.programs.empty() || std::find(options.programs.begin(), options.programs.end(),
                                               program) != options.programs.end();
}

} // namespace kernel_verdict
