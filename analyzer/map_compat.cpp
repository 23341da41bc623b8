// Map/helper compatibility as kernel/bpf/verifier.c's check_map_func_compatibility lists it for
// the map types reserved to a few helpers; maps of the general types go with any map helper
// whose prototype accepts them.
#include "analyzer/map_compat.h"

#include "analyzer/platform/platform.h"

#include <algorithm>
#include <initializer_list>

namespace bpfcheck::analyzer {
namespace {

using platform::MapType;

bool one_of(std::uint32_t id, std::initializer_list<std::uint32_t> ids) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

} // namespace

bool map_allows_helper(std::uint32_t map_type, std::uint32_t id) {
  switch (static_cast<MapType>(map_type)) {
  case MapType::ProgArray:
    return id == 12;
  case MapType::PerfEventArray:
    return one_of(id, {22, 25, 55, 111, 121});
  case MapType::Ringbuf:
    return one_of(id, {130, 131, 134, 198});
  case MapType::UserRingbuf:
    return id == 209;
  case MapType::StackTrace:
    return one_of(id, {27, 67});
  case MapType::CgroupArray:
    return one_of(id, {33, 37});
  case MapType::CgroupStorage:
  case MapType::PercpuCgroupStorage:
    return id == 81;
  case MapType::Devmap:
  case MapType::DevmapHash:
  case MapType::Xskmap:
    return one_of(id, {51, 1});
  case MapType::Cpumap:
    return id == 51;
  case MapType::ArrayOfMaps:
  case MapType::HashOfMaps:
    return id == 1;
  case MapType::Sockmap:
    return one_of(id, {52, 53, 60, 82, 1, 3});
  case MapType::Sockhash:
    return one_of(id, {70, 71, 72, 82, 1, 3});
  case MapType::ReuseportSockarray:
    return id == 82;
  case MapType::Queue:
  case MapType::Stack:
    return one_of(id, {87, 88, 89});
  case MapType::BloomFilter:
    return one_of(id, {87, 89});
  case MapType::SkStorage:
    return one_of(id, {107, 108});
  case MapType::InodeStorage:
    return one_of(id, {145, 146});
  case MapType::TaskStorage:
    return one_of(id, {156, 157});
  case MapType::CgrpStorage:
    return one_of(id, {210, 211});
  case MapType::StructOps:
  case MapType::Arena:
    return false;
  default:
    return true;
  }
}

std::optional<std::string> lookup_unsupported(const MapDescriptor &map, std::size_t map_count) {
  switch (static_cast<MapType>(map.type)) {
  case MapType::Sockmap:
  case MapType::Sockhash:
  case MapType::Xskmap:
    return "a socket looked up in a socket map";
  case MapType::ArrayOfMaps:
  case MapType::HashOfMaps:
    if (!map.inner_map || *map.inner_map >= map_count)
      return "a lookup in a map of maps whose inner map is not described";
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

bool helper_reads_packets(std::uint32_t id) {
  // map_lookup/update/delete, csum_diff, sk_lookup_tcp/udp, skc_lookup_tcp, syncookies.
  return one_of(id, {1, 2, 3, 28, 84, 85, 99, 100, 110});
}

bool packet_readable_by_helpers(ProgramType type) {
  switch (type) {
  case ProgramType::SchedCls:
  case ProgramType::SchedAct:
  case ProgramType::Xdp:
  case ProgramType::LwtIn:
  case ProgramType::LwtOut:
  case ProgramType::LwtXmit:
  case ProgramType::LwtSeg6local:
  case ProgramType::SkSkb:
  case ProgramType::SkMsg:
  case ProgramType::SkReuseport:
  case ProgramType::FlowDissector:
  case ProgramType::CgroupSkb:
  case ProgramType::CgroupSockopt:
    return true;
  default:
    return false;
  }
}

} // namespace bpfcheck::analyzer
