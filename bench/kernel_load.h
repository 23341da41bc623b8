// kernel_load.h: loads a generated Program into the running kernel with libbpf's
// bpf_prog_load (maps created on the fly, nothing attached), to check that the generators
// write programs the kernel accepts and to time the kernel's verifier beside bpfcheck.
#pragma once

#include "program.h"

#include <string>

namespace bpfcheck::bench {

struct KernelResult {
  bool accepted = false;
  double seconds = 0;    // CPU time of BPF_PROG_LOAD (the verifier runs in the syscall)
  std::string message;   // the verifier's last line on rejection, or the error
  std::string processed; // "processed N insns ..." from the verifier's statistics
};

KernelResult load_into_kernel(const Program &program);

} // namespace bpfcheck::bench
