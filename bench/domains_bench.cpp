// Micro-benchmarks of the numeric domains: zone assign/assume/join/widen at 16, 64 and 256
// variables, and the Scalar64 (interval) and tnum operations the analyzer runs per instruction.
#include "domains/scalar.h"
#include "domains/zone.h"

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

using namespace bpfcheck::domains;

namespace {

// A zone shaped like an analysis state: every variable bounded and related to a few others.
// Sparse: relations stay inside clusters of four (a packet pointer, its offset copies and
// data_end); dense: one chain through all variables, so the closure relates every pair.
Zone make_zone(unsigned n, bool dense, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Zone z;
  for (unsigned i = 0; i < n; ++i) {
    z.assume_lower(i, 0);
    z.assume_upper(i, 1000 + static_cast<Zone::Weight>(rng() % 1000));
  }
  for (unsigned i = 1; i < n; ++i)
    if (dense || i % 4 != 0)
      z.assume_diff(i, i - 1, static_cast<Zone::Weight>(rng() % 16));
  for (unsigned k = 0; k < n; ++k) {
    unsigned a = static_cast<unsigned>(rng() % n),
             b = dense ? static_cast<unsigned>(rng() % n)
                       : (a & ~3u) + static_cast<unsigned>(rng() % 4);
    if (a != b && b < n)
      z.assume_diff(a, b, 100 + static_cast<Zone::Weight>(rng() % 100));
  }
  return z;
}

void zone_args(benchmark::internal::Benchmark *b) {
  b->ArgNames({"vars", "dense"});
  for (int dense : {0, 1})
    for (int n : {16, 64, 256})
      b->Args({n, dense});
}

void BM_ZoneCopy(benchmark::State &state) {
  Zone z = make_zone(static_cast<unsigned>(state.range(0)), state.range(1) != 0, 1);
  for (auto _ : state) {
    Zone c = z;
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_ZoneCopy)->Apply(zone_args);

// x := y + k on a persistent zone (each assignment replaces one variable's relations).
void BM_ZoneAssign(benchmark::State &state) {
  unsigned n = static_cast<unsigned>(state.range(0));
  Zone z = make_zone(n, state.range(1) != 0, 2);
  unsigned i = 0;
  for (auto _ : state) {
    unsigned x = i % n, y = (i * 7 + 3) % n;
    z.assign_add_constant(x, y == x ? (y + 1) % n : y, 1);
    ++i;
  }
  state.counters["edges"] = static_cast<double>(z.num_edges());
}
BENCHMARK(BM_ZoneAssign)->Apply(zone_args);

// assume x - y <= c with a new, feasible constraint; includes one zone copy (see BM_ZoneCopy).
void BM_ZoneAssume(benchmark::State &state) {
  unsigned n = static_cast<unsigned>(state.range(0));
  Zone z = make_zone(n, state.range(1) != 0, 3);
  unsigned i = 0;
  for (auto _ : state) {
    Zone c = z;
    unsigned x = i % n, y = (i * 13 + 5) % n;
    c.assume_diff(x, y == x ? (y + 1) % n : y, 50);
    benchmark::DoNotOptimize(c);
    ++i;
  }
}
BENCHMARK(BM_ZoneAssume)->Apply(zone_args);

void BM_ZoneJoin(benchmark::State &state) {
  unsigned n = static_cast<unsigned>(state.range(0));
  Zone a = make_zone(n, state.range(1) != 0, 4), b = make_zone(n, state.range(1) != 0, 5);
  for (auto _ : state)
    benchmark::DoNotOptimize(a.join(b));
}
BENCHMARK(BM_ZoneJoin)->Apply(zone_args);

void BM_ZoneWiden(benchmark::State &state) {
  unsigned n = static_cast<unsigned>(state.range(0));
  Zone a = make_zone(n, state.range(1) != 0, 6);
  Zone b = a.join(make_zone(n, state.range(1) != 0, 7));
  const Zone::Weight thresholds[] = {0, 64, 4096};
  for (auto _ : state)
    benchmark::DoNotOptimize(a.widen(b, thresholds));
}
BENCHMARK(BM_ZoneWiden)->Apply(zone_args);

// Scalar64 operands: ranges, masks, constants and subregister values, in a ring.
std::vector<Scalar64> scalars() {
  std::mt19937_64 rng(8);
  std::vector<Scalar64> v;
  for (int i = 0; i < 64; ++i) {
    switch (i % 4) {
    case 0:
      v.push_back(Scalar64::urange(rng() % 100, 100 + rng() % 4096));
      break;
    case 1:
      v.push_back(Scalar64::from_bits(Tnum64(0, rng() % 256)));
      break;
    case 2:
      v.push_back(Scalar64::constant(rng() % 64));
      break;
    default:
      v.push_back(Scalar64::srange(-static_cast<std::int64_t>(rng() % 1000),
                                   static_cast<std::int64_t>(rng() % 1000)));
    }
  }
  return v;
}

void BM_ScalarAlu(benchmark::State &state) {
  auto v = scalars();
  auto op = static_cast<AluOp>(state.range(0));
  bool wide = state.range(1) != 0;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(alu<64>(op, v[i % 64], v[(i + 1) % 64], wide));
    ++i;
  }
}
BENCHMARK(BM_ScalarAlu)
    ->ArgNames({"op", "alu64"})
    ->Args({static_cast<int>(AluOp::Add), 1})
    ->Args({static_cast<int>(AluOp::Add), 0})
    ->Args({static_cast<int>(AluOp::Mul), 1})
    ->Args({static_cast<int>(AluOp::Div), 1})
    ->Args({static_cast<int>(AluOp::And), 1})
    ->Args({static_cast<int>(AluOp::Lsh), 1})
    ->Args({static_cast<int>(AluOp::Arsh), 0});

void BM_ScalarRefine(benchmark::State &state) {
  auto v = scalars();
  auto op = static_cast<CmpOp>(state.range(0));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(refine<64>(op, v[i % 64], v[(i + 3) % 64], true, state.range(1) != 0));
    ++i;
  }
}
BENCHMARK(BM_ScalarRefine)
    ->ArgNames({"op", "jmp64"})
    ->Args({static_cast<int>(CmpOp::Gt), 1})
    ->Args({static_cast<int>(CmpOp::Slt), 0})
    ->Args({static_cast<int>(CmpOp::Eq), 1})
    ->Args({static_cast<int>(CmpOp::Set), 1});

void BM_ScalarJoin(benchmark::State &state) {
  auto v = scalars();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(v[i % 64].join(v[(i + 5) % 64]));
    ++i;
  }
}
BENCHMARK(BM_ScalarJoin);

void BM_ScalarBounds(benchmark::State &state) {
  auto v = scalars();
  std::size_t i = 0;
  for (auto _ : state) {
    const Scalar64 &s = v[i % 64];
    benchmark::DoNotOptimize(s.umin() + s.umax() + static_cast<std::uint64_t>(s.smin() + s.smax()));
    ++i;
  }
}
BENCHMARK(BM_ScalarBounds);

void BM_WIntervalJoin(benchmark::State &state) {
  std::mt19937_64 rng(9);
  std::vector<WInterval<64>> v;
  for (int i = 0; i < 64; ++i)
    v.push_back(WInterval<64>::arc(rng(), rng() >> 8));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(v[i % 64].join(v[(i + 1) % 64]));
    ++i;
  }
}
BENCHMARK(BM_WIntervalJoin);

void BM_Tnum(benchmark::State &state) {
  std::mt19937_64 rng(10);
  std::vector<Tnum64> v;
  for (int i = 0; i < 64; ++i) {
    std::uint64_t m = rng() & rng();
    v.push_back(Tnum64(rng() & ~m, m));
  }
  bool mul = state.range(0) != 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const Tnum64 &a = v[i % 64], &b = v[(i + 1) % 64];
    benchmark::DoNotOptimize(mul ? a.mul(b) : a.add(b));
    ++i;
  }
}
BENCHMARK(BM_Tnum)->ArgName("mul")->Arg(0)->Arg(1);

} // namespace

BENCHMARK_MAIN();
