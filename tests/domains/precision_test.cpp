// Precision against the kernel's older scheme (kernel_model.h): on sampled inputs, our result
// must be at least as precise as the reference model's (every bound of every view, and the
// tnum) on at least 99% of cases for every operation. Prints the per-operation table.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "concrete.h"
#include "kernel_branch.h"
#include "sample.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace bpfcheck::domains;
using namespace bpfcheck::domains::test;

namespace {

constexpr int kCases = 4000;
constexpr double kBar = 99.0;

// Is our value at least as precise as the model's: each of its views within the model's?
bool at_least_as_precise(const Scalar64 &ours, const KReg &k) {
  if (ours.is_bottom())
    return true;
  if (k.infeasible())
    return false;
  return ours.umin() >= k.umin && ours.umax() <= k.umax && ours.smin() >= k.smin &&
         ours.smax() <= k.smax && ours.umin32() >= k.u32min && ours.umax32() <= k.u32max &&
         ours.smin32() >= k.s32min && ours.smax32() <= k.s32max && ours.bits().leq(k.var);
}
bool strictly_better(const Scalar64 &ours, const KReg &k) {
  if (k.infeasible())
    return false;
  if (ours.is_bottom())
    return true;
  return ours.umin() > k.umin || ours.umax() < k.umax || ours.smin() > k.smin ||
         ours.smax() < k.smax || ours.umin32() > k.u32min || ours.umax32() < k.u32max ||
         ours.smin32() > k.s32min || ours.smax32() < k.s32max || !(ours.bits() == k.var);
}

struct Row {
  std::string op;
  long cases = 0, not_worse = 0, better = 0;
  double pct() const { return cases ? 100.0 * not_worse / cases : 100.0; }
};

std::vector<Row> &table() {
  static std::vector<Row> rows;
  return rows;
}

void record(Row r) {
  std::printf("  %-16s %6ld cases  not worse %7.2f%%  strictly better %6.2f%%\n", r.op.c_str(),
              r.cases, r.pct(), r.cases ? 100.0 * r.better / r.cases : 0.0);
  table().push_back(r);
}

// Second operands: a third are constants (the kernel's best case), the rest abstract.
Scalar64 operand(Sampler &s, int i, AluOp op) {
  bool shift = op == AluOp::Lsh || op == AluOp::Rsh || op == AluOp::Arsh;
  if (shift)
    return i % 2 ? Scalar64::constant(s.small()) : s.value();
  return i % 3 == 0 ? Scalar64::constant(s.any()) : s.value();
}

} // namespace

TEST_CASE("precision of ALU operations against the kernel scheme") {
  std::printf("ALU precision against the kernel's s64/u64/s32/u32 + tnum scheme:\n");
  Sampler s(4242);
  for (AluOp op : kBinaryOps)
    for (bool wide : {true, false}) {
      Row r{std::string(name(op)) + (wide ? "64" : "32")};
      for (int i = 0; i < kCases; ++i) {
        Scalar64 a = s.value(), b = operand(s, i, op);
        Scalar64 ours = alu<64>(op, a, b, wide);
        KReg k = kernel_alu(op, KReg::from(a), KReg::from(b), wide);
        ++r.cases;
        r.not_worse += at_least_as_precise(ours, k);
        r.better += strictly_better(ours, k);
      }
      record(r);
      CHECK_MESSAGE(r.pct() >= kBar, r.op);
    }
  for (bool wide : {true, false}) {
    Row neg_row{wide ? "neg64" : "neg32"}, sx{wide ? "movsx64" : "movsx32"};
    for (int i = 0; i < kCases; ++i) {
      Scalar64 a = s.value();
      KReg ka = KReg::from(a);
      ++neg_row.cases;
      Scalar64 n = neg<64>(a, wide);
      KReg kn = kernel_neg(ka, wide);
      neg_row.not_worse += at_least_as_precise(n, kn);
      neg_row.better += strictly_better(n, kn);
      unsigned k = wide ? (8u << (i % 3)) : (8u << (i % 2));
      ++sx.cases;
      Scalar64 m = movsx<64>(a, k, wide);
      KReg km = kernel_movsx(ka, k, wide);
      sx.not_worse += at_least_as_precise(m, km);
      sx.better += strictly_better(m, km);
    }
    record(neg_row);
    record(sx);
    CHECK_MESSAGE(neg_row.pct() >= kBar, neg_row.op);
    CHECK_MESSAGE(sx.pct() >= kBar, sx.op);
  }
  Row bs{"bswap"}, tr{"to_le"};
  for (int i = 0; i < kCases; ++i) {
    Scalar64 a = s.value();
    unsigned k = 16u << (i % 3);
    ++bs.cases;
    ++tr.cases;
    Scalar64 x = bswap<64>(a, k), y = truncate<64>(a, k);
    KReg kx = kernel_bswap(KReg::from(a), k), ky = kernel_truncate(KReg::from(a), k);
    bs.not_worse += at_least_as_precise(x, kx);
    bs.better += strictly_better(x, kx);
    tr.not_worse += at_least_as_precise(y, ky);
    tr.better += strictly_better(y, ky);
  }
  record(bs);
  record(tr);
  CHECK(bs.pct() >= kBar);
  CHECK(tr.pct() >= kBar);
}

TEST_CASE("precision of branch refinements against the kernel scheme") {
  std::printf("Branch refinement precision (both operands compared):\n");
  Sampler s(31337);
  for (CmpOp op : kCmpOps)
    for (bool wide : {true, false})
      for (bool taken : {true, false}) {
        Row r{std::string(name(op)) + (wide ? "64" : "32") + (taken ? "/T" : "/F")};
        for (int i = 0; i < kCases; ++i) {
          Scalar64 a = s.value(), b = i % 2 ? Scalar64::constant(s.any()) : s.value();
          auto [oa, ob] = refine<64>(op, a, b, taken, wide);
          auto [ka, kb] = kernel_refine(op, KReg::from(a), KReg::from(b), taken, wide);
          ++r.cases;
          r.not_worse += at_least_as_precise(oa, ka) && at_least_as_precise(ob, kb);
          r.better += strictly_better(oa, ka) || strictly_better(ob, kb);
        }
        record(r);
        CHECK_MESSAGE(r.pct() >= kBar, r.op);
      }
}
