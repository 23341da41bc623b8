// Seeded generators of 64-bit abstract values (edges of both number lines and of the 32-bit
// subregister included) and a sampler of their concrete members, for the sampled property tests.
#pragma once

#include "domains/scalar.h"

#include <random>
#include <vector>

namespace bpfcheck::domains::test {

class Sampler {
public:
  explicit Sampler(std::uint64_t seed) : rng_(seed) {}

  std::uint64_t edge() {
    static constexpr std::uint64_t kEdges[] = {0,
                                               1,
                                               2,
                                               ~0ull,
                                               ~0ull - 1,
                                               0x8000000000000000ull,
                                               0x7fffffffffffffffull,
                                               0xffffffffull,
                                               0x7fffffffull,
                                               0x80000000ull,
                                               0x100000000ull,
                                               0xffffffff80000000ull,
                                               0xffffffff7fffffffull,
                                               0xffull,
                                               0xffffull,
                                               0x8000ull};
    return kEdges[rng_() % std::size(kEdges)];
  }
  std::uint64_t small() { return rng_() % 64; }
  std::uint64_t any() {
    switch (rng_() % 4) {
    case 0:
      return edge();
    case 1:
      return edge() + small() - 32;
    case 2:
      return rng_() >> (rng_() % 64);
    default:
      return rng_();
    }
  }
  std::uint64_t length() {
    switch (rng_() % 4) {
    case 0:
      return rng_() % 4;
    case 1:
      return rng_() % 300;
    case 2:
      return rng_() >> (rng_() % 64);
    default:
      return rng_() % 0x100000000ull;
    }
  }

  Scalar64 value() {
    switch (rng_() % 9) {
    case 0:
      return Scalar64::constant(any());
    case 1:
    case 2: {
      std::uint64_t base = any(), len = length();
      if (rng_() % 2)
        base -= len / 2; // straddle the edge
      return Scalar64(Interval<64>::from_arc(WInterval<64>::arc(base, len)), {});
    }
    case 3: {
      std::uint64_t mask = rng_() & (rng_() | (rng_() >> (rng_() % 64)));
      if (rng_() % 2)
        mask &= 0xffff;
      return Scalar64::from_bits(Tnum64(any() & ~mask, mask));
    }
    case 4: { // a zero-extended 32-bit value
      auto lo = static_cast<std::uint32_t>(any());
      auto len = static_cast<std::uint32_t>(length());
      return Scalar64::zext(Interval<32>::from_arc(WInterval<32>::arc(lo, len)));
    }
    case 5: { // known low half, unknown upper bits
      auto lo = static_cast<std::uint32_t>(any());
      return Scalar64(Interval<64>::top(),
                      WInterval<32>::arc(lo, static_cast<std::uint32_t>(rng_() % 16)));
    }
    case 6:
      return Scalar64::srange(-static_cast<std::int64_t>(length() / 2),
                              static_cast<std::int64_t>(length() / 2));
    case 7:
      return value().meet(value());
    default:
      return Scalar64::top();
    }
  }

  // Up to n distinct members: the bounds of every view, then points near the ends and inside.
  std::vector<std::uint64_t> members(const Scalar64 &s, std::size_t n) {
    std::vector<std::uint64_t> r;
    if (s.is_bottom())
      return r;
    const auto arc = s.arcs().first;
    const auto arc2 = s.arcs().second;
    const auto &t = s.bits();
    auto offer = [&](std::uint64_t x) {
      if (r.size() < n && s.contains(x) && std::find(r.begin(), r.end(), x) == r.end())
        r.push_back(x);
    };
    offer(s.umin());
    offer(s.umax());
    offer(static_cast<std::uint64_t>(s.smin()));
    offer(static_cast<std::uint64_t>(s.smax()));
    for (int tries = 0; tries < 200 && r.size() < n; ++tries) {
      std::uint64_t off;
      switch (tries % 3) {
      case 0:
        off = small();
        break;
      case 1:
        off = arc.len() - small();
        break;
      default:
        off = arc.is_top() ? rng_() : rng_() % (std::uint64_t{arc.len()} + 1);
      }
      std::uint64_t x = arc.base() + off;
      offer(x);
      if (!arc2.is_top() && tries % 2)
        x = arc2.base() + (tries % 4 == 1 ? small() : rng_() % (std::uint64_t{arc2.len()} + 1));
      offer(x);
      x = (x & t.mask()) | t.value();
      offer(x);
      // Put the low half inside the subregister arc.
      const auto &low = s.low_arc();
      std::uint32_t l =
          low.base() + static_cast<std::uint32_t>(rng_() % (std::uint64_t{low.len()} + 1));
      offer((x & ~0xffffffffull) | l);
    }
    return r;
  }

  std::mt19937_64 &rng() { return rng_; }

private:
  std::mt19937_64 rng_;
};

} // namespace bpfcheck::domains::test
