// Zone against brute force: after every random constraint or assignment, the closure must keep
// exactly the constraints implied by the system (a dense Floyd-Warshall model decides which),
// infeasible systems must be bottom, and the lattice operations must hold on random points.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "domains/zone.h"

#include <doctest/doctest.h>

#include <array>
#include <random>
#include <string>

using namespace bpfcheck::domains;

namespace {

constexpr int kVars = 6;
constexpr std::int64_t kInf = Zone::kInf;

// Dense DBM over kVars variables plus zero (index 0); d[i][j] bounds x_j - x_i.
struct Model {
  std::array<std::array<std::int64_t, kVars + 1>, kVars + 1> d;
  bool bottom = false;
  Model() {
    for (auto &row : d)
      row.fill(kInf);
    for (int i = 0; i <= kVars; ++i)
      d[i][i] = 0;
  }
  void close() {
    for (int k = 0; k <= kVars; ++k)
      for (int i = 0; i <= kVars; ++i)
        for (int j = 0; j <= kVars; ++j)
          if (d[i][k] != kInf && d[k][j] != kInf)
            d[i][j] = std::min(d[i][j], d[i][k] + d[k][j]);
    for (int i = 0; i <= kVars; ++i)
      bottom = bottom || d[i][i] < 0;
  }
  void add(int i, int j, std::int64_t c) {
    d[i][j] = std::min(d[i][j], c);
    close();
  }
  void forget(int v) {
    for (int i = 0; i <= kVars; ++i)
      if (i != v)
        d[i][v] = d[v][i] = kInf;
  }
};

std::int64_t raw(std::optional<std::int64_t> o) { return o ? *o : kInf; }

// The zone and the model agree on bottom and on every bound and difference.
std::string compare(const Zone &z, const Model &m) {
  if (z.is_bottom() != m.bottom)
    return "bottom differs";
  if (m.bottom)
    return "";
  for (int x = 1; x <= kVars; ++x) {
    if (raw(z.upper(x - 1)) != m.d[0][x])
      return "upper of " + std::to_string(x - 1);
    auto lo = z.lower(x - 1);
    if ((lo ? -*lo : kInf) != m.d[x][0])
      return "lower of " + std::to_string(x - 1);
    for (int y = 1; y <= kVars; ++y)
      if (x != y && raw(z.diff_upper(x - 1, y - 1)) != m.d[y][x])
        return "difference " + std::to_string(x - 1) + " - " + std::to_string(y - 1);
  }
  return "";
}

bool satisfies(const Zone &z, const std::array<std::int64_t, kVars> &p) {
  if (z.is_bottom())
    return false;
  bool ok = true;
  z.for_each_constraint(
      [&](std::optional<Zone::Var> x, std::optional<Zone::Var> y, std::int64_t c) {
        std::int64_t vx = x ? p[*x] : 0, vy = y ? p[*y] : 0;
        ok = ok && vx - vy <= c;
      });
  return ok;
}

Zone random_zone(std::mt19937_64 &rng, int constraints) {
  Zone z;
  for (int k = 0; k < constraints; ++k) {
    int x = static_cast<int>(rng() % kVars), y = static_cast<int>(rng() % kVars);
    std::int64_t c = static_cast<std::int64_t>(rng() % 21) - 5;
    switch (rng() % 3) {
    case 0:
      z.assume_diff(x, y, c);
      break;
    case 1:
      z.assume_upper(x, c + 5);
      break;
    default:
      z.assume_lower(x, c - 5);
    }
  }
  return z;
}

} // namespace

TEST_CASE("zone closure keeps exactly the implied constraints (Floyd-Warshall)") {
  std::mt19937_64 rng(123);
  int bottoms = 0;
  for (int round = 0; round < 3000; ++round) {
    Zone z;
    Model m;
    for (int step = 0; step < 14 && !m.bottom; ++step) {
      int x = static_cast<int>(rng() % kVars), y = static_cast<int>(rng() % kVars);
      std::int64_t c = static_cast<std::int64_t>(rng() % 31) - 10;
      std::string what;
      switch (rng() % 7) {
      case 0:
      case 1:
        z.assume_diff(x, y, c);
        m.add(y + 1, x + 1, c);
        what = "assume_diff";
        break;
      case 2:
        z.assume_upper(x, c);
        m.add(0, x + 1, c);
        what = "assume_upper";
        break;
      case 3:
        z.assume_lower(x, c);
        m.add(x + 1, 0, -c);
        what = "assume_lower";
        break;
      case 4: // x := y + c
        z.assign_add_constant(x, y, c);
        if (x == y) {
          for (int i = 0; i <= kVars; ++i)
            if (i != x + 1) {
              if (m.d[i][x + 1] != kInf)
                m.d[i][x + 1] += c;
              if (m.d[x + 1][i] != kInf)
                m.d[x + 1][i] -= c;
            }
        } else {
          m.forget(x + 1);
          m.d[y + 1][x + 1] = c;
          m.d[x + 1][y + 1] = -c;
          m.close();
        }
        what = "assign_add_constant";
        break;
      case 5:
        z.forget(x);
        m.forget(x + 1);
        what = "forget";
        break;
      default: {
        std::int64_t r = static_cast<std::int64_t>(rng() % 5);
        z.assign_interval(x, c, c + r);
        m.forget(x + 1);
        m.d[x + 1][0] = -c;
        m.d[0][x + 1] = c + r;
        m.close();
        what = "assign_interval";
        break;
      }
      }
      auto err = compare(z, m);
      INFO("round " << round << " step " << step << " after " << what << ": " << err);
      REQUIRE(err.empty());
    }
    bottoms += m.bottom;
  }
  MESSAGE("infeasible systems reached: " << bottoms);
  CHECK(bottoms > 100);
}

TEST_CASE("zone assign_interval and rename/copy") {
  Zone z;
  z.assign_interval(0, 3, 7);
  CHECK(z.lower(0) == 3);
  CHECK(z.upper(0) == 7);
  z.copy(0, 1); // x1 := x0
  CHECK(z.diff_upper(1, 0) == 0);
  CHECK(z.diff_upper(0, 1) == 0);
  CHECK(z.upper(1) == 7);
  z.assign_add_constant(2, 1, 4); // x2 := x1 + 4
  CHECK(z.diff_upper(2, 0) == 4);
  CHECK(z.lower(2) == 7);
  z.rename(2, 5);
  CHECK(!z.upper(2));
  CHECK(z.upper(5) == 11);
  CHECK(z.diff_upper(5, 0) == 4);
  z.assign_add_constant(5, 5, -1); // x5 := x5 - 1
  CHECK(z.diff_upper(5, 0) == 3);
  CHECK(z.upper(5) == 10);
  z.forget(0);
  CHECK(!z.diff_upper(5, 0));
  CHECK(z.diff_upper(5, 1) == 3);
  // Slots of forgotten variables are reused.
  auto before = z.num_vertices();
  z.assume_upper(9, 1);
  CHECK(z.num_vertices() == before);
}

TEST_CASE("zone infeasible constraints give bottom") {
  Zone a;
  a.assume_upper(0, 3);
  a.assume_lower(0, 5);
  CHECK(a.is_bottom());
  Zone b;
  b.assume_diff(0, 1, -1);
  b.assume_diff(1, 0, 0);
  CHECK(b.is_bottom());
  Zone c;
  c.assume_diff(0, 1, 2); // x0 - x1 <= 2
  c.assume_lower(0, 10);
  c.assume_upper(1, 7); // x0 <= 9
  CHECK(c.is_bottom());
  Zone d;
  d.assume_upper(0, 3);
  CHECK(!d.is_bottom());
  CHECK(d.meet(a).is_bottom());
}

TEST_CASE("zone lattice laws on random points") {
  std::mt19937_64 rng(321);
  long bad = 0;
  for (int round = 0; round < 3000; ++round) {
    Zone a = random_zone(rng, 1 + static_cast<int>(rng() % 6));
    Zone b = random_zone(rng, 1 + static_cast<int>(rng() % 6));
    const std::int64_t th[] = {-10, 0, 10, 100};
    Zone j = a.join(b), m = a.meet(b), w = a.widen(b, th), n = w.narrow(b);
    bool a_leq_b = a.leq(b);
    bad += !a.leq(j) || !b.leq(j) || !m.leq(a) || !m.leq(b) || !a.leq(w);
    for (int k = 0; k < 200; ++k) {
      std::array<std::int64_t, kVars> p;
      for (auto &v : p)
        v = static_cast<std::int64_t>(rng() % 41) - 20;
      bool in_a = satisfies(a, p), in_b = satisfies(b, p);
      bad += (in_a || in_b) && !satisfies(j, p);
      bad += (in_a && in_b) != satisfies(m, p); // the meet is exact
      bad += (in_a || in_b) && !satisfies(w, p);
      bad += in_b && !satisfies(n, p);
      bad += a_leq_b && in_a && !in_b;
    }
  }
  CHECK(bad == 0);
}

TEST_CASE("zone widening stabilises an increasing loop counter") {
  // i := 0; while (i < n) i++;  with n in [0, 1000]
  Zone head;
  head.assign_interval(1, 0, 1000);
  head.assign_interval(0, 0, 0);
  int steps = 0;
  for (;; ++steps) {
    Zone body = head;
    body.assume_diff(0, 1, -1); // i < n
    body.assign_add_constant(0, 0, 1);
    Zone next = head.widen(head.join(body));
    if (next.leq(head))
      break;
    head = next;
    REQUIRE(steps < 10);
  }
  CHECK(head.lower(0) == 0);
  CHECK(!head.upper(0));
  CHECK(head.diff_upper(0, 1) == 0); // i <= n survives widening
}
