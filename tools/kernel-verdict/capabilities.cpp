// capabilities.cpp: lowers the effective capability set around a load, so a program can be
// verified as an agent holding only e.g. CAP_BPF and CAP_NET_ADMIN would (no CAP_PERFMON).
// Only the effective set changes; the permitted set keeps what is needed to restore it.
#include "kernel_verdict.hpp"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <sstream>
#include <string_view>

namespace kernel_verdict {
namespace {

using CapData = std::array<__user_cap_data_struct, _LINUX_CAPABILITY_U32S_3>;

bool get_caps(CapData &data) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  return syscall(SYS_capget, &header, data.data()) == 0;
}

bool set_caps(CapData &data) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  return syscall(SYS_capset, &header, data.data()) == 0;
}

uint64_t effective_of(const CapData &data) {
  return data[0].effective | (uint64_t{data[1].effective} << 32);
}

void set_effective(CapData &data, uint64_t mask) {
  data[0].effective = static_cast<uint32_t>(mask);
  data[1].effective = static_cast<uint32_t>(mask >> 32);
}

} // namespace

ScopedCapabilities::ScopedCapabilities(uint64_t effective) {
  if (effective == 0)
    return;
  CapData data{};
  if (!get_caps(data)) {
    ok_ = false;
    return;
  }
  saved_ = effective_of(data);
  set_effective(data, effective);
  ok_ = set_caps(data);
  changed_ = ok_;
}

ScopedCapabilities::~ScopedCapabilities() {
  if (!changed_)
    return;
  CapData data{};
  if (get_caps(data)) {
    set_effective(data, saved_);
    set_caps(data);
  }
}

std::optional<uint64_t> parse_capabilities(const std::string &list) {
  static constexpr std::array<std::pair<std::string_view, int>, 6> kNames{{
      {"bpf", CAP_BPF},
      {"perfmon", CAP_PERFMON},
      {"net_admin", CAP_NET_ADMIN},
      {"net_raw", CAP_NET_RAW},
      {"sys_admin", CAP_SYS_ADMIN},
      {"sys_resource", CAP_SYS_RESOURCE},
  }};
  uint64_t mask = 0;
  std::istringstream in(list);
  for (std::string name; std::getline(in, name, ',');) {
    bool found = false;
    for (const auto &[known, cap] : kNames)
      if (name == known) {
        mask |= uint64_t{1} << cap;
        found = true;
      }
    if (!found)
      return std::nullopt;
  }
  return mask;
}

} // namespace kernel_verdict
