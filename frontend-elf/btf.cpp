// STUB: being implemented (BTF helper). Replace wholesale.
#include "btf.h"
namespace bpfcheck {
Result<std::shared_ptr<const Btf>> Btf::parse(std::span<const std::uint8_t>) {
  return Error{"BTF parsing is not implemented yet"};
}
Btf::~Btf() = default;
} // namespace bpfcheck
