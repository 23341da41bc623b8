// Lattice operations of Zone: inclusion, join, meet, widening and narrowing, all defined on the
// closed form (stored edges plus the differences implied through zero).
#include "domains/zone.h"

#include <algorithm>

namespace bpfcheck::domains {

namespace {

using Weight = Zone::Weight;
// What a combined weight bounds: an upper bound, minus a lower bound, or a difference.
constexpr int kUpper = 0, kLower = 1, kDiff = 2;

Weight add_weights(Weight a, Weight b) {
  Weight r;
  if (a == Zone::kInf || b == Zone::kInf || __builtin_add_overflow(a, b, &r))
    return Zone::kInf;
  return r;
}
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

// Both zones are walked once, vertex by vertex: the other zone's row for the same variable is
// spread into a scratch array so that each stored edge finds its counterpart in O(1); a
// difference the other zone only implies through zero is read from its bounds.
template <typename F> Zone Zone::combine(const Zone &o, F combine_weights) const {
  Zone z;
  std::vector<Vertex> zmap(out_.size(), kNone);   // this vertex -> z vertex
  std::vector<Vertex> omap(out_.size(), kNone);   // this vertex -> o vertex
  std::vector<Vertex> back(o.out_.size(), kNone); // o vertex -> this vertex
  for (Vertex u = 0; u < out_.size(); ++u) {
    if (!live_[u])
      continue;
    Vertex ou = o.vertex_of(vertex_var_[u]);
    if (ou == kNone)
      continue;
    omap[u] = ou;
    back[ou] = u;
    zmap[u] = z.ensure_vertex(vertex_var_[u]);
    z.up_[zmap[u]] = combine_weights(up_[u], o.up_[ou], kUpper);
    z.dn_[zmap[u]] = combine_weights(dn_[u], o.dn_[ou], kLower);
  }
  std::vector<Weight> theirs(o.out_.size(), kInf), mine(out_.size(), kInf);
  for (Vertex u = 0; u < out_.size(); ++u) {
    Vertex ou = omap[u];
    if (ou == kNone)
      continue;
    for (const Edge &e : o.out_[ou])
      theirs[e.v] = e.w;
    for (const Edge &e : out_[u])
      mine[e.v] = e.w;
    for (const Edge &e : out_[u]) { // stored here
      Vertex ov = omap[e.v];
      if (ov == kNone)
        continue;
      Weight t = std::min(theirs[ov], add_weights(o.dn_[ou], o.up_[ov]));
      Weight w = combine_weights(std::min(e.w, add_weights(dn_[u], up_[e.v])), t, kDiff);
      if (w != kInf)
        z.put_edge(zmap[u], zmap[e.v], w);
    }
    for (const Edge &e : o.out_[ou]) { // stored only there
      Vertex v = back[e.v];
      if (v == kNone || mine[v] != kInf)
        continue;
      Weight w = combine_weights(add_weights(dn_[u], up_[v]), e.w, kDiff);
      if (w != kInf)
        z.put_edge(zmap[u], zmap[v], w);
    }
    for (const Edge &e : o.out_[ou])
      theirs[e.v] = kInf;
    for (const Edge &e : out_[u])
      mine[e.v] = kInf;
  }
  return z;
}

Zone Zone::join(const Zone &o) const {
  if (bottom_)
    return o;
  if (o.bottom_)
    return *this;
  return combine(o, [](Weight a, Weight b, int) { return std::max(a, b); });
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
  // Stable constraints stay; an unstable bound moves to the nearest threshold, an unstable
  // difference goes. An upper bound stops at a threshold t, a lower one at -t (as a weight).
  return combine(o, [&](Weight mine, Weight theirs, int kind) {
    if (theirs <= mine)
      return mine;
    Weight w = kInf;
    if (kind == kDiff)
      return w;
    bool upper = kind == kUpper;
    for (Weight t : thresholds) {
      Weight bound = upper ? t : (t == INT64_MIN ? kInf : -t);
      if (bound >= theirs && bound < w)
        w = bound;
    }
    return w;
  });
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
