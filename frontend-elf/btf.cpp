// BTF of one object: libbpf's btf__new() does the parsing, then our own validation pass makes
// every later query safe on hostile input (all ids in range, names inside the string section,
// no reference cycles). Also the basic queries on top; spellings are in btf_describe.cpp and
// .maps definitions in btf_maps.cpp.
#include "btf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace bpfcheck {
namespace {

constexpr std::uint32_t kHeaderSize = 24; // struct btf_header as of version 1
constexpr std::uint16_t kMagic = 0xeB9F;

// libbpf reports why it rejected a blob only through its print callback, which is process-wide.
// We install one callback once and let each parse on this thread capture the last message, so
// parallel parses do not mix their messages and nothing is printed to stderr.
thread_local std::string *captured_message = nullptr;

int capture_libbpf_print(enum libbpf_print_level, const char *format, va_list args) {
  if (captured_message == nullptr)
    return 0;
  char buffer[512];
  if (std::vsnprintf(buffer, sizeof buffer, format, args) <= 0)
    return 0;
  std::string message = buffer;
  while (!message.empty() && (message.back() == '\n' || message.back() == '.'))
    message.pop_back();
  if (message.rfind("libbpf: ", 0) == 0)
    message.erase(0, 8);
  *captured_message = message;
  return 0;
}

void install_libbpf_print() {
  static std::once_flag once;
  std::call_once(once, [] { libbpf_set_print(capture_libbpf_print); });
}

std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t at) {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  return value;
}

std::string fmt_section(const char *what, std::uint32_t off, std::uint32_t len) {
  return std::string(what) + " section (offset " + std::to_string(off) + ", length " +
         std::to_string(len) + ")";
}

// Checks the header ourselves: libbpf's messages are terse, and it accepts unaligned layouts
// that would make our reads of struct btf_type misaligned.
std::optional<std::string> check_header(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kHeaderSize)
    return "BTF is truncated: " + std::to_string(bytes.size()) +
           " bytes, but the header alone needs 24";
  if (bytes.size() > 0xffffffffu)
    return std::string("BTF is larger than 4 GiB");
  std::uint16_t magic = 0;
  std::memcpy(&magic, bytes.data(), sizeof magic);
  if (magic == 0x9FeB)
    return std::string("BTF is big-endian; only native (little-endian) BTF is supported");
  if (magic != kMagic) {
    char text[64];
    std::snprintf(text, sizeof text, "bad BTF magic 0x%04x (expected 0xeb9f)", magic);
    return std::string(text);
  }
  if (bytes[2] != 1)
    return "unsupported BTF version " + std::to_string(bytes[2]) + " (expected 1)";
  const std::uint64_t hdr_len = read_u32(bytes, 4), type_off = read_u32(bytes, 8),
                      type_len = read_u32(bytes, 12), str_off = read_u32(bytes, 16),
                      str_len = read_u32(bytes, 20), size = bytes.size();
  if (hdr_len < kHeaderSize || hdr_len > size || hdr_len % 4 != 0)
    return "BTF header length " + std::to_string(hdr_len) + " is invalid (must be a multiple " +
           "of 4 between 24 and the section size " + std::to_string(size) + ")";
  if (type_off % 4 != 0 || hdr_len + type_off + type_len > size)
    return "BTF " + fmt_section("type", type_off, type_len) + " lies outside the " +
           std::to_string(size) + "-byte section or is misaligned";
  if (str_len == 0 || hdr_len + str_off + str_len > size)
    return "BTF " + fmt_section("string", str_off, str_len) + " is empty or lies outside the " +
           std::to_string(size) + "-byte section";
  if (type_off + type_len > str_off)
    return std::string("BTF type section overlaps or follows the string section");
  return std::nullopt;
}

const char *kind_name(std::uint32_t kind) {
  static const char *const names[] = {"VOID",    "INT",      "PTR",      "ARRAY",      "STRUCT",
                                      "UNION",   "ENUM",     "FWD",      "TYPEDEF",    "VOLATILE",
                                      "CONST",   "RESTRICT", "FUNC",     "FUNC_PROTO", "VAR",
                                      "DATASEC", "FLOAT",    "DECL_TAG", "TYPE_TAG",   "ENUM64"};
  return kind < std::size(names) ? names[kind] : "UNKNOWN";
}

bool is_modifier(std::uint32_t kind) {
  return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_VOLATILE || kind == BTF_KIND_CONST ||
         kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG;
}

// Kinds a type reference (pointer target, member, parameter, ...) may name: not the
// declaration-like kinds, which would let a hostile blob build cycles through them.
bool is_value_kind(std::uint32_t kind) {
  return kind != BTF_KIND_FUNC && kind != BTF_KIND_VAR && kind != BTF_KIND_DATASEC &&
         kind != BTF_KIND_DECL_TAG;
}

// The validation pass. Each check_* returns the problem with type `id`, if any.
class Validator {
public:
  explicit Validator(const struct btf *btf) : btf_(btf), count_(btf__type_cnt(btf)) {}

  std::optional<std::string> run() {
    for (std::uint32_t id = 1; id < count_; ++id)
      if (auto problem = check_type(id))
        return "BTF type [" + std::to_string(id) + "] " + *problem;
    return check_cycles();
  }

private:
  const btf_type *type(std::uint32_t id) const { return btf__type_by_id(btf_, id); }
  std::uint32_t kind_of(std::uint32_t id) const { return id == 0 ? 0 : btf_kind(type(id)); }

  std::optional<std::string> check_name(std::uint32_t offset, const char *what) const {
    if (btf__str_by_offset(btf_, offset) != nullptr)
      return std::nullopt;
    return std::string(what) + " name offset " + std::to_string(offset) +
           " is outside the string section";
  }

  // A reference to a value type: in range, and not to a FUNC/VAR/DATASEC/DECL_TAG.
  std::optional<std::string> check_ref(std::uint32_t ref, const char *what) const {
    if (ref >= count_)
      return std::string(what) + " refers to type id " + std::to_string(ref) +
             ", but there are only " + std::to_string(count_) + " types";
    if (!is_value_kind(kind_of(ref)))
      return std::string(what) + " refers to type [" + std::to_string(ref) + "] of kind " +
             kind_name(kind_of(ref)) + ", which is not a data type";
    return std::nullopt;
  }

  std::optional<std::string> check_type(std::uint32_t id) const {
    const btf_type *t = type(id);
    const std::uint32_t kind = btf_kind(t);
    if (kind == BTF_KIND_UNKN || kind > BTF_KIND_ENUM64)
      return "has unknown kind " + std::to_string(kind);
    if (auto problem = check_name(t->name_off, kind_name(kind)))
      return problem;
    if (auto problem = check_body(id, t, kind))
      return std::string(kind_name(kind)) + " " + *problem;
    return std::nullopt;
  }

  std::optional<std::string> check_sized(const btf_type *t,
                                         std::initializer_list<unsigned> ok) const {
    if (std::find(ok.begin(), ok.end(), t->size) == ok.end())
      return "has invalid size " + std::to_string(t->size);
    return std::nullopt;
  }

  std::optional<std::string> check_vlen_zero(const btf_type *t) const {
    if (btf_vlen(t) != 0)
      return "has vlen " + std::to_string(btf_vlen(t)) + ", expected 0";
    return std::nullopt;
  }

  std::optional<std::string> check_body(std::uint32_t id, const btf_type *t,
                                        std::uint32_t kind) const {
    switch (kind) {
    case BTF_KIND_INT: {
      if (auto problem = check_sized(t, {1, 2, 4, 8, 16}))
        return problem;
      if (btf_int_bits(t) > 128 || btf_int_offset(t) + btf_int_bits(t) > t->size * 8u)
        return std::string("has bit offset/width outside its size");
      return check_vlen_zero(t);
    }
    case BTF_KIND_FLOAT:
      return check_sized(t, {2, 4, 8, 12, 16});
    case BTF_KIND_PTR:
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
      if (auto problem = check_vlen_zero(t))
        return problem;
      return check_ref(t->type, "target");
    case BTF_KIND_ARRAY:
      if (auto problem = check_ref(btf_array(t)->type, "element type"))
        return problem;
      return check_ref(btf_array(t)->index_type, "index type");
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
      return check_members(t);
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      return check_enumerators(t, kind);
    case BTF_KIND_FUNC:
      if (t->type >= count_ || kind_of(t->type) != BTF_KIND_FUNC_PROTO)
        return "refers to type id " + std::to_string(t->type) + ", which is not a FUNC_PROTO";
      return btf_vlen(t) > 2 ? std::optional<std::string>("has invalid linkage") : std::nullopt;
    case BTF_KIND_FUNC_PROTO:
      return check_params(t);
    case BTF_KIND_VAR:
      if (t->type == 0)
        return std::string("has type void");
      return check_ref(t->type, "type");
    case BTF_KIND_DATASEC:
      return check_datasec(t);
    case BTF_KIND_DECL_TAG:
      return check_decl_tag(id, t);
    default: // FWD
      return std::nullopt;
    }
  }

  std::optional<std::string> check_members(const btf_type *t) const {
    const btf_member *members = btf_members(t);
    for (std::uint32_t i = 0; i < btf_vlen(t); ++i) {
      if (auto problem = check_name(members[i].name_off, "member"))
        return problem;
      if (auto problem = check_ref(members[i].type, "member"))
        return "member #" + std::to_string(i) + ": " + *problem;
    }
    return std::nullopt;
  }

  std::optional<std::string> check_enumerators(const btf_type *t, std::uint32_t kind) const {
    if (auto problem = check_sized(t, {1, 2, 4, 8}))
      return problem;
    for (std::uint32_t i = 0; i < btf_vlen(t); ++i) {
      const std::uint32_t name =
          kind == BTF_KIND_ENUM ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off;
      if (auto problem = check_name(name, "enumerator"))
        return problem;
    }
    return std::nullopt;
  }

  std::optional<std::string> check_params(const btf_type *t) const {
    if (t->type != 0)
      if (auto problem = check_ref(t->type, "return type"))
        return problem;
    const btf_param *params = btf_params(t);
    const std::uint32_t vlen = btf_vlen(t);
    for (std::uint32_t i = 0; i < vlen; ++i) {
      if (auto problem = check_name(params[i].name_off, "parameter"))
        return problem;
      if (params[i].type == 0 && i + 1 == vlen && params[i].name_off == 0)
        continue; // "...": a trailing void parameter without a name
      if (auto problem = check_ref(params[i].type, "parameter"))
        return "parameter #" + std::to_string(i) + ": " + *problem;
    }
    return std::nullopt;
  }

  std::optional<std::string> check_datasec(const btf_type *t) const {
    const btf_var_secinfo *vars = btf_var_secinfos(t);
    for (std::uint32_t i = 0; i < btf_vlen(t); ++i) {
      const std::uint32_t ref = vars[i].type;
      if (ref == 0 || ref >= count_ ||
          (kind_of(ref) != BTF_KIND_VAR && kind_of(ref) != BTF_KIND_FUNC))
        return "entry #" + std::to_string(i) + " refers to type id " + std::to_string(ref) +
               ", which is not a VAR or FUNC";
    }
    return std::nullopt;
  }

  std::optional<std::string> check_decl_tag(std::uint32_t, const btf_type *t) const {
    const std::uint32_t target = t->type;
    if (target == 0 || target >= count_ || kind_of(target) == BTF_KIND_DECL_TAG ||
        kind_of(target) == BTF_KIND_DATASEC)
      return "refers to type id " + std::to_string(target) + ", which cannot carry a tag";
    const std::int32_t component = btf_decl_tag(t)->component_idx;
    if (component == -1)
      return std::nullopt;
    const btf_type *owner = type(target);
    std::uint32_t limit = 0;
    if (btf_is_composite(owner))
      limit = btf_vlen(owner);
    else if (btf_is_func(owner) && owner->type < count_ &&
             kind_of(owner->type) == BTF_KIND_FUNC_PROTO)
      limit = btf_vlen(type(owner->type)); // the FUNC itself may not have been checked yet
    if (component < 0 || static_cast<std::uint32_t>(component) >= limit)
      return "component index " + std::to_string(component) + " is out of range for type [" +
             std::to_string(target) + "]";
    return std::nullopt;
  }

  // Calls `visit` on every edge that recursion could follow without passing through a struct,
  // union or enum: those are the edges along which a cycle would make a walk loop.
  template <typename Visit> void for_each_edge(std::uint32_t id, Visit visit) const {
    const btf_type *t = type(id);
    switch (btf_kind(t)) {
    case BTF_KIND_ARRAY:
      visit(btf_array(t)->type);
      visit(btf_array(t)->index_type);
      return;
    case BTF_KIND_FUNC_PROTO:
      visit(t->type);
      for (std::uint32_t i = 0; i < btf_vlen(t); ++i)
        visit(btf_params(t)[i].type);
      return;
    case BTF_KIND_PTR:
    case BTF_KIND_FUNC:
    case BTF_KIND_VAR:
      visit(t->type);
      return;
    default:
      if (is_modifier(btf_kind(t)))
        visit(t->type);
    }
  }

  // Iterative depth-first search (a recursive one would overflow the stack on a long chain).
  std::optional<std::string> check_cycles() const {
    enum : std::uint8_t { kNew, kOpen, kDone };
    std::vector<std::uint8_t> state(count_, kNew);
    std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>> stack;
    for (std::uint32_t root = 1; root < count_; ++root) {
      if (state[root] != kNew)
        continue;
      auto open = [&](std::uint32_t id) {
        state[id] = kOpen;
        std::vector<std::uint32_t> next;
        for_each_edge(id, [&](std::uint32_t ref) {
          if (ref != 0)
            next.push_back(ref);
        });
        stack.emplace_back(id, std::move(next));
      };
      open(root);
      while (!stack.empty()) {
        auto &[id, next] = stack.back();
        if (next.empty()) {
          state[id] = kDone;
          stack.pop_back();
          continue;
        }
        const std::uint32_t ref = next.back();
        next.pop_back();
        if (state[ref] == kOpen)
          return "BTF type [" + std::to_string(ref) + "] " + kind_name(kind_of(ref)) +
                 " is part of a reference cycle (through type [" + std::to_string(id) + "])";
        if (state[ref] == kNew)
          open(ref);
      }
    }
    return std::nullopt;
  }

  const struct btf *btf_;
  std::uint32_t count_;
};

} // namespace

Result<std::shared_ptr<const Btf>> Btf::parse(std::span<const std::uint8_t> bytes) {
  if (auto problem = check_header(bytes))
    return Error{*problem};
  install_libbpf_print();
  std::string libbpf_message;
  captured_message = &libbpf_message;
  struct btf *parsed = btf__new(bytes.data(), static_cast<std::uint32_t>(bytes.size()));
  const int error = errno;
  captured_message = nullptr;
  if (libbpf_get_error(parsed) != 0 || parsed == nullptr) {
    if (libbpf_message.empty())
      libbpf_message = std::strerror(error);
    return Error{"invalid BTF: " + libbpf_message};
  }
  std::shared_ptr<Btf> result(new Btf(parsed));
  if (auto problem = Validator(parsed).run())
    return Error{"invalid BTF: " + *problem};
  for (std::uint32_t id = 1; id < result->count_; ++id) {
    const btf_type *t = result->type(id);
    if (btf_is_decl_tag(t))
      result->decl_tag_index_.push_back({t->type, btf_decl_tag(t)->component_idx, id});
  }
  std::sort(result->decl_tag_index_.begin(), result->decl_tag_index_.end(),
            [](const DeclTagRef &a, const DeclTagRef &b) {
              return std::tie(a.target, a.component, a.tag) <
                     std::tie(b.target, b.component, b.tag);
            });
  return std::shared_ptr<const Btf>(std::move(result));
}

Btf::Btf(struct btf *parsed) : btf_(parsed), count_(btf__type_cnt(parsed)) {}

Btf::~Btf() { btf__free(btf_); }

std::uint32_t Btf::type_count() const { return count_; }

const btf_type *Btf::type(std::uint32_t id) const {
  return id < count_ ? btf__type_by_id(btf_, id) : nullptr;
}

std::uint32_t Btf::kind(std::uint32_t id) const {
  const btf_type *t = type(id);
  return t == nullptr || id == 0 ? std::uint32_t{BTF_KIND_UNKN} : std::uint32_t{btf_kind(t)};
}

std::string_view Btf::name(std::uint32_t id) const {
  const btf_type *t = type(id);
  if (t == nullptr || id == 0)
    return {};
  const char *text = btf__str_by_offset(btf_, t->name_off);
  return text == nullptr ? std::string_view{} : std::string_view(text);
}

std::uint32_t Btf::strip_modifiers(std::uint32_t id) const {
  // Validation rules out cycles; the bound is a second line of defence.
  for (std::uint32_t steps = 0; steps < count_ && id < count_ && is_modifier(kind(id)); ++steps)
    id = type(id)->type;
  return id;
}

std::optional<std::uint64_t> Btf::size_of(std::uint32_t id) const {
  std::uint64_t factor = 1;
  for (std::uint32_t steps = 0; steps <= count_; ++steps) {
    const btf_type *t = type(id);
    if (t == nullptr || id == 0)
      return std::nullopt;
    const std::uint32_t k = btf_kind(t);
    if (is_modifier(k) || k == BTF_KIND_VAR) {
      id = t->type;
    } else if (k == BTF_KIND_ARRAY) {
      const std::uint64_t n = btf_array(t)->nelems;
      if (n != 0 && factor > (std::uint64_t{1} << 40) / n)
        return std::nullopt; // absurdly large: treat as unsized rather than overflow
      factor *= n;
      id = btf_array(t)->type;
    } else if (k == BTF_KIND_PTR) {
      return factor * 8; // BPF pointers are 64-bit whatever the host is
    } else if (k == BTF_KIND_INT || k == BTF_KIND_STRUCT || k == BTF_KIND_UNION ||
               k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64 || k == BTF_KIND_FLOAT ||
               k == BTF_KIND_DATASEC) {
      return factor * t->size;
    } else {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::uint32_t> Btf::find(std::string_view wanted, std::uint32_t wanted_kind) const {
  for (std::uint32_t id = 1; id < count_; ++id)
    if (kind(id) == wanted_kind && name(id) == wanted)
      return id;
  return std::nullopt;
}

std::vector<std::string> Btf::decl_tags(std::uint32_t id, int component) const {
  const DeclTagRef key{id, component, 0};
  auto first =
      std::lower_bound(decl_tag_index_.begin(), decl_tag_index_.end(), key,
                       [](const DeclTagRef &a, const DeclTagRef &b) {
                         return std::tie(a.target, a.component) < std::tie(b.target, b.component);
                       });
  std::vector<std::string> tags;
  for (; first != decl_tag_index_.end() && first->target == id && first->component == component;
       ++first)
    tags.emplace_back(name(first->tag));
  return tags;
}

std::vector<Btf::DatasecVar> Btf::datasec_vars(std::string_view datasec) const {
  std::vector<DatasecVar> vars;
  const auto id = find(datasec, BTF_KIND_DATASEC);
  if (!id)
    return vars;
  const btf_type *t = type(*id);
  for (std::uint32_t i = 0; i < btf_vlen(t); ++i) {
    const btf_var_secinfo &info = btf_var_secinfos(t)[i];
    vars.push_back({std::string(name(info.type)), info.type, info.offset, info.size});
  }
  return vars;
}

} // namespace bpfcheck
