// Scalar64 against concrete 64- and 32-bit BPF arithmetic on seeded random abstract values:
// every sampled concrete result (or branch-taking pair) must be a member of the abstract one.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "concrete.h"
#include "sample.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace bpfcheck::domains;
using namespace bpfcheck::domains::test;

namespace {

std::string show(const Scalar64 &s) {
  std::ostringstream o;
  if (s.is_bottom())
    return "bottom";
  o << std::hex << "{arc " << s.full().arc().base() << "+" << s.full().arc().len() << " tnum "
    << s.bits().value() << "/" << s.bits().mask() << " low " << s.low_arc().base() << "+"
    << s.low_arc().len() << "}";
  return o.str();
}

constexpr int kCases = 3000; // abstract pairs per operation
constexpr std::size_t kMembers = 8;

} // namespace

TEST_CASE("Scalar64 ALU operations on sampled members") {
  using C = Concrete<64>;
  Sampler s(2024);
  for (AluOp op : kBinaryOps)
    for (bool wide : {true, false}) {
      long checked = 0, failures = 0;
      std::string first;
      for (int i = 0; i < kCases; ++i) {
        Scalar64 a = s.value(), b = s.value();
        if (op == AluOp::Lsh || op == AluOp::Rsh || op == AluOp::Arsh)
          if (i % 2)
            b = Scalar64::urange(s.small() % 70, s.small() % 70 + s.small() % 8);
        Scalar64 r = alu<64>(op, a, b, wide);
        for (auto x : s.members(a, kMembers))
          for (auto y : s.members(b, kMembers)) {
            ++checked;
            auto z = C::alu(op, x, y, wide);
            if (!r.contains(z) && failures++ == 0) {
              std::ostringstream o;
              o << std::hex << show(a) << " " << show(b) << " x=" << x << " y=" << y << " z=" << z
                << " got " << show(r);
              first = o.str();
            }
          }
      }
      INFO(std::string(name(op)) << (wide ? "64" : "32") << " " << first);
      CHECK(failures == 0);
      CHECK(checked > kCases * 4);
    }
}

TEST_CASE("Scalar64 unary operations on sampled members") {
  using C = Concrete<64>;
  Sampler s(99);
  long failures = 0;
  std::string first;
  auto expect = [&](const char *what, const Scalar64 &a, const Scalar64 &r, std::uint64_t x,
                    std::uint64_t z) {
    if (!r.contains(z) && failures++ == 0)
      first = std::string(what) + " " + show(a) + " x=" + std::to_string(x);
  };
  for (int i = 0; i < 20000; ++i) {
    Scalar64 a = s.value();
    auto xs = s.members(a, kMembers);
    for (bool wide : {true, false}) {
      auto r = neg<64>(a, wide);
      for (auto x : xs)
        expect("neg", a, r, x, C::neg(x, wide));
    }
    for (unsigned k : {8u, 16u, 32u}) {
      auto r64 = movsx<64>(a, k, true), r32 = movsx<64>(a, k, false);
      for (auto x : xs) {
        expect("movsx64", a, r64, x, C::movsx(x, k, true));
        if (k < 32)
          expect("movsx32", a, r32, x, C::movsx(x, k, false));
      }
    }
    for (unsigned k : {16u, 32u, 64u}) {
      auto bs = bswap<64>(a, k), tr = truncate<64>(a, k);
      for (auto x : xs) {
        expect("bswap", a, bs, x, C::bswap(x, k));
        expect("truncate", a, tr, x, C::truncate(x, k));
      }
    }
  }
  INFO(first);
  CHECK(failures == 0);
}

TEST_CASE("Scalar64 branch refinements keep every pair that takes the branch") {
  using C = Concrete<64>;
  Sampler s(77);
  for (CmpOp op : kCmpOps)
    for (bool wide : {true, false})
      for (bool taken : {true, false}) {
        long failures = 0, taking = 0;
        std::string first;
        for (int i = 0; i < kCases; ++i) {
          Scalar64 a = s.value(), b = s.value();
          if (i % 3 == 0) // against a constant
            b = Scalar64::constant(s.any());
          auto [ra, rb] = refine<64>(op, a, b, taken, wide);
          auto xa = s.members(a, kMembers), xb = s.members(b, kMembers);
          if (i % 4 == 0 && !xa.empty()) // make equal pairs likely
            if (b.contains(xa[0]))
              xb.push_back(xa[0]);
          for (auto x : xa)
            for (auto y : xb)
              if (C::cmp(op, x, y, wide) == taken) {
                ++taking;
                if (!(ra.contains(x) && rb.contains(y)) && failures++ == 0) {
                  std::ostringstream o;
                  o << std::hex << show(a) << " " << show(b) << " x=" << x << " y=" << y << " got "
                    << show(ra) << " " << show(rb);
                  first = o.str();
                }
              }
        }
        INFO(std::string(name(op))
             << (wide ? "64" : "32") << (taken ? " taken " : " fallthrough ") << first);
        CHECK(failures == 0);
        CHECK(taking > 100);
      }
}

TEST_CASE("Scalar64 lattice laws on samples") {
  Sampler s(5);
  const std::uint64_t thresholds[] = {0, 64, 4096, 0xffffffff, 0x7fffffffffffffff};
  long bad = 0;
  for (int i = 0; i < 20000; ++i) {
    Scalar64 a = s.value(), b = s.value();
    auto j = a.join(b), m = a.meet(b), w = a.widen(b, thresholds);
    for (auto x : s.members(a, kMembers))
      bad += !j.contains(x) + !w.contains(x) + (b.contains(x) && !m.contains(x));
    for (auto x : s.members(b, kMembers))
      bad += !j.contains(x) + !w.contains(x);
    if (a.leq(b))
      for (auto x : s.members(a, kMembers))
        bad += !b.contains(x);
  }
  CHECK(bad == 0);
}

TEST_CASE("Scalar64 widening stabilises increasing chains") {
  Sampler s(11);
  const std::uint64_t thresholds[] = {0, 16, 255, 4096, 0xffffffff};
  for (int i = 0; i < 2000; ++i) {
    Scalar64 x = Scalar64::constant(s.any());
    std::span<const std::uint64_t> th;
    if (i % 2)
      th = thresholds;
    int steps = 0;
    for (;; ++steps) {
      Scalar64 y = x.join(s.value().meet(Scalar64::urange(0, s.any())));
      if (s.rng()() % 2)
        y = x.join(Scalar64::constant(x.umax() + 1 + s.small()));
      Scalar64 next = x.widen(y, th);
      REQUIRE(x.leq(next));
      REQUIRE(y.leq(next));
      if (next == x)
        break;
      x = next;
      // full arc, low arc and tnum each stabilise within (thresholds + 64 + 2) steps
      REQUIRE(steps <= 3 * (5 + 64 + 2));
    }
  }
}
