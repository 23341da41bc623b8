// child_process.cpp: fork, pipe, alarm and wait4 for run_in_child().
#include "child_process.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <exception>
#include <stdexcept>

namespace bpfcheck::bench {
namespace {

void write_all(int fd, const std::string &text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0)
      return;
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void child(int out, const std::function<std::string()> &work, unsigned timeout) {
  alarm(timeout);
  int code = 0;
  std::string result;
  try {
    result = work();
  } catch (const std::exception &e) {
    result = std::string("error: ") + e.what();
    code = 3;
  }
  write_all(out, result);
  close(out);
  _exit(code);
}

} // namespace

ChildResult run_in_child(const std::function<std::string()> &work, unsigned timeout_seconds) {
  ChildResult r;
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    close(fds[0]);
    child(fds[1], work, timeout_seconds);
  }
  close(fds[1]);
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;)
    r.output.append(buffer, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  r.max_rss_kb = usage.ru_maxrss;
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    r.status = sig == SIGALRM ? ChildResult::Status::TimedOut : ChildResult::Status::Crashed;
    r.signal = sigabbrev_np(sig) ? sigabbrev_np(sig) : std::to_string(sig);
  } else {
    r.exit_code = WEXITSTATUS(status);
  }
  return r;
}

} // namespace bpfcheck::bench
