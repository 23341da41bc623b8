// Wrapped intervals against their concretisation: every arc at 8 bits for bounds and casts,
// every pair at 5 bits (4 for minimality) for the lattice operations, random chains for widening.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "concrete.h"
#include "domains/wrapped_interval.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>

using namespace bpfcheck::domains;
using namespace bpfcheck::domains::test;

TEST_CASE("arc bounds and casts, every arc at 8 bits") {
  constexpr unsigned B = 8;
  using C = Concrete<B>;
  long failures = 0;
  for (auto &a : all_arcs<B>()) {
    auto xs = members<B>(a);
    REQUIRE(xs.size() == (a.is_top() ? 256u : std::size_t{a.len()} + 1));
    std::int64_t smin = 1000, smax = -1000;
    for (auto x : xs) {
      smin = std::min(smin, Width<B>::to_signed(x));
      smax = std::max(smax, Width<B>::to_signed(x));
    }
    REQUIRE(a.umin() == xs.front());
    REQUIRE(a.umax() == xs.back());
    REQUIRE(a.smin() == smin);
    REQUIRE(a.smax() == smax);
    auto lo4 = a.truncate<4>();
    auto z = WInterval<B>::zext(lo4);
    for (unsigned k : {1u, 2u, 4u, 8u}) {
      auto tz = a.trunc_zext(k), ts = a.trunc_sext(k);
      for (auto x : xs)
        failures += !tz.contains(C::truncate(x, k)) + !ts.contains(C::movsx(x, k, true));
    }
    for (auto x : xs)
      failures += !lo4.contains(x & 15) + !z.contains(x & 15);
  }
  CHECK(failures == 0);
}

TEST_CASE("arc lattice against sets, every pair at 5 bits") {
  constexpr unsigned B = 5;
  auto all = all_arcs<B>();
  all.push_back(WInterval<B>::bottom());
  std::vector<std::vector<std::uint8_t>> mem;
  for (auto &a : all)
    mem.push_back(members<B>(a));
  long bad_leq = 0, bad_join = 0, bad_meet = 0, inexact_meet = 0, bad_widen = 0;
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = 0; j < all.size(); ++j) {
      const auto &a = all[i], &b = all[j];
      const auto &ma = mem[i], &mb = mem[j];
      bool subset = std::includes(mb.begin(), mb.end(), ma.begin(), ma.end());
      bad_leq += a.leq(b) != subset;
      auto jn = a.join(b), wd = a.widen(b), mt = a.meet(b);
      bad_join += !a.leq(jn) || !b.leq(jn);
      bad_widen += !a.leq(wd) || !b.leq(wd);
      std::vector<std::uint8_t> both;
      std::set_intersection(ma.begin(), ma.end(), mb.begin(), mb.end(), std::back_inserter(both));
      auto mm = members<B>(mt);
      // Sound: holds the intersection; and never worse than the smaller operand.
      bad_meet += !std::includes(mm.begin(), mm.end(), both.begin(), both.end()) ||
                  !(mt.leq(a) || mt.leq(b));
      // Exact whenever the intersection is one arc (or empty).
      bool one_arc = both.empty() || both.size() == 32;
      if (!one_arc) {
        std::size_t gaps = 0;
        for (std::size_t k = 0; k < both.size(); ++k)
          gaps += ((both[k] + 1) & 31) != both[(k + 1) % both.size()];
        one_arc = gaps == 1;
      }
      inexact_meet += one_arc && mm != both;
    }
  CHECK(bad_leq == 0);
  CHECK(bad_join == 0);
  CHECK(bad_meet == 0);
  CHECK(inexact_meet == 0);
  CHECK(bad_widen == 0);
}

TEST_CASE("join is the smallest enclosing arc, every pair at 4 bits") {
  constexpr unsigned B = 4;
  auto all = all_arcs<B>();
  for (auto &a : all)
    for (auto &b : all) {
      auto j = a.join(b);
      std::size_t best = 16;
      for (auto &c : all)
        if (a.leq(c) && b.leq(c))
          best = std::min<std::size_t>(best, c.is_top() ? 16 : c.len() + 1);
      REQUIRE((j.is_top() ? 16 : j.len() + 1) == best);
      REQUIRE(j == b.join(a));
    }
}

TEST_CASE("widening stabilises every increasing chain in bounded steps") {
  constexpr unsigned B = 8;
  std::mt19937_64 rng(42);
  const std::uint8_t thresholds[] = {0, 10, 100, 127, 128, 200, 255};
  for (int round = 0; round < 20000; ++round) {
    auto x = WInterval<B>::constant(static_cast<std::uint8_t>(rng()));
    std::span<const std::uint8_t> th;
    if (round % 2)
      th = thresholds;
    int steps = 0;
    for (;; ++steps) {
      // The next chain element: the current one joined with random new values.
      auto y = x.join(WInterval<B>::constant(static_cast<std::uint8_t>(rng())));
      if (rng() % 3 == 0)
        y = y.join(WInterval<B>::constant(static_cast<std::uint8_t>(x.last() + rng() % 4)));
      auto next = x.widen(y, th);
      REQUIRE(x.leq(next));
      REQUIRE(y.leq(next));
      if (next == x && y.leq(x))
        break;
      x = next;
      REQUIRE(steps <= static_cast<int>(std::size(thresholds)) + static_cast<int>(B) + 2);
    }
  }
}
