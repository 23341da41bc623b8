// corpus_timing.cpp: report_corpus(): the child times each program, the parent aggregates.
#include "corpus_timing.h"

#include "child_process.h"

#include "analyzer/analyze.h"
#include "object_file.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <vector>

namespace bpfcheck::bench {
namespace {

constexpr double kBarSeconds = 0.1;

struct Timing {
  std::string program; // "path program"
  double seconds = 0;
  bool verified = false;
};

double median_analysis_seconds(const Program &p, bool &verified) {
  std::vector<double> times;
  for (int i = 0; i < 3; ++i) {
    const double start = cpu_seconds();
    const auto r = analyzer::analyze(p);
    times.push_back(cpu_seconds() - start);
    verified = r && r->verified();
  }
  std::sort(times.begin(), times.end());
  return times[1];
}

// In the child: one line per program, "SECONDS VERIFIED PATH PROGRAM".
std::string time_corpus(const std::string &dir) {
  std::vector<std::string> objects;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".o")
      objects.push_back(entry.path().string());
  std::sort(objects.begin(), objects.end());
  std::ostringstream out;
  for (const auto &path : objects) {
    auto object = load_object(path);
    if (!object) {
      out << "-1 0 " << path << " -\n";
      continue;
    }
    for (const Program &p : object->programs) {
      bool verified = false;
      const double seconds = median_analysis_seconds(p, verified);
      out << seconds << " " << verified << " " << path << " " << p.name << "\n";
    }
  }
  return out.str();
}

std::vector<Timing> parse(const std::string &output) {
  std::vector<Timing> timings;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    Timing t;
    std::string path, program;
    fields >> t.seconds >> t.verified >> path >> program;
    t.program = path + " " + program;
    timings.push_back(t);
  }
  return timings;
}

} // namespace

bool report_corpus(const std::string &dir, unsigned timeout_seconds) {
  const ChildResult r = run_in_child([&] { return time_corpus(dir); }, timeout_seconds);
  if (r.status != ChildResult::Status::Exited || r.exit_code != 0) {
    std::printf("\ncorpus %s: %s\n", dir.c_str(),
                r.status == ChildResult::Status::Crashed    ? ("CRASHED (" + r.signal + ")").c_str()
                : r.status == ChildResult::Status::TimedOut ? "timed out"
                                                            : r.output.c_str());
    return r.status != ChildResult::Status::Crashed;
  }
  const auto timings = parse(r.output);
  if (timings.empty()) {
    std::printf("\ncorpus %s: no programs\n", dir.c_str());
    return true;
  }
  double total = 0;
  std::size_t programs = 0, verified = 0, over = 0;
  const Timing *slowest = &timings.front();
  for (const Timing &t : timings) {
    if (t.seconds < 0) {
      std::printf("corpus: the frontend could not load %s\n", t.program.c_str());
      continue;
    }
    ++programs;
    total += t.seconds;
    verified += t.verified;
    over += t.seconds >= kBarSeconds;
    if (t.seconds > slowest->seconds)
      slowest = &t;
  }
  std::printf("\n| corpus programs | verified | total analysis time | slowest | over 100 ms | "
              "peak memory (whole corpus) |\n|---|---|---|---|---|---|\n");
  std::printf("| %zu | %zu | %.1f ms | %.2f ms (%s) | %zu | %.1f MB |\n", programs, verified,
              total * 1e3, slowest->seconds * 1e3, slowest->program.c_str(), over,
              static_cast<double>(r.max_rss_kb) / 1024);
  std::printf("\n- every corpus program in under 100 ms: %s\n", over == 0 ? "met" : "MISSED");
  return true;
}

} // namespace bpfcheck::bench
