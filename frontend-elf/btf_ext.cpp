// STUB: being implemented (BTF helper). Replace wholesale.
#include "btf_ext.h"
namespace bpfcheck {
Result<std::vector<BtfExtSection>> parse_btf_ext(std::span<const std::uint8_t>, const Btf &) {
  return Error{".BTF.ext parsing is not implemented yet"};
}
} // namespace bpfcheck
