// Scalar against concrete BPF arithmetic with every concrete member enumerated: every pair of
// abstract inputs at 4 bits (2-bit subregister) for all binary ALU operations and all branch
// refinements, every input at 8 bits for the unary ones, and seeded random pairs at 8 bits.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "concrete.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <sstream>
#include <string>

using namespace bpfcheck::domains;
using namespace bpfcheck::domains::test;

namespace {

template <unsigned B> struct Input {
  Scalar<B> value;
  std::vector<typename Width<B>::U> xs;
};

template <unsigned B> void add_input(std::vector<Input<B>> &in, const Scalar<B> &s) {
  if (s.is_bottom())
    return;
  for (auto &i : in)
    if (i.value == s)
      return;
  in.push_back({s, members<B>(s)});
}

// Arcs, tnums and subregister arcs alone, then seeded random combinations of the three.
template <unsigned B> std::vector<Input<B>> inputs(std::size_t combos, std::uint64_t seed) {
  constexpr unsigned H = B / 2;
  std::vector<Input<B>> in;
  auto arcs = all_arcs<B>();
  auto tnums = all_tnums<B>();
  auto lows = all_arcs<H>();
  for (auto &a : arcs)
    add_input<B>(in, Scalar<B>(Interval<B>::from_arc(a), {}));
  for (auto &t : tnums)
    add_input<B>(in, Scalar<B>::from_bits(t));
  for (auto &l : lows)
    add_input<B>(in, Scalar<B>(Interval<B>::top(), l));
  std::mt19937_64 rng(seed);
  for (std::size_t k = 0; k < combos; ++k)
    add_input<B>(in, Scalar<B>(Interval<B>(arcs[rng() % arcs.size()], tnums[rng() % tnums.size()]),
                               lows[rng() % lows.size()]));
  return in;
}

template <unsigned B> std::string show(const Scalar<B> &s) {
  std::ostringstream o;
  if (s.is_bottom())
    return "bottom";
  o << "{arc " << +s.full().arc().base() << "+" << +s.full().arc().len() << " tnum "
    << +s.bits().value() << "/" << +s.bits().mask() << " low " << +s.low_arc().base() << "+"
    << +s.low_arc().len() << "}";
  return o.str();
}

template <unsigned B> void check_alu_pairs(const std::vector<Input<B>> &in) {
  using C = Concrete<B>;
  for (AluOp op : kBinaryOps)
    for (bool wide : {true, false}) {
      long failures = 0;
      std::string first;
      for (auto &a : in)
        for (auto &b : in) {
          Scalar<B> r = alu<B>(op, a.value, b.value, wide);
          for (auto x : a.xs)
            for (auto y : b.xs) {
              auto z = C::alu(op, x, y, wide);
              if (!r.contains(z) && failures++ == 0)
                first = show(a.value) + " " + show(b.value) + " x=" + std::to_string(x) +
                        " y=" + std::to_string(y) + " z=" + std::to_string(z) + " got " + show(r);
            }
        }
      INFO(std::string(name(op)) << (wide ? "64" : "32") << ": " << first);
      CHECK(failures == 0);
    }
}

template <unsigned B> void check_branch_pairs(const std::vector<Input<B>> &in) {
  using C = Concrete<B>;
  for (CmpOp op : kCmpOps)
    for (bool wide : {true, false})
      for (bool taken : {true, false}) {
        long failures = 0;
        std::string first;
        for (auto &a : in)
          for (auto &b : in) {
            auto [ra, rb] = refine<B>(op, a.value, b.value, taken, wide);
            for (auto x : a.xs)
              for (auto y : b.xs)
                if (C::cmp(op, x, y, wide) == taken && !(ra.contains(x) && rb.contains(y)) &&
                    failures++ == 0)
                  first = show(a.value) + " " + show(b.value) + " x=" + std::to_string(x) +
                          " y=" + std::to_string(y) + " got " + show(ra) + " " + show(rb);
          }
        INFO(std::string(name(op))
             << (wide ? "64" : "32") << (taken ? " taken: " : " fallthrough: ") << first);
        CHECK(failures == 0);
      }
}

} // namespace

TEST_CASE("scalar binary ALU operations, every input pair at 4 bits") {
  auto in = inputs<4>(100, 1);
  MESSAGE("inputs: " << in.size());
  check_alu_pairs<4>(in);
}

TEST_CASE("scalar branch refinements, every input pair at 4 bits") {
  check_branch_pairs<4>(inputs<4>(100, 2));
}

TEST_CASE("scalar lattice, every input pair at 4 bits") {
  auto in = inputs<4>(200, 3);
  long bad = 0;
  for (auto &a : in)
    for (auto &b : in) {
      auto j = a.value.join(b.value), m = a.value.meet(b.value), w = a.value.widen(b.value);
      for (auto x : a.xs)
        bad += !j.contains(x) + !w.contains(x) + (b.value.contains(x) && !m.contains(x));
      for (auto x : b.xs)
        bad += !j.contains(x) + !w.contains(x);
      if (a.value.leq(b.value))
        bad += !std::includes(b.xs.begin(), b.xs.end(), a.xs.begin(), a.xs.end());
    }
  CHECK(bad == 0);
}

TEST_CASE("scalar unary operations, every arc and tnum at 8 bits") {
  constexpr unsigned B = 8;
  using C = Concrete<B>;
  std::vector<Scalar<B>> in;
  for (auto &a : all_arcs<B>())
    in.push_back(Scalar<B>(Interval<B>::from_arc(a), {}));
  for (auto &t : all_tnums<B>())
    in.push_back(Scalar<B>::from_bits(t));
  long failures = 0;
  std::string first;
  auto expect = [&](const char *what, const Scalar<B> &a, const Scalar<B> &r,
                    const std::vector<std::uint8_t> &xs, auto f) {
    for (auto x : xs)
      if (!r.contains(static_cast<std::uint8_t>(f(x))) && failures++ == 0)
        first = std::string(what) + " " + show(a) + " x=" + std::to_string(x);
  };
  for (auto &a : in) {
    auto xs = members<B>(a);
    for (bool wide : {true, false})
      expect("neg", a, neg<B>(a, wide), xs, [&](auto x) { return C::neg(x, wide); });
    for (unsigned k : {1u, 2u, 4u})
      expect("movsx64", a, movsx<B>(a, k, true), xs, [&](auto x) { return C::movsx(x, k, true); });
    for (unsigned k : {1u, 2u})
      expect("movsx32", a, movsx<B>(a, k, false), xs,
             [&](auto x) { return C::movsx(x, k, false); });
    for (unsigned k : {2u, 4u, 8u}) {
      expect("bswap", a, bswap<B>(a, k), xs, [&](auto x) { return C::bswap(x, k); });
      expect("truncate", a, truncate<B>(a, k), xs, [&](auto x) { return C::truncate(x, k); });
    }
    for (unsigned k : {1u, 3u, 7u}) { // every amount is covered by the 4-bit pairs
      auto amt = Scalar<B>::constant(static_cast<std::uint8_t>(k));
      for (AluOp op : {AluOp::Lsh, AluOp::Rsh, AluOp::Arsh})
        for (bool wide : {true, false})
          expect(name(op), a, alu<B>(op, a, amt, wide), xs,
                 [&](auto x) { return C::alu(op, x, static_cast<std::uint8_t>(k), wide); });
    }
  }
  INFO(first);
  CHECK(failures == 0);
}

TEST_CASE("scalar binary operations and refinements, seeded random pairs at 8 bits") {
  constexpr unsigned B = 8;
  using C = Concrete<B>;
  std::mt19937_64 rng(7);
  auto arcs = all_arcs<B>();
  auto tnums = all_tnums<B>();
  auto lows = all_arcs<4>();
  auto pick = [&]() {
    switch (rng() % 4) {
    case 0:
      return Scalar<B>(Interval<B>::from_arc(arcs[rng() % arcs.size()]), {});
    case 1:
      return Scalar<B>::from_bits(tnums[rng() % tnums.size()]);
    case 2: { // short arcs: the common case in programs
      auto base = static_cast<std::uint8_t>(rng());
      return Scalar<B>(
          Interval<B>::from_arc(WInterval<B>::arc(base, static_cast<std::uint8_t>(rng() % 8))), {});
    }
    default:
      return Scalar<B>(Interval<B>(arcs[rng() % arcs.size()], tnums[rng() % tnums.size()]),
                       lows[rng() % lows.size()]);
    }
  };
  long failures = 0;
  std::string first;
  for (int round = 0; round < 1500; ++round) {
    Scalar<B> a = pick(), b = pick();
    auto xa = members<B>(a), xb = members<B>(b);
    for (AluOp op : kBinaryOps)
      for (bool wide : {true, false}) {
        auto r = alu<B>(op, a, b, wide);
        for (auto x : xa)
          for (auto y : xb)
            if (!r.contains(C::alu(op, x, y, wide)) && failures++ == 0)
              first = std::string(name(op)) + " " + show(a) + " " + show(b);
      }
    for (CmpOp op : kCmpOps)
      for (bool wide : {true, false})
        for (bool taken : {true, false}) {
          auto [ra, rb] = refine<B>(op, a, b, taken, wide);
          for (auto x : xa)
            for (auto y : xb)
              if (C::cmp(op, x, y, wide) == taken && !(ra.contains(x) && rb.contains(y)) &&
                  failures++ == 0)
                first = std::string(name(op)) + " " + show(a) + " " + show(b);
        }
  }
  INFO(first);
  CHECK(failures == 0);
}
