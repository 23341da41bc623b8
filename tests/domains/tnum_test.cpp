// Tnum against concrete arithmetic: every tnum at 8 bits for unary operations, every pair at 6
// bits for binary ones; every concrete result must be a member, and the operations the kernel
// proves optimal (and, or, xor, add, sub) must equal the best tnum of the concrete results.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "concrete.h"
#include "domains/tnum.h"

#include <doctest/doctest.h>

#include <functional>
#include <string>

using namespace bpfcheck::domains;
using namespace bpfcheck::domains::test;

namespace {

template <unsigned B> Tnum<B> best_of(const std::vector<typename Width<B>::U> &xs) {
  Tnum<B> r = Tnum<B>::bottom();
  for (auto x : xs)
    r = r.join(Tnum<B>::constant(x));
  return r;
}

template <unsigned B>
void check_binary(const char *what, std::function<Tnum<B>(Tnum<B>, Tnum<B>)> abs,
                  std::function<std::uint64_t(std::uint64_t, std::uint64_t)> conc, bool optimal) {
  auto all = all_tnums<B>();
  std::vector<std::vector<typename Width<B>::U>> mem;
  for (auto &t : all)
    mem.push_back(members<B>(t));
  long failures = 0, suboptimal = 0;
  std::string first;
  std::vector<typename Width<B>::U> results;
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = 0; j < all.size(); ++j) {
      Tnum<B> r = abs(all[i], all[j]);
      results.clear();
      for (auto x : mem[i])
        for (auto y : mem[j]) {
          auto z = static_cast<typename Width<B>::U>(Width<B>::wrap(conc(x, y)));
          results.push_back(z);
          if (!r.contains(z) && failures++ == 0)
            first = std::to_string(x) + "," + std::to_string(y);
        }
      if (optimal && !(r == best_of<B>(results)))
        ++suboptimal;
    }
  INFO(std::string(what) << " first counterexample " << first);
  CHECK(failures == 0);
  CHECK(suboptimal == 0);
}

} // namespace

TEST_CASE("tnum binary operations, every pair at 6 bits") {
  constexpr unsigned B = 6;
  using T = Tnum<B>;
  auto w = [](std::uint64_t x) { return Width<B>::wrap(x); };
  check_binary<B>(
      "add", [](T a, T b) { return a.add(b); }, [&](auto x, auto y) { return w(x + y); }, true);
  check_binary<B>(
      "sub", [](T a, T b) { return a.sub(b); }, [&](auto x, auto y) { return w(x - y); }, true);
  check_binary<B>(
      "mul", [](T a, T b) { return a.mul(b); }, [&](auto x, auto y) { return w(x * y); }, false);
  check_binary<B>(
      "and", [](T a, T b) { return a.bit_and(b); }, [](auto x, auto y) { return x & y; }, true);
  check_binary<B>(
      "or", [](T a, T b) { return a.bit_or(b); }, [](auto x, auto y) { return x | y; }, true);
  check_binary<B>(
      "xor", [](T a, T b) { return a.bit_xor(b); }, [](auto x, auto y) { return x ^ y; }, true);
}

TEST_CASE("tnum unary operations and casts, every tnum at 8 bits") {
  constexpr unsigned B = 8;
  using C = Concrete<B>;
  long failures = 0;
  for (auto &t : all_tnums<B>()) {
    auto xs = members<B>(t);
    auto expect = [&](const Tnum<B> &r, auto f) {
      std::vector<std::uint8_t> out;
      for (auto x : xs) {
        auto z = static_cast<std::uint8_t>(f(x));
        failures += !r.contains(z);
        out.push_back(z);
      }
      return out;
    };
    expect(t.neg(), [](auto x) { return C::neg(x, true); });
    for (unsigned k = 0; k < B; ++k) {
      // Shifts by a known amount are exact: the result is the best tnum of the images.
      auto l = expect(t.shl(k), [&](auto x) { return x << k; });
      auto r = expect(t.lshr(k), [&](auto x) { return x >> k; });
      auto a = expect(t.ashr(k),
                      [&](auto x) { return Width<B>::from_signed(Width<B>::to_signed(x) >> k); });
      CHECK(t.lshr(k) == best_of<B>(r));
      CHECK(t.ashr(k) == best_of<B>(a));
      (void)l;
    }
    for (unsigned k : {1u, 2u, 4u, 8u}) {
      CHECK(t.trunc_bits(k) ==
            best_of<B>(expect(t.trunc_bits(k), [&](auto x) { return C::truncate(x, k); })));
      CHECK(t.sext_bits(k) ==
            best_of<B>(expect(t.sext_bits(k), [&](auto x) { return C::movsx(x, k, true); })));
      if (k >= 2)
        CHECK(t.bswap_bits(k) ==
              best_of<B>(expect(t.bswap_bits(k), [&](auto x) { return C::bswap(x, k); })));
    }
    // Subregister views: low half and re-assembly.
    auto lo = t.template low<4>();
    for (auto x : xs)
      failures += !lo.contains(x & 15) + !Tnum<B>::zext(lo).contains(x & 15);
    CHECK(t.with_low(lo) == t);
    // Membership, next/prev, min/max.
    std::uint64_t i = 0;
    for (std::uint64_t x = 0; x < 256; ++x) {
      bool in = i < xs.size() && xs[i] == x;
      i += in;
      CHECK(t.contains(static_cast<std::uint8_t>(x)) == in);
      auto n = t.next(static_cast<std::uint8_t>(x));
      auto p = t.prev(static_cast<std::uint8_t>(x));
      auto nx = std::lower_bound(xs.begin(), xs.end(), x);
      auto px = std::upper_bound(xs.begin(), xs.end(), x);
      CHECK(n.has_value() == (nx != xs.end()));
      if (n && nx != xs.end())
        CHECK(*n == *nx);
      CHECK(p.has_value() == (px != xs.begin()));
      if (p && px != xs.begin())
        CHECK(*p == *(px - 1));
    }
    CHECK(t.umin() == xs.front());
    CHECK(t.umax() == xs.back());
  }
  CHECK(failures == 0);
}

TEST_CASE("tnum from range is the best tnum of the range, every range at 8 bits") {
  for (unsigned lo = 0; lo < 256; ++lo)
    for (unsigned hi = lo; hi < 256; ++hi) {
      std::vector<std::uint8_t> xs;
      for (unsigned x = lo; x <= hi; ++x)
        xs.push_back(static_cast<std::uint8_t>(x));
      auto r = Tnum<8>::range(static_cast<std::uint8_t>(lo), static_cast<std::uint8_t>(hi));
      REQUIRE(r == best_of<8>(xs));
    }
}

TEST_CASE("tnum lattice laws, every pair at 5 bits") {
  constexpr unsigned B = 5;
  auto all = all_tnums<B>();
  all.push_back(Tnum<B>::bottom());
  for (auto &a : all)
    for (auto &b : all) {
      auto ma = members<B>(a), mb = members<B>(b);
      bool subset = std::includes(mb.begin(), mb.end(), ma.begin(), ma.end());
      REQUIRE(a.leq(b) == subset);
      Tnum<B> j = a.join(b), m = a.meet(b), wd = a.widen(b);
      REQUIRE(a.leq(j));
      REQUIRE(b.leq(j));
      REQUIRE(a.leq(wd));
      REQUIRE(b.leq(wd));
      REQUIRE(m.leq(a));
      REQUIRE(m.leq(b));
      // The meet of tnums is exact.
      std::vector<std::uint8_t> both;
      std::set_intersection(ma.begin(), ma.end(), mb.begin(), mb.end(), std::back_inserter(both));
      REQUIRE(members<B>(m) == both);
    }
}
