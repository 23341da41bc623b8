// Helper table against the installed UAPI header: ids and names agree with enum bpf_func_id
// (parsed from __BPF_FUNC_MAPPER at test time), no duplicates, the helpers present,
// and each prototype is internally consistent (sizes follow memory, map types need a map).
#include "platform.h"

#include <doctest/doctest.h>
#include <linux/bpf.h>

#include <fstream>
#include <map>
#include <set>
#include <string>

using namespace bpfcheck::platform;
using bpfcheck::ProgramType;

namespace {

// The helper names of __BPF_FUNC_MAPPER, in order: the position is the id.
std::vector<std::string> header_helper_names() {
  std::ifstream in("/usr/include/linux/bpf.h");
  std::string line;
  std::vector<std::string> names;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.find("#define ___BPF_FUNC_MAPPER") != std::string::npos ||
        line.find("#define __BPF_FUNC_MAPPER(FN)") != std::string::npos)
      inside = true;
    else if (inside && line.find("FN(") == std::string::npos)
      break;
    if (!inside)
      continue;
    const auto open = line.find("FN(");
    if (open == std::string::npos)
      continue;
    const auto end = line.find_first_of(",)", open);
    names.push_back(line.substr(open + 3, end - open - 3));
  }
  return names;
}

std::vector<std::span<const HelperPrototype>> families() {
  return {map_helpers(), trace_helpers(), skb_helpers(),
          xdp_helpers(), sock_helpers(),  misc_helpers()};
}

} // namespace

TEST_CASE("platform/helpers: ids and names agree with enum bpf_func_id in <linux/bpf.h>") {
  const auto names = header_helper_names();
  REQUIRE(names.size() > 200);
  CHECK(names[0] == "unspec");
  int compared = 0;
  for (std::size_t id = 1; id < names.size(); ++id) {
    const HelperPrototype *helper = find_helper(static_cast<std::uint32_t>(id));
    INFO("helper id " << id << " (" << names[id] << ")");
    REQUIRE(helper != nullptr); // every helper of the header has a prototype
    CHECK(helper->name == names[id]);
    ++compared;
  }
  MESSAGE("helpers compared with the header: " << compared << ", table total "
                                               << all_helpers().size());
  // A few through the compiled constants as well, independent of the parser above.
  CHECK(find_helper(BPF_FUNC_ringbuf_reserve)->name == "ringbuf_reserve");
  CHECK(find_helper(BPF_FUNC_skb_store_bytes)->name == "skb_store_bytes");
  CHECK(find_helper(BPF_FUNC_user_ringbuf_drain)->name == "user_ringbuf_drain");
  CHECK(find_helper(0) == nullptr);
  CHECK(find_helper(100000) == nullptr);
}

TEST_CASE("platform/helpers: no duplicate ids or names across the family tables") {
  std::set<std::uint32_t> ids;
  std::set<std::string_view> names;
  for (auto family : families())
    for (const HelperPrototype &helper : family) {
      INFO(helper.name);
      CHECK(ids.insert(helper.id).second);
      CHECK(names.insert(helper.name).second);
    }
  CHECK(ids.size() == all_helpers().size());
  // Helpers frozen at 211 (cgrp_storage_delete, kernel 6.2): no gaps below it.
  CHECK(ids.size() == 211);
}

TEST_CASE("platform/helpers: every helper the issue names is present") {
  const char *named[] = {"map_lookup_elem",
                         "map_update_elem",
                         "map_delete_elem",
                         "map_push_elem",
                         "map_pop_elem",
                         "map_peek_elem",
                         "probe_read",
                         "probe_read_str",
                         "probe_read_user",
                         "probe_read_kernel",
                         "probe_read_user_str",
                         "probe_read_kernel_str",
                         "get_current_pid_tgid",
                         "get_current_uid_gid",
                         "get_current_comm",
                         "get_current_task",
                         "get_current_cgroup_id",
                         "ktime_get_ns",
                         "ktime_get_boot_ns",
                         "ktime_get_coarse_ns",
                         "ktime_get_tai_ns",
                         "perf_event_output",
                         "ringbuf_output",
                         "ringbuf_reserve",
                         "ringbuf_submit",
                         "ringbuf_discard",
                         "ringbuf_query",
                         "skb_load_bytes",
                         "skb_store_bytes",
                         "redirect",
                         "redirect_map",
                         "redirect_neigh",
                         "redirect_peer",
                         "clone_redirect",
                         "csum_diff",
                         "l3_csum_replace",
                         "l4_csum_replace",
                         "csum_update",
                         "csum_level",
                         "tail_call",
                         "get_stackid",
                         "get_stack",
                         "trace_printk",
                         "snprintf",
                         "loop",
                         "for_each_map_elem",
                         "spin_lock",
                         "spin_unlock",
                         "timer_init",
                         "sk_lookup_tcp",
                         "sk_release",
                         "xdp_adjust_head",
                         "dynptr_from_mem"};
  std::set<std::string_view> known;
  for (const HelperPrototype *helper : all_helpers())
    known.insert(helper->name);
  for (const char *name : named) {
    INFO(name);
    CHECK(known.count(name) == 1);
  }
}

TEST_CASE("platform/helpers: prototypes are internally consistent") {
  std::vector<const HelperPrototype *> prototypes(all_helpers().begin(), all_helpers().end());
  for (const HelperPrototype &variant : helper_variants()) {
    prototypes.push_back(&variant);
    CHECK(find_helper(variant.id)->name == variant.name); // a variant keeps its helper's name
  }
  for (const HelperPrototype *helper : prototypes) {
    INFO(helper->name);
    bool has_map = false;
    for (std::size_t i = 0; i < helper->args.size(); ++i) {
      const Arg &arg = helper->args[i];
      has_map |= arg.kind == ArgKind::ConstMapPtr;
      // Variable-size memory is always followed by its size, as the kernel requires.
      if (arg.kind == ArgKind::PtrToMem && (arg.flags & kFixedSize) == 0) {
        REQUIRE(i + 1 < helper->args.size());
        const ArgKind next = helper->args[i + 1].kind;
        CHECK((next == ArgKind::ConstSize || next == ArgKind::ConstSizeOrZero));
      }
      if (arg.flags & kFixedSize)
        CHECK(arg.fixed_size > 0);
      // No argument after an unused one.
      if (i > 0 && helper->args[i - 1].kind == ArgKind::None)
        CHECK(arg.kind == ArgKind::None);
    }
    if (helper->map_types != 0)
      CHECK(has_map);
    if (helper->ret_size_arg >= 0) {
      const ArgKind sized = helper->args[static_cast<std::size_t>(helper->ret_size_arg)].kind;
      CHECK(sized == ArgKind::ConstAllocSizeOrZero);
    }
    CHECK(helper->ret_min <= helper->ret_max);
  }
}

TEST_CASE("platform/helpers: map-type compatibility of the map helpers") {
  using enum MapType;
  const std::map<std::uint32_t, MapTypeMask> expected = {
      {BPF_FUNC_tail_call, map_mask({ProgArray})},
      {BPF_FUNC_perf_event_output, map_mask({PerfEventArray})},
      {BPF_FUNC_ringbuf_reserve, map_mask({Ringbuf})},
      {BPF_FUNC_ringbuf_output, map_mask({Ringbuf})},
      {BPF_FUNC_get_stackid, map_mask({StackTrace})},
      {BPF_FUNC_redirect_map, map_mask({Devmap, DevmapHash, Cpumap, Xskmap})},
      {BPF_FUNC_sk_redirect_map, map_mask({Sockmap})},
      {BPF_FUNC_msg_redirect_hash, map_mask({Sockhash})},
      {BPF_FUNC_user_ringbuf_drain, map_mask({UserRingbuf})},
      {BPF_FUNC_map_lookup_elem, 0}, // any map type
  };
  for (const auto &entry : expected) {
    INFO(find_helper(entry.first)->name);
    CHECK(find_helper(entry.first)->map_types == entry.second);
  }
  // The map type numbers agree with enum bpf_map_type.
  CHECK(static_cast<int>(Ringbuf) == BPF_MAP_TYPE_RINGBUF);
  CHECK(static_cast<int>(Xskmap) == BPF_MAP_TYPE_XSKMAP);
  CHECK(static_cast<int>(UserRingbuf) == BPF_MAP_TYPE_USER_RINGBUF);
  CHECK(static_cast<int>(BloomFilter) == BPF_MAP_TYPE_BLOOM_FILTER);
}

TEST_CASE("platform/helpers: reference and packet effects") {
  CHECK((find_helper(BPF_FUNC_ringbuf_reserve)->flags & kAcquire) != 0);
  CHECK(find_helper(BPF_FUNC_ringbuf_reserve)->ret == RetKind::PtrToAllocMemOrNull);
  CHECK(find_helper(BPF_FUNC_ringbuf_reserve)->ret_size_arg == 1);
  CHECK((find_helper(BPF_FUNC_ringbuf_submit)->args[0].flags & kRelease) != 0);
  CHECK((find_helper(BPF_FUNC_sk_lookup_tcp)->flags & kAcquire) != 0);
  CHECK((find_helper(BPF_FUNC_sk_release)->args[0].flags & kRelease) != 0);
  for (auto id : {BPF_FUNC_skb_store_bytes, BPF_FUNC_xdp_adjust_head, BPF_FUNC_skb_pull_data,
                  BPF_FUNC_msg_pull_data, BPF_FUNC_l3_csum_replace})
    CHECK((find_helper(id)->flags & kChangesPktData) != 0);
  for (auto id : {BPF_FUNC_skb_load_bytes, BPF_FUNC_redirect, BPF_FUNC_map_lookup_elem})
    CHECK((find_helper(id)->flags & kChangesPktData) == 0);
  CHECK(find_helper(BPF_FUNC_map_update_elem)->ret_max == 0);
  CHECK((find_helper(BPF_FUNC_copy_from_user)->flags & kMightSleep) != 0);
}
