// Lattice operations of the reference set: absent and held are below "maybe held".
#include "analyzer/references.h"

namespace bpfcheck::analyzer {

const References::Ref *References::find(std::uint32_t id) const {
  for (const Ref &r : *this)
    if (r.id == id)
      return &r;
  return nullptr;
}

void References::acquire(std::uint32_t id, std::uint16_t helper) {
  release(id);
  if (count_ < kCapacity)
    refs_[count_++] = Ref{id, helper, false};
}

void References::release(std::uint32_t id) {
  for (unsigned i = 0; i < count_; ++i)
    if (refs_[i].id == id) {
      refs_[i] = refs_[count_ - 1];
      refs_[--count_] = Ref{};
      return;
    }
}

void References::confirm(std::uint32_t id) {
  for (unsigned i = 0; i < count_; ++i)
    if (refs_[i].id == id)
      refs_[i].maybe = false;
}

void References::rename(std::uint32_t from, std::uint32_t to) {
  for (unsigned i = 0; i < count_; ++i)
    if (refs_[i].id == from)
      refs_[i].id = to;
}

bool References::leq(const References &o) const {
  for (const Ref &r : *this) {
    const Ref *other = o.find(r.id);
    if (!other || (r.maybe && !other->maybe))
      return false;
  }
  for (const Ref &r : o)
    if (!r.maybe && !find(r.id))
      return false;
  return true;
}

// On overflow the joined set keeps the first kCapacity ids; acquisitions are refused (as
// unsupported) before a set can fill up, so this does not happen on checked paths.
References References::join(const References &o) const {
  References r;
  auto add = [&](const Ref &ref, bool maybe) {
    if (r.count_ < kCapacity && !r.find(ref.id))
      r.refs_[r.count_++] = Ref{ref.id, ref.helper, maybe};
  };
  for (const Ref &a : *this) {
    const Ref *b = o.find(a.id);
    add(a, a.maybe || !b || b->maybe);
  }
  for (const Ref &b : o)
    add(b, true);
  return r;
}

} // namespace bpfcheck::analyzer
