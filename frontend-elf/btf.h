// BTF type information of one object (.BTF), read with libbpf's BTF parser and then checked by
// us (every type reference in range, names inside the string section) so that later queries on
// a hostile object can never read out of bounds. See README "Dependencies" for why libbpf.
#pragma once

#include "result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct btf;      // libbpf
struct btf_type; // <linux/btf.h>

namespace bpfcheck {

// A map as declared in the .maps section with the __uint/__type/__array macros of bpf_helpers.h.
struct BtfMapDefinition {
  std::string name; // the VAR's name
  // Of the variable inside .maps, from the DATASEC. clang leaves it 0 in a .o (libbpf takes it
  // from the ELF symbol), so the ELF loader matches maps to symbols by name.
  std::uint32_t offset = 0;
  std::uint32_t type = 0;       // __uint(type, ...)
  std::uint32_t key_size = 0;   // __uint(key_size) or sizeof(__type(key))
  std::uint32_t value_size = 0; // __uint(value_size) or sizeof(__type(value))
  std::uint32_t key_type = 0;   // BTF id of __type(key), 0 if given by size
  std::uint32_t value_type = 0; // BTF id of __type(value), 0 if given by size
  std::uint32_t max_entries = 0;
  std::uint32_t map_flags = 0;
  std::uint32_t pinning = 0;
  std::uint32_t numa_node = 0;
  std::uint32_t map_extra = 0; // __uint(map_extra, ...); 32 bits, as libbpf 1.1 reads it
  // __array(values, struct inner): the inner map's definition (map-in-map templates).
  std::shared_ptr<BtfMapDefinition> inner;
};

class Btf {
public:
  // Parses and validates raw .BTF bytes. The error says what is wrong and where.
  static Result<std::shared_ptr<const Btf>> parse(std::span<const std::uint8_t> bytes);
  ~Btf();
  Btf(const Btf &) = delete;
  Btf &operator=(const Btf &) = delete;

  std::uint32_t type_count() const;             // ids 0 (void) .. type_count()-1
  const btf_type *type(std::uint32_t id) const; // nullptr when out of range
  std::uint32_t kind(std::uint32_t id) const;   // BTF_KIND_*
  std::string_view name(std::uint32_t id) const;
  // Follows typedefs, const, volatile, restrict and type tags to the underlying type.
  std::uint32_t strip_modifiers(std::uint32_t id) const;
  // Size in bytes of a sized type (int, struct, union, enum, pointer, array); nullopt otherwise.
  std::optional<std::uint64_t> size_of(std::uint32_t id) const;
  std::optional<std::uint32_t> find(std::string_view name, std::uint32_t kind) const;
  // The values of DECL_TAGs attached to `id` (component -1: the type itself; otherwise the
  // member or parameter index).
  std::vector<std::string> decl_tags(std::uint32_t id, int component = -1) const;
  // C-like spelling for messages: "struct iphdr *", "int (struct xdp_md *)".
  std::string describe(std::uint32_t id) const;
  // Every map declared in the DATASEC ".maps".
  Result<std::vector<BtfMapDefinition>> map_definitions() const;
  // The VARs of a DATASEC (e.g. ".kconfig", ".ksyms"): name, BTF id of the VAR, offset, size.
  struct DatasecVar {
    std::string name;
    std::uint32_t var_type = 0;
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
  };
  std::vector<DatasecVar> datasec_vars(std::string_view datasec) const;

  const struct btf *raw() const { return btf_; }

private:
  explicit Btf(struct btf *parsed);
  // One DECL_TAG, indexed by (target, component) so decl_tags() is a binary search.
  struct DeclTagRef {
    std::uint32_t target = 0;
    std::int32_t component = -1;
    std::uint32_t tag = 0;
  };
  struct btf *btf_ = nullptr;
  std::uint32_t count_ = 0;
  std::vector<DeclTagRef> decl_tag_index_;
};

} // namespace bpfcheck
