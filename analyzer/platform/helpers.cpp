// The helper registry: the per-family tables merged into one id-indexed view, built once.
// Families stay separate files so each can be checked against its kernel source file.
#include "platform.h"

#include <algorithm>
#include <vector>

namespace bpfcheck::platform {
namespace {

struct Registry {
  std::vector<const HelperPrototype *> by_id;  // index = helper id, nullptr when unknown
  std::vector<const HelperPrototype *> sorted; // known helpers, ascending id

  Registry() {
    for (auto family : {map_helpers(), trace_helpers(), skb_helpers(), xdp_helpers(),
                        sock_helpers(), misc_helpers()}) {
      for (const HelperPrototype &helper : family) {
        if (helper.id >= by_id.size())
          by_id.resize(helper.id + 1, nullptr);
        // A duplicate id is a table bug the registry test reports; the first entry wins.
        if (by_id[helper.id] == nullptr)
          by_id[helper.id] = &helper;
        sorted.push_back(&helper);
      }
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](auto *a, auto *b) { return a->id < b->id; });
  }
};

const Registry &registry() {
  static const Registry instance;
  return instance;
}

} // namespace

const HelperPrototype *find_helper(std::uint32_t id) {
  const auto &by_id = registry().by_id;
  return id < by_id.size() ? by_id[id] : nullptr;
}

std::span<const HelperPrototype *const> all_helpers() { return registry().sorted; }

} // namespace bpfcheck::platform
