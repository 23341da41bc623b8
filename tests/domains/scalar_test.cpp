// Scalar64 examples that the analyzer relies on: masks and alignment through the reduced
// product, branch refinements on both signednesses and widths, and the BPF corner cases of
// division, modulo and shifts.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "domains/scalar.h"

#include <doctest/doctest.h>

using namespace bpfcheck::domains;

namespace {
const Scalar64 kTop = Scalar64::top();
Scalar64 c(std::uint64_t v) { return Scalar64::constant(v); }
} // namespace

TEST_CASE("masks and alignment come from the known bits") {
  Scalar64 m = alu<64>(AluOp::And, kTop, c(0xff), true);
  CHECK(m.umin() == 0);
  CHECK(m.umax() == 255);
  CHECK(m.smin() == 0);
  CHECK(m.umax32() == 255);
  Scalar64 a = alu<64>(AluOp::Lsh, alu<64>(AluOp::Rsh, kTop, c(2), true), c(2), true);
  CHECK((a.bits().mask() & 3) == 0);
  CHECK((a.bits().value() & 3) == 0);
  Scalar64 p = alu<64>(AluOp::Add, a, c(8), true); // still 4-aligned
  CHECK((p.bits().mask() & 3) == 0);
}

TEST_CASE("branches refine both signednesses") {
  Scalar64 x = Scalar64::srange(-10, 10);
  auto [lt, k] = refine<64>(CmpOp::Lt, x, c(5), true, true); // unsigned x < 5
  CHECK(lt.umin() == 0);
  CHECK(lt.umax() == 4);
  auto [ge, k2] = refine<64>(CmpOp::Lt, x, c(5), false, true); // unsigned x >= 5
  CHECK(ge.smin() == -10);
  CHECK(ge.smax() == 10);
  CHECK(!ge.contains(4));
  CHECK(!ge.contains(0));
  CHECK(ge.contains(5));
  CHECK(ge.contains(static_cast<std::uint64_t>(-1)));
  // jgt then jle: [11, 20]
  Scalar64 y = refine<64>(CmpOp::Gt, kTop, c(10), true, true).first;
  y = refine<64>(CmpOp::Le, y, c(20), true, true).first;
  CHECK(y.umin() == 11);
  CHECK(y.umax() == 20);
  // jne against an end removes it; against the whole circle it leaves one gap.
  Scalar64 z = refine<64>(CmpOp::Ne, Scalar64::urange(0, 7), c(0), true, true).first;
  CHECK(z.umin() == 1);
  Scalar64 nz = refine<64>(CmpOp::Ne, kTop, c(0), true, true).first;
  CHECK(!nz.contains(0));
  CHECK(nz.contains(1));
  // A 32-bit comparison bounds the subregister and, through it, nothing above.
  Scalar64 w = refine<64>(CmpOp::Lt, kTop, c(16), true, false).first;
  CHECK(w.umax32() == 15);
  CHECK(w.contains(0xffffffff0000000full));
  CHECK(!w.contains(0x10));
  // Infeasible branch.
  CHECK(refine<64>(CmpOp::Gt, Scalar64::urange(0, 3), c(3), true, true).first.is_bottom());
}

TEST_CASE("BPF corner cases of division, modulo and shifts") {
  CHECK(alu<64>(AluOp::Div, c(7), c(0), true) == c(0));
  CHECK(alu<64>(AluOp::Mod, c(7), c(0), true) == c(7));
  // 32-bit modulo by zero keeps the dividend's low half, zero-extended.
  CHECK(alu<64>(AluOp::Mod, c(0xffffffff00000007ull), c(0), false) == c(7));
  auto smin = static_cast<std::uint64_t>(INT64_MIN);
  CHECK(alu<64>(AluOp::SDiv, c(smin), c(static_cast<std::uint64_t>(-1)), true) == c(smin));
  CHECK(alu<64>(AluOp::SMod, c(smin), c(static_cast<std::uint64_t>(-1)), true) == c(0));
  CHECK(alu<64>(AluOp::Lsh, c(1), c(65), true) == c(2));  // amount masked to 63
  CHECK(alu<64>(AluOp::Lsh, c(1), c(33), false) == c(2)); // amount masked to 31
  Scalar64 d = alu<64>(AluOp::Div, Scalar64::urange(100, 200), Scalar64::urange(0, 10), true);
  CHECK(d.contains(0));
  CHECK(d.umax() == 200);
  CHECK(movsx<64>(c(0x80), 8, true) == c(static_cast<std::uint64_t>(-128)));
  CHECK(bswap<64>(c(0x1234), 16) == c(0x3412));
  CHECK(truncate<64>(c(0x123456789ull), 32) == c(0x23456789));
}
