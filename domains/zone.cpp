// Zone operations. The stored relational graph together with the implicit paths through zero is
// kept closed: after adding u -> v, every stored predecessor of u reaches every stored successor
// of v directly, and bounds move along the same edges. That costs |pred(u)| x |succ(v)| per
// constraint instead of a cubic closure.
#include "domains/zone.h"

#include <algorithm>

namespace bpfcheck::domains {

namespace {

using Weight = Zone::Weight;

// Sum of two weights; kInf (no constraint) on infinity or on overflow, which only drops a
// derived constraint and so stays sound.
Weight add(Weight a, Weight b) {
  Weight r;
  if (a == Zone::kInf || b == Zone::kInf || __builtin_add_overflow(a, b, &r))
    return Zone::kInf;
  return r;
}

template <typename Vec> auto find_edge(Vec &edges, std::uint32_t v) {
  return std::lower_bound(edges.begin(), edges.end(), v,
                          [](const auto &e, std::uint32_t x) { return e.v < x; });
}

} // namespace

bool Zone::is_top() const {
  if (bottom_)
    return false;
  for (Vertex v = 0; v < live_.size(); ++v)
    if (live_[v] && (up_[v] != kInf || dn_[v] != kInf || !out_[v].empty()))
      return false;
  return true;
}

std::size_t Zone::num_edges() const {
  std::size_t n = 0;
  for (const auto &o : out_)
    n += o.size();
  return n;
}

Zone::Vertex Zone::ensure_vertex(Var x) {
  if (x >= var_vertex_.size())
    var_vertex_.resize(x + 1, kNone);
  if (var_vertex_[x] != kNone)
    return var_vertex_[x];
  Vertex v;
  if (!free_.empty()) {
    v = free_.back();
    free_.pop_back();
  } else {
    v = static_cast<Vertex>(out_.size());
    out_.emplace_back();
    in_.emplace_back();
    up_.push_back(kInf);
    dn_.push_back(kInf);
    live_.push_back(false);
    vertex_var_.push_back(0);
  }
  live_[v] = true;
  vertex_var_[v] = x;
  up_[v] = dn_[v] = kInf;
  var_vertex_[x] = v;
  return v;
}

Weight Zone::edge(Vertex u, Vertex v) const {
  auto it = find_edge(out_[u], v);
  return it != out_[u].end() && it->v == v ? it->w : kInf;
}

Weight Zone::closure(Vertex u, Vertex v) const {
  if (u == v)
    return 0;
  return std::min(edge(u, v), add(dn_[u], up_[v]));
}

void Zone::put_edge(Vertex u, Vertex v, Weight w) {
  auto &o = out_[u];
  auto it = find_edge(o, v);
  if (it != o.end() && it->v == v) {
    if (it->w <= w)
      return;
    it->w = w;
    find_edge(in_[v], u)->w = w;
    return;
  }
  o.insert(it, Edge{v, w});
  auto &i = in_[v];
  i.insert(find_edge(i, u), Edge{u, w});
}

void Zone::set_bottom() { *this = bottom(); }

void Zone::add_edge(Vertex u, Vertex v, Weight w) {
  if (bottom_)
    return;
  if (u == v) {
    if (w < 0)
      set_bottom();
    return;
  }
  if (closure(u, v) <= w)
    return;
  Weight back = closure(v, u);
  if (back != kInf && add(back, w) < 0)
    return set_bottom();
  // Paths i -> u -> v -> j through the new edge; the lists are copied as put_edge edits them.
  std::vector<Edge> srcs(in_[u]), dsts(out_[v]);
  srcs.push_back({u, 0});
  dsts.push_back({v, 0});
  Weight up_u = up_[u], dn_v = dn_[v];
  for (const Edge &s : srcs) {
    Weight sw = add(s.w, w);
    for (const Edge &d : dsts) {
      if (s.v == d.v)
        continue;
      Weight c = add(sw, d.w);
      if (c != kInf && c < closure(s.v, d.v))
        put_edge(s.v, d.v, c);
    }
  }
  for (const Edge &d : dsts)
    if (Weight c = add(add(up_u, w), d.w); c < up_[d.v])
      up_[d.v] = c;
  for (const Edge &s : srcs)
    if (Weight c = add(add(s.w, w), dn_v); c < dn_[s.v])
      dn_[s.v] = c;
  for (const Edge &d : dsts)
    if (add(up_[d.v], dn_[d.v]) < 0)
      return set_bottom();
  for (const Edge &s : srcs)
    if (add(up_[s.v], dn_[s.v]) < 0)
      return set_bottom();
}

void Zone::tighten_upper(Vertex v, Weight c) {
  if (bottom_ || c >= up_[v])
    return;
  if (add(c, dn_[v]) < 0)
    return set_bottom();
  up_[v] = c;
  for (const Edge &e : out_[v]) {
    Weight nu = add(c, e.w);
    if (nu < up_[e.v]) {
      if (add(nu, dn_[e.v]) < 0)
        return set_bottom();
      up_[e.v] = nu;
    }
  }
}

void Zone::tighten_lower_neg(Vertex v, Weight d) {
  if (bottom_ || d >= dn_[v])
    return;
  if (add(up_[v], d) < 0)
    return set_bottom();
  dn_[v] = d;
  for (const Edge &e : in_[v]) {
    Weight nd = add(e.w, d);
    if (nd < dn_[e.v]) {
      if (add(up_[e.v], nd) < 0)
        return set_bottom();
      dn_[e.v] = nd;
    }
  }
}

void Zone::assume_upper(Var x, Weight c) {
  if (!bottom_)
    tighten_upper(ensure_vertex(x), c);
}

void Zone::assume_lower(Var x, Weight c) {
  if (!bottom_ && c != INT64_MIN)
    tighten_lower_neg(ensure_vertex(x), -c);
}

void Zone::assume_diff(Var x, Var y, Weight c) {
  if (bottom_)
    return;
  if (x == y) {
    if (c < 0)
      set_bottom();
    return;
  }
  Vertex u = ensure_vertex(y);
  Vertex v = ensure_vertex(x);
  add_edge(u, v, c);
}

void Zone::drop_vertex(Vertex v) {
  for (const Edge &e : out_[v]) {
    auto &i = in_[e.v];
    i.erase(find_edge(i, v));
  }
  for (const Edge &e : in_[v]) {
    auto &o = out_[e.v];
    o.erase(find_edge(o, v));
  }
  out_[v].clear();
  in_[v].clear();
  up_[v] = dn_[v] = kInf;
  live_[v] = false;
  var_vertex_[vertex_var_[v]] = kNone;
  free_.push_back(v);
}

void Zone::forget(Var x) {
  if (bottom_)
    return;
  if (Vertex v = vertex_of(x); v != kNone)
    drop_vertex(v);
}

void Zone::assign_add_constant(Var x, Var y, Weight k) {
  if (bottom_)
    return;
  Weight neg_k = k == INT64_MIN ? kInf : -k;
  if (x == y) { // x := x + k: translate every constraint on x
    Vertex v = vertex_of(x);
    if (v == kNone)
      return;
    std::vector<Edge> outs(out_[v]), ins(in_[v]);
    Weight up = add(up_[v], k), dn = add(dn_[v], neg_k);
    drop_vertex(v);
    v = ensure_vertex(x);
    up_[v] = up;
    dn_[v] = dn;
    for (const Edge &e : outs)
      if (Weight w = add(e.w, neg_k); w != kInf)
        put_edge(v, e.v, w);
    for (const Edge &e : ins)
      if (Weight w = add(e.w, k); w != kInf)
        put_edge(e.v, v, w);
    return;
  }
  forget(x);
  Vertex vy = ensure_vertex(y);
  Vertex vx = ensure_vertex(x);
  // x is a translated copy of y, so the closure of the result is y's closure shifted by k.
  up_[vx] = add(up_[vy], k);
  dn_[vx] = add(dn_[vy], neg_k);
  std::vector<Edge> outs(out_[vy]), ins(in_[vy]);
  for (const Edge &e : outs)
    if (Weight w = add(e.w, neg_k); w != kInf)
      put_edge(vx, e.v, w);
  for (const Edge &e : ins)
    if (Weight w = add(e.w, k); w != kInf)
      put_edge(e.v, vx, w);
  put_edge(vy, vx, k);
  if (neg_k != kInf)
    put_edge(vx, vy, neg_k);
}

void Zone::assign_interval(Var x, std::optional<Weight> lo, std::optional<Weight> hi) {
  forget(x);
  if (lo)
    assume_lower(x, *lo);
  if (hi)
    assume_upper(x, *hi);
}

void Zone::rename(Var from, Var to) {
  if (bottom_ || from == to)
    return;
  forget(to);
  Vertex v = vertex_of(from);
  if (v == kNone)
    return;
  var_vertex_[from] = kNone;
  if (to >= var_vertex_.size())
    var_vertex_.resize(to + 1, kNone);
  var_vertex_[to] = v;
  vertex_var_[v] = to;
}

std::optional<Weight> Zone::upper(Var x) const {
  Vertex v = vertex_of(x);
  if (bottom_ || v == kNone || up_[v] == kInf)
    return std::nullopt;
  return up_[v];
}

std::optional<Weight> Zone::lower(Var x) const {
  Vertex v = vertex_of(x);
  if (bottom_ || v == kNone || dn_[v] == kInf || dn_[v] == INT64_MIN)
    return std::nullopt;
  return -dn_[v];
}

std::optional<Weight> Zone::diff_upper(Var x, Var y) const {
  if (bottom_)
    return std::nullopt;
  if (x == y)
    return 0;
  Vertex vx = vertex_of(x), vy = vertex_of(y);
  if (vx == kNone || vy == kNone)
    return std::nullopt;
  Weight w = closure(vy, vx);
  if (w == kInf)
    return std::nullopt;
  return w;
}

} // namespace bpfcheck::domains
