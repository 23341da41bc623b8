// C-like spellings of BTF types for messages ("struct iphdr *", "int (*)[16]",
// "int xdp_prog(struct xdp_md *ctx)"): declarators built inside out, depth-bounded so that a
// hostile chain of pointers cannot recurse without end.
#include "btf.h"

#include <bpf/btf.h>

#include <string>

namespace bpfcheck {
namespace {

constexpr unsigned kMaxSpellingDepth = 32; // deeper declarators are elided, never recursed

std::string join_declarator(const std::string &base, const std::string &inner) {
  if (inner.empty())
    return base;
  return inner[0] == '[' ? base + inner : base + " " + inner;
}

std::string tagged(const char *what, std::string_view value) {
  return std::string("__attribute__((") + what + "(\"" + std::string(value) + "\")))";
}

// Spells `id` as a C declarator around `inner` (what has been wrapped so far, e.g. "*p").
std::string spell(const Btf &btf, std::uint32_t id, const std::string &inner, unsigned depth,
                  bool param_names = false);

std::string spell_params(const Btf &btf, const btf_type *proto, unsigned depth, bool names) {
  const std::uint32_t vlen = btf_vlen(proto);
  if (vlen == 0)
    return "void";
  std::string text;
  for (std::uint32_t i = 0; i < vlen; ++i) {
    const btf_param &param = btf_params(proto)[i];
    if (i != 0)
      text += ", ";
    if (param.type == 0 && i + 1 == vlen) {
      text += "...";
      continue;
    }
    const char *param_name = names ? btf__str_by_offset(btf.raw(), param.name_off) : nullptr;
    text += spell(btf, param.type, param_name ? param_name : "", depth + 1);
  }
  return text;
}

std::string spell_qualified(const Btf &btf, const btf_type *t, const std::string &qualifier,
                            const std::string &inner, unsigned depth) {
  // `int *const p`: a qualifier on a pointer goes right of the star.
  if (btf.kind(t->type) == BTF_KIND_PTR)
    return spell(btf, t->type, inner.empty() ? qualifier : qualifier + " " + inner, depth + 1);
  return qualifier + " " + spell(btf, t->type, inner, depth + 1);
}

std::string spell(const Btf &btf, std::uint32_t id, const std::string &inner, unsigned depth,
                  bool param_names) {
  const btf_type *t = btf.type(id);
  if (depth > kMaxSpellingDepth)
    return join_declarator("...", inner);
  if (id == 0 || t == nullptr)
    return join_declarator(id == 0 ? "void" : "<invalid type>", inner);
  const std::string name(btf.name(id));
  const std::string tag = name.empty() ? std::string("{...}") : name;
  switch (btf_kind(t)) {
  case BTF_KIND_STRUCT:
    return join_declarator("struct " + tag, inner);
  case BTF_KIND_UNION:
    return join_declarator("union " + tag, inner);
  case BTF_KIND_ENUM:
  case BTF_KIND_ENUM64:
    return join_declarator("enum " + tag, inner);
  case BTF_KIND_FWD:
    return join_declarator((btf_kflag(t) ? "union " : "struct ") + tag, inner);
  case BTF_KIND_PTR: {
    const std::uint32_t target = btf.kind(t->type);
    const bool wrap = target == BTF_KIND_ARRAY || target == BTF_KIND_FUNC_PROTO;
    return spell(btf, t->type, wrap ? "(*" + inner + ")" : "*" + inner, depth + 1);
  }
  case BTF_KIND_CONST:
    return spell_qualified(btf, t, "const", inner, depth);
  case BTF_KIND_VOLATILE:
    return spell_qualified(btf, t, "volatile", inner, depth);
  case BTF_KIND_RESTRICT:
    return spell_qualified(btf, t, "restrict", inner, depth);
  case BTF_KIND_TYPE_TAG:
    return spell_qualified(btf, t, tagged("btf_type_tag", name), inner, depth);
  case BTF_KIND_ARRAY:
    return spell(btf, btf_array(t)->type, inner + "[" + std::to_string(btf_array(t)->nelems) + "]",
                 depth + 1);
  case BTF_KIND_FUNC_PROTO:
    return spell(btf, t->type, inner + "(" + spell_params(btf, t, depth, param_names) + ")",
                 depth + 1);
  case BTF_KIND_FUNC:
    return spell(btf, t->type, name, depth + 1, true);
  case BTF_KIND_VAR:
    return spell(btf, t->type, name, depth + 1);
  case BTF_KIND_DATASEC:
    return "SEC(\"" + name + "\")";
  case BTF_KIND_DECL_TAG:
    return tagged("btf_decl_tag", name);
  default: // INT, FLOAT, TYPEDEF: the name is the spelling
    return join_declarator(name, inner);
  }
}

} // namespace

std::string Btf::describe(std::uint32_t id) const { return spell(*this, id, "", 0); }

} // namespace bpfcheck
