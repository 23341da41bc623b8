// child_process.h: runs one piece of benchmark work in a forked child, so that a crash or a
// runaway case cannot take the whole benchmark down and so that each case's peak memory can be
// read from the kernel's accounting of that child alone (wait4's rusage).
#pragma once

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

// Forks, runs `work` in the child and sends its result back through a pipe; the child is
// killed after `timeout_seconds`.
ChildResult run_in_child(const std::function<std::string()> &work, unsigned timeout_seconds);

} // namespace bpfcheck::bench
