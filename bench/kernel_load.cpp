// kernel_load.cpp: BPF_PROG_LOAD of a generated program through libbpf, verifier log with
// statistics (log level 4) and, on rejection, the whole log to find its last error line.
#include "kernel_load.h"

#include "child_process.h"

#include <bpf/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <vector>

namespace bpfcheck::bench {
namespace {

struct Fds {
  std::vector<int> fds;
  ~Fds() {
    for (const int fd : fds)
      if (fd >= 0)
        close(fd);
  }
};

// The last line of `log` that is not empty, not a statistics line and not a source annotation.
std::string last_error_line(const std::string &log) {
  std::istringstream lines(log);
  std::string last;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line[0] != ';' && line.rfind("processed ", 0) != 0 &&
        line.rfind("verification time", 0) != 0 && line.rfind("stack depth", 0) != 0)
      last = line;
  return last;
}

std::string line_starting(const std::string &log, const std::string &prefix) {
  const auto at = log.find(prefix);
  return at == std::string::npos ? "" : log.substr(at, log.find('\n', at) - at);
}

KernelResult try_load(const std::vector<bpf_insn> &insns, std::uint32_t level, std::string &log) {
  KernelResult r;
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.log_level = level;
  opts.log_buf = log.data();
  opts.log_size = static_cast<std::uint32_t>(log.size());
  const double start = cpu_seconds();
  const int fd =
      bpf_prog_load(BPF_PROG_TYPE_XDP, "bench", "GPL", insns.data(), insns.size(), &opts);
  r.seconds = cpu_seconds() - start;
  r.accepted = fd >= 0;
  if (fd >= 0)
    close(fd);
  else
    r.message = std::strerror(errno);
  log.resize(std::strlen(log.c_str()));
  return r;
}

} // namespace

KernelResult load_into_kernel(const Program &program) {
  Fds maps;
  for (const MapDescriptor &m : program.maps) {
    maps.fds.push_back(bpf_map_create(static_cast<bpf_map_type>(m.type), m.name.c_str(), m.key_size,
                                      m.value_size, m.max_entries, nullptr));
    if (maps.fds.back() < 0)
      return {false, 0, "cannot create map " + m.name + ": " + std::strerror(errno), ""};
  }
  std::vector<bpf_insn> insns;
  for (const RawInstruction &r : program.instructions) {
    bpf_insn i{};
    i.code = r.opcode;
    i.dst_reg = r.dst & 0xf;
    i.src_reg = r.src & 0xf;
    i.off = r.offset;
    i.imm = r.imm;
    if (r.opcode == 0x18 && r.src == BPF_PSEUDO_MAP_FD)
      i.imm = maps.fds.at(static_cast<std::size_t>(r.imm));
    insns.push_back(i);
  }
  std::string log(1 << 16, '\0');
  KernelResult r = try_load(insns, 4, log);
  r.processed = line_starting(log, "processed ");
  if (!r.accepted) {
    std::string full(64u << 20, '\0'); // a rejection: the whole log, for its last error
    const KernelResult again = try_load(insns, 1, full);
    const std::string line = last_error_line(full);
    r.message = line.empty() ? again.message : line;
  }
  return r;
}

} // namespace bpfcheck::bench
