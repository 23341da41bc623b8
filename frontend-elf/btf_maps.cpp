// Btf::map_definitions: the struct encoding of bpf_helpers.h's __uint/__type/__array in the
// .maps DATASEC, read as libbpf's parse_btf_map_def does, with errors naming map and member.
#include "btf.h"

#include <bpf/btf.h>

#include <string>
namespace bpfcheck {
namespace {

constexpr std::uint32_t kMapTypeProgArray = 3;
constexpr std::uint32_t kMapTypeArrayOfMaps = 12;
constexpr std::uint32_t kMapTypeHashOfMaps = 13;
constexpr std::uint32_t kPinByName = 1;

class MapParser {
public:
  explicit MapParser(const Btf &btf) : btf_(btf) {}

  // `def_id` is the map's struct (after modifiers); `inner` for an __array(values) template.
  Result<BtfMapDefinition> parse(const std::string &map, std::uint32_t def_id, bool inner) const {
    BtfMapDefinition def;
    def.name = map;
    const btf_type *t = btf_.type(def_id);
    for (std::uint32_t i = 0; i < btf_vlen(t); ++i) {
      const btf_member &m = btf_members(t)[i];
      const std::string member(btf__str_by_offset(btf_.raw(), m.name_off));
      if (member.empty())
        return Error{"map '" + map + "': member #" + std::to_string(i) + " has no name"};
      if (auto problem = parse_member(def, member, m.type, i + 1 == btf_vlen(t), inner))
        return Error{"map '" + map + "': member '" + member + "': " + *problem};
    }
    if (def.type == 0)
      return Error{"map '" + map + "': the map type is not specified (missing __uint(type, ...))"};
    return def;
  }

private:
  using Problem = std::optional<std::string>;

  Problem parse_member(BtfMapDefinition &def, const std::string &member, std::uint32_t type,
                       bool last, bool inner) const {
    static const std::pair<const char *, std::uint32_t BtfMapDefinition::*> kUintMembers[] = {
        {"type", &BtfMapDefinition::type},
        {"max_entries", &BtfMapDefinition::max_entries},
        {"map_flags", &BtfMapDefinition::map_flags},
        {"numa_node", &BtfMapDefinition::numa_node},
        {"key_size", &BtfMapDefinition::key_size},
        {"value_size", &BtfMapDefinition::value_size},
        {"pinning", &BtfMapDefinition::pinning},
        {"map_extra", &BtfMapDefinition::map_extra}};
    for (const auto &[field, slot] : kUintMembers) {
      if (member != field)
        continue;
      std::uint32_t value = 0;
      if (auto problem = uint_value(type, value))
        return problem;
      if ((slot == &BtfMapDefinition::key_size && def.key_type != 0 && def.key_size != value) ||
          (slot == &BtfMapDefinition::value_size && def.value_type != 0 && def.value_size != value))
        return "conflicts with the size of the __type given earlier";
      if (slot == &BtfMapDefinition::pinning && value > kPinByName)
        return "invalid pinning value " + std::to_string(value);
      if (slot == &BtfMapDefinition::pinning && inner && value != 0)
        return std::string("an inner map cannot be pinned");
      def.*slot = value;
      return std::nullopt;
    }
    if (member == "key")
      return typed_member(type, def.key_size, def.key_type);
    if (member == "value")
      return typed_member(type, def.value_size, def.value_type);
    if (member == "values")
      return values_member(def, type, last, inner);
    return std::string("unknown member (libbpf rejects unknown .maps members)");
  }

  // __uint(name, N) is `int (*name)[N]`: N is the array's element count.
  Problem uint_value(std::uint32_t type, std::uint32_t &value) const {
    const std::uint32_t ptr = btf_.strip_modifiers(type);
    if (btf_.kind(ptr) != BTF_KIND_PTR)
      return "expected a pointer to an array (__uint), found " + btf_.describe(type);
    const std::uint32_t array = btf_.strip_modifiers(btf_.type(ptr)->type);
    if (btf_.kind(array) != BTF_KIND_ARRAY)
      return "expected a pointer to an array (__uint), found " + btf_.describe(type);
    value = btf_array(btf_.type(array))->nelems;
    return std::nullopt;
  }

  // __type(key, T) is `T *key`: the size is sizeof(T).
  Problem typed_member(std::uint32_t type, std::uint32_t &size, std::uint32_t &type_id) const {
    const std::uint32_t ptr = btf_.strip_modifiers(type);
    if (btf_.kind(ptr) != BTF_KIND_PTR)
      return "expected a pointer (__type), found " + btf_.describe(type);
    const std::uint32_t target = btf_.type(ptr)->type;
    const auto target_size = btf_.size_of(target);
    if (!target_size || *target_size == 0 || *target_size > 0xffffffffu)
      return "cannot determine the size of " + btf_.describe(target);
    if (size != 0 && size != *target_size)
      return "size " + std::to_string(*target_size) + " of " + btf_.describe(target) +
             " conflicts with the size " + std::to_string(size) + " given earlier";
    size = static_cast<std::uint32_t>(*target_size);
    type_id = target;
    return std::nullopt;
  }

  // __array(values, struct inner) is `struct inner *values[]`; for a prog array the element is a
  // function prototype and there is no template to keep.
  Problem values_member(BtfMapDefinition &def, std::uint32_t type, bool last, bool inner) const {
    const bool map_in_map = def.type == kMapTypeArrayOfMaps || def.type == kMapTypeHashOfMaps;
    if (inner)
      return std::string("multi-level inner maps are not supported");
    if (!last)
      return std::string("must be the last member");
    if (!map_in_map && def.type != kMapTypeProgArray)
      return std::string("only map-in-map and prog-array maps take __array(values, ...); set "
                         "__uint(type, ...) first");
    if (def.value_size != 0 && def.value_size != 4)
      return "value size " + std::to_string(def.value_size) + " conflicts with 4";
    def.value_size = 4;
    const std::uint32_t array = btf_.strip_modifiers(type);
    if (btf_.kind(array) != BTF_KIND_ARRAY || btf_array(btf_.type(array))->nelems != 0)
      return "expected a zero-length array (__array), found " + btf_.describe(type);
    const std::uint32_t ptr = btf_.strip_modifiers(btf_array(btf_.type(array))->type);
    if (btf_.kind(ptr) != BTF_KIND_PTR)
      return "expected an array of pointers (__array), found " + btf_.describe(type);
    const std::uint32_t element = btf_.strip_modifiers(btf_.type(ptr)->type);
    if (!map_in_map)
      return btf_.kind(element) == BTF_KIND_FUNC_PROTO
                 ? Problem{}
                 : "expected function pointers for a prog array, found " + btf_.describe(type);
    if (btf_.kind(element) != BTF_KIND_STRUCT)
      return "expected pointers to an inner map struct, found " + btf_.describe(type);
    auto template_def = parse(def.name + ".inner", element, true);
    if (!template_def)
      return template_def.error();
    def.inner = std::make_shared<BtfMapDefinition>(std::move(template_def).value());
    return std::nullopt;
  }

  const Btf &btf_;
};

} // namespace

Result<std::vector<BtfMapDefinition>> Btf::map_definitions() const {
  std::vector<BtfMapDefinition> maps;
  const MapParser parser(*this);
  for (const DatasecVar &var : datasec_vars(".maps")) {
    const btf_type *t = type(var.var_type);
    if (btf_kind(t) != BTF_KIND_VAR)
      return Error{"map '" + var.name + "': .maps entry is a " + describe(var.var_type) +
                   ", not a variable"};
    if (btf_var(t)->linkage > BTF_VAR_GLOBAL_ALLOCATED)
      return Error{"map '" + var.name + "': extern maps are not supported"};
    const std::uint32_t def_id = strip_modifiers(t->type);
    if (kind(def_id) != BTF_KIND_STRUCT)
      return Error{"map '" + var.name + "': expected a struct definition, found " +
                   describe(t->type)};
    // clang leaves DATASEC sizes and offsets 0 in a .o (libbpf fills them in from the symbol
    // table), so the slot size is only checked when it is known.
    if (var.size != 0 && type(def_id)->size > var.size)
      return Error{"map '" + var.name + "': the struct is larger than its .maps slot"};
    auto def = parser.parse(var.name, def_id, false);
    if (!def)
      return Error{def.error()};
    def->offset = var.offset;
    maps.push_back(std::move(def).value());
  }
  return maps;
}

} // namespace bpfcheck
