// Which helpers may take which maps and which helpers may touch packet memory: the reverse
// direction of the prototypes' map masks (the kernel's check_map_func_compatibility) and the
// helpers with pkt_access. Internal to analyzer/.
#pragma once

#include "program.h"

#include <cstdint>
#include <optional>
#include <string>

namespace bpfcheck::analyzer {

// False when the map type only works with other helpers (a PROG_ARRAY outside bpf_tail_call).
bool map_allows_helper(std::uint32_t map_type, std::uint32_t helper_id);
// Why a lookup in this map returns something the analyzer does not model (sockets, XDP
// sockets, inner maps not described), or nullopt.
std::optional<std::string> lookup_unsupported(const MapDescriptor &map, std::size_t map_count);
// Helpers the kernel lets read packet memory through a pointer argument (pkt_access).
bool helper_reads_packets(std::uint32_t helper_id);
// Program types whose helpers may read packet memory (may_access_direct_pkt_data for reads).
bool packet_readable_by_helpers(ProgramType type);

} // namespace bpfcheck::analyzer
