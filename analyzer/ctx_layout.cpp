// Offsets from <linux/bpf.h>: struct xdp_md and struct __sk_buff; return ranges from the
// kernel's check_return_code for the cgroup program types.
#include "analyzer/ctx_layout.h"

namespace bpfcheck::analyzer {

CtxLayout ctx_layout(ProgramType type) {
  switch (type) {
  case ProgramType::Xdp:
    return {24, 0, 4, 8}; // data, data_end, data_meta, ingress_ifindex, rx_queue, egress
  case ProgramType::SchedCls:
  case ProgramType::SchedAct:
    return {192, 76, 80, 140};
  case ProgramType::CgroupSkb:
    // data/data_end readable; data_meta is not (the kernel rejects it for this type).
    return {192, 76, 80, std::nullopt};
  default:
    return {};
  }
}

std::optional<ReturnRange> return_range(ProgramType type) {
  switch (type) {
  case ProgramType::CgroupSkb:
    return ReturnRange{0, 3};
  case ProgramType::CgroupSock:
  case ProgramType::CgroupDevice:
  case ProgramType::CgroupSysctl:
  case ProgramType::CgroupSockopt:
  case ProgramType::CgroupSockAddr:
    return ReturnRange{0, 1};
  default:
    return std::nullopt;
  }
}

} // namespace bpfcheck::analyzer
