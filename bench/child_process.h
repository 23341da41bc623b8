// child_process.h: runs one piece of benchmark work in a forked child, so that a crash or a
// runaway case cannot take the whole benchmark down and so that each case's peak memory can be
// read from the kernel's accounting of that child alone (wait4's rusage).
#pragma once

#include <ctime>
#include <functional>
#include <string>

namespace bpfcheck::bench {

struct ChildResult {
  enum class Status { Exited, TimedOut, Crashed } status = Status::Exited;
  int exit_code = 0;
  std::string signal; // the signal's name when it crashed
  std::string output; // what the work returned
  long max_rss_kb = 0;
};

// CPU time of this process (user and system, so a BPF_PROG_LOAD's verifier counts too): every
// timing of the benchmark uses it, as it is far less disturbed than wall time by other load on
// a shared machine.
inline double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Forks, runs `work` in the child and sends its result back through a pipe; the child is
// killed after `timeout_seconds`.
ChildResult run_in_child(const std::function<std::string()> &work, unsigned timeout_seconds);

} // namespace bpfcheck::bench
