// Zone: a conjunction of difference constraints x - y <= c over integer variables, kept as a
// sparse graph in split normal form (Gange, Navas et al., "Exploiting sparsity in difference-bound
// matrices", SAS 2016): bounds against the zero variable are stored apart from the relational
// edges, and a difference implied through zero (x - y <= ub(x) - lb(y)) is never materialised.
//
// Contract on overflow: the zone reasons over mathematical integers. A client whose machine
// operation may wrap must not describe it with assign_add_constant; it must forget the variable
// (and re-bound it from its interval) instead, which drops every relation the wrap could falsify.
// Weights are int64; a derived bound that overflows int64 is dropped, which is sound.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace bpfcheck::domains {

class Zone {
public:
  using Var = std::uint32_t;
  using Weight = std::int64_t;
  static constexpr Weight kInf = INT64_MAX;

  Zone() = default; // top
  static Zone top() { return Zone(); }
  static Zone bottom() {
    Zone z;
    z.bottom_ = true;
    return z;
  }

  bool is_bottom() const { return bottom_; }
  bool is_top() const;
  bool leq(const Zone &o) const;
  Zone join(const Zone &o) const;
  Zone meet(const Zone &o) const;
  // Standard widening: keep the stable constraints, drop the others, except that a growing bound
  // may first stop at the nearest threshold. Widened zones are not closed (closing them would
  // break termination).
  Zone widen(const Zone &o, std::span<const Weight> thresholds = {}) const;
  // Narrowing: fill in constraints the first operand lacks.
  Zone narrow(const Zone &o) const;

  // Constraints (incremental closure; an infeasible constraint makes the zone bottom).
  void assume_diff(Var x, Var y, Weight c); // x - y <= c
  void assume_upper(Var x, Weight c);       // x <= c
  void assume_lower(Var x, Weight c);       // x >= c
  void assume_eq_diff(Var x, Var y, Weight k) {
    assume_diff(x, y, k);
    assume_diff(y, x, -k);
  }

  // Assignments. x := y + k with the difference x - y == k recorded (no wrap, see above).
  void assign_add_constant(Var x, Var y, Weight k);
  void assign_var(Var x, Var y) { assign_add_constant(x, y, 0); }
  // x := some value in [lo, hi] (either end may be absent), unrelated to other variables.
  void assign_interval(Var x, std::optional<Weight> lo, std::optional<Weight> hi);
  void forget(Var x);
  // `to` takes over the constraints of `from`, which becomes unconstrained.
  void rename(Var from, Var to);
  void copy(Var from, Var to) { assign_var(to, from); }

  std::optional<Weight> upper(Var x) const;
  std::optional<Weight> lower(Var x) const;
  // Tightest known c with x - y <= c.
  std::optional<Weight> diff_upper(Var x, Var y) const;

  std::size_t num_vertices() const { return vertex_var_.size(); }
  std::size_t num_edges() const;
  // Every stored constraint: f(x, y, c) for x - y <= c; y or x is nullopt for a bound.
  template <typename F> void for_each_constraint(F &&f) const;

private:
  using Vertex = std::uint32_t;
  struct Edge {
    Vertex v;
    Weight w;
  };
  static constexpr Vertex kNone = UINT32_MAX;

  Vertex vertex_of(Var x) const { return x < var_vertex_.size() ? var_vertex_[x] : kNone; }
  Vertex ensure_vertex(Var x);
  Weight edge(Vertex u, Vertex v) const;       // stored weight of x_v - x_u <= w, or kInf
  Weight closure(Vertex u, Vertex v) const;    // stored or implied through zero
  void put_edge(Vertex u, Vertex v, Weight w); // set (lower) a stored edge, both lists
  void add_edge(Vertex u, Vertex v, Weight w); // incremental closure
  void tighten_upper(Vertex v, Weight c);
  void tighten_lower_neg(Vertex v, Weight d); // d(v -> 0) = -lower
  void drop_vertex(Vertex v);
  void set_bottom();
  // The pointwise combination of this zone's and o's closed forms, for join and widening:
  // combine(mine, theirs) gives the result's weight (kInf drops the constraint).
  template <typename F> Zone combine(const Zone &o, F combine_weights) const;

  bool bottom_ = false;
  std::vector<Vertex> var_vertex_;     // Var -> Vertex or kNone
  std::vector<Var> vertex_var_;        // Vertex -> Var (meaningful while live)
  std::vector<bool> live_;             // slot in use
  std::vector<Vertex> free_;           // reusable slots
  std::vector<Weight> up_;             // d(0 -> v): upper bound of x_v
  std::vector<Weight> dn_;             // d(v -> 0): minus the lower bound of x_v
  std::vector<std::vector<Edge>> out_; // u -> {v, w}: x_v - x_u <= w, sorted by v
  std::vector<std::vector<Edge>> in_;  // v -> {u, w}: the same edges, sorted by u
};

template <typename F> void Zone::for_each_constraint(F &&f) const {
  for (Vertex u = 0; u < out_.size(); ++u) {
    if (!live_[u])
      continue;
    if (up_[u] != kInf)
      f(std::optional<Var>(vertex_var_[u]), std::optional<Var>(), up_[u]);
    if (dn_[u] != kInf)
      f(std::optional<Var>(), std::optional<Var>(vertex_var_[u]), dn_[u]);
    for (const Edge &e : out_[u])
      f(std::optional<Var>(vertex_var_[e.v]), std::optional<Var>(vertex_var_[u]), e.w);
  }
}

} // namespace bpfcheck::domains
