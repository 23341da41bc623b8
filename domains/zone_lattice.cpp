// Lattice operations of Zone: inclusion, join, meet, widening and narrowing, all defined on the
// closed form (stored edges plus the differences implied through zero).
#include "domains/zone.h"

#include <algorithm>

namespace bpfcheck::domains {

namespace {

using Weight = Zone::Weight;
using OptVar = std::optional<Zone::Var>;

// The tightest constant c this zone knows for the constraint named by (x, y): x - y <= c, or a
// bound when one side is absent (x <= c, or -y <= c).
std::optional<Weight> known(const Zone &z, OptVar x, OptVar y) {
  if (x && y)
    return z.diff_upper(*x, *y);
  if (x)
    return z.upper(*x);
  auto lo = z.lower(*y);
  if (!lo || *lo == INT64_MIN)
    return std::nullopt;
  return -*lo;
}

void impose(Zone &z, OptVar x, OptVar y, Weight c) {
  if (x && y)
    z.assume_diff(*x, *y, c);
  else if (x)
    z.assume_upper(*x, c);
  else if (c != INT64_MIN)
    z.assume_lower(*y, -c);
}

} // namespace

bool Zone::leq(const Zone &o) const {
  if (bottom_)
    return true;
  if (o.bottom_)
    return false;
  bool ok = true;
  o.for_each_constraint([&](OptVar x, OptVar y, Weight c) {
    if (!ok)
      return;
    auto mine = known(*this, x, y);
    ok = mine && *mine <= c;
  });
  return ok;
}

Zone Zone::join(const Zone &o) const {
  if (bottom_)
    return o;
  if (o.bottom_)
    return *this;
  Zone z;
  auto take = [&](const Zone &a, const Zone &b) {
    a.for_each_constraint([&](OptVar x, OptVar y, Weight c) {
      auto other = known(b, x, y);
      if (!other)
        return;
      Weight w = std::max(c, *other);
      if (x && y)
        z.put_edge(z.ensure_vertex(*y), z.ensure_vertex(*x), w);
      else if (x)
        z.up_[z.ensure_vertex(*x)] = w;
      else
        z.dn_[z.ensure_vertex(*y)] = w;
    });
  };
  take(*this, o);
  take(o, *this);
  return z;
}

Zone Zone::meet(const Zone &o) const {
  if (bottom_ || o.bottom_)
    return bottom();
  Zone z = *this;
  o.for_each_constraint([&](OptVar x, OptVar y, Weight c) { impose(z, x, y, c); });
  return z;
}

Zone Zone::widen(const Zone &o, std::span<const Weight> thresholds) const {
  if (bottom_)
    return o;
  if (o.bottom_)
    return *this;
  Zone z;
  for_each_constraint([&](OptVar x, OptVar y, Weight c) {
    auto other = known(o, x, y);
    if (!other)
      return;
    Weight w = c;
    if (*other > c) { // unstable: the nearest threshold above, or nothing
      w = kInf;
      for (Weight t : thresholds) {
        Weight bound = x ? t : (t == INT64_MIN ? kInf : -t); // -y <= -t for a lower bound t
        if (bound >= *other && bound < w)
          w = bound;
      }
      if (w == kInf || (x && y))
        return;
    }
    if (x && y)
      z.put_edge(z.ensure_vertex(*y), z.ensure_vertex(*x), w);
    else if (x)
      z.up_[z.ensure_vertex(*x)] = w;
    else
      z.dn_[z.ensure_vertex(*y)] = w;
  });
  // In split normal form a difference may be implied through zero on the left and stored on the
  // right; it is stable when the right one does not exceed the left's implied value.
  o.for_each_constraint([&](OptVar x, OptVar y, Weight c) {
    if (!x || !y)
      return;
    auto mine = known(*this, x, y);
    if (mine && c <= *mine)
      z.put_edge(z.ensure_vertex(*y), z.ensure_vertex(*x), *mine);
  });
  return z;
}

Zone Zone::narrow(const Zone &o) const {
  if (bottom_ || o.bottom_)
    return bottom();
  Zone z = *this;
  o.for_each_constraint([&](OptVar x, OptVar y, Weight c) {
    if (!known(*this, x, y))
      impose(z, x, y, c);
  });
  return z;
}

} // namespace bpfcheck::domains
