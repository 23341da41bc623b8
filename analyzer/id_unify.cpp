// Unifying pointer ids before a join: the same register holds one lookup's result on one path
// and another lookup's on the other (`sk = lookup(a); if (!sk) sk = lookup(b);`). Each id is
// unknown to the other state, so renaming one to the other changes no fact of either state, and
// the joined pointer keeps an id and its reference (surely held when held on both paths).
#include "analyzer/state.h"
#include "analyzer/transfer.h"

namespace bpfcheck::analyzer {
namespace {

bool occurs(State &s, std::uint32_t id) {
  if (s.refs().find(id))
    return true;
  bool found = false;
  for_each_value(s, [&](RegValue &v) { found |= v.id == id; });
  return found;
}

void rename(State &s, std::uint32_t from, std::uint32_t to) {
  for_each_value(s, [&](RegValue &v) {
    if (v.id == from)
      v.id = to;
  });
  s.refs().rename(from, to);
}

} // namespace

void unify_ids(State &a, State &b) {
  for (unsigned r = 0; r < State::kRegisters; ++r) {
    const RegValue &x = a.reg(r), &y = b.reg(r);
    if (x.id == 0 || y.id == 0 || x.id == y.id || !x.compatible(y))
      continue;
    std::uint32_t from = y.id, to = x.id;
    if (!occurs(a, from) && !occurs(b, to))
      rename(b, from, to);
  }
}

} // namespace bpfcheck::analyzer
