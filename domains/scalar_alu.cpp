// ALU transfer functions on Scalar: each operation runs on the full-width interval (64-bit ALU)
// or on the low halves (32-bit ALU, zero-extended); for operations whose low half depends only
// on the operands' low halves, the 64-bit form also computes the low half directly.
#include "domains/interval_arith.h"
#include "domains/scalar.h"

namespace bpfcheck::domains {

namespace {

template <unsigned W> Interval<W> apply(AluOp op, const Interval<W> &a, const Interval<W> &b) {
  using namespace arith;
  switch (op) {
  case AluOp::Add:
    return add<W>(a, b);
  case AluOp::Sub:
    return sub<W>(a, b);
  case AluOp::Mul:
    return mul<W>(a, b);
  case AluOp::Div:
    return udiv<W>(a, b);
  case AluOp::SDiv:
    return sdiv<W>(a, b);
  case AluOp::Mod:
    return umod<W>(a, b);
  case AluOp::SMod:
    return smod<W>(a, b);
  case AluOp::And:
    return bit_and<W>(a, b);
  case AluOp::Or:
    return bit_or<W>(a, b);
  case AluOp::Xor:
    return bit_xor<W>(a, b);
  case AluOp::Lsh:
    return shift<W>(a, Shift::Left, b);
  case AluOp::Rsh:
    return shift<W>(a, Shift::Logical, b);
  case AluOp::Arsh:
    return shift<W>(a, Shift::Arithmetic, b);
  case AluOp::Mov:
    break;
  }
  return b;
}

// Operations whose result's low half is a function of the operands' low halves.
constexpr bool low_half_local(AluOp op) {
  switch (op) {
  case AluOp::Add:
  case AluOp::Sub:
  case AluOp::Mul:
  case AluOp::And:
  case AluOp::Or:
  case AluOp::Xor:
  case AluOp::Mov:
    return true;
  default:
    return false;
  }
}

} // namespace

template <unsigned B>
Scalar<B> alu(AluOp op, const Scalar<B> &dst, const Scalar<B> &src, bool alu64) {
  constexpr unsigned H = Scalar<B>::kHalf;
  if (dst.is_bottom() || src.is_bottom())
    return Scalar<B>::bottom();
  if (!alu64)
    return Scalar<B>::zext(apply<H>(op, dst.low(), src.low()));
  if (op == AluOp::Mov)
    return src;
  Interval<B> full = apply<B>(op, dst.full(), src.full());
  if (!low_half_local(op))
    return Scalar<B>(full, WInterval<H>::top());
  Interval<H> low = apply<H>(op, dst.low(), src.low());
  return Scalar<B>(Interval<B>(full.arc(), full.bits().with_low(low.bits())), low.arc());
}

template <unsigned B> Scalar<B> neg(const Scalar<B> &dst, bool alu64) {
  constexpr unsigned H = Scalar<B>::kHalf;
  if (!alu64)
    return Scalar<B>::zext(arith::neg<H>(dst.low()));
  return Scalar<B>(arith::neg<B>(dst.full()), arith::neg<H>(dst.low()).arc());
}

template <unsigned B> Scalar<B> movsx(const Scalar<B> &src, unsigned bits, bool alu64) {
  constexpr unsigned H = Scalar<B>::kHalf;
  if (!alu64)
    return Scalar<B>::zext(arith::trunc_sext<H>(src.low(), bits));
  if (bits >= B)
    return src;
  return Scalar<B>(arith::trunc_sext<B>(src.full(), bits), WInterval<H>::top());
}

template <unsigned B> Scalar<B> bswap(const Scalar<B> &dst, unsigned bits) {
  return Scalar<B>(arith::bswap<B>(dst.full(), bits), WInterval<Scalar<B>::kHalf>::top());
}

template <unsigned B> Scalar<B> truncate(const Scalar<B> &dst, unsigned bits) {
  if (bits >= B)
    return dst;
  return Scalar<B>(arith::trunc_zext<B>(dst.full(), bits), WInterval<Scalar<B>::kHalf>::top());
}

#define BPFCHECK_INSTANTIATE_ALU(B)                                                                \
  template Scalar<B> alu<B>(AluOp, const Scalar<B> &, const Scalar<B> &, bool);                    \
  template Scalar<B> neg<B>(const Scalar<B> &, bool);                                              \
  template Scalar<B> movsx<B>(const Scalar<B> &, unsigned, bool);                                  \
  template Scalar<B> bswap<B>(const Scalar<B> &, unsigned);                                        \
  template Scalar<B> truncate<B>(const Scalar<B> &, unsigned);

BPFCHECK_INSTANTIATE_ALU(4)
BPFCHECK_INSTANTIATE_ALU(8)
BPFCHECK_INSTANTIATE_ALU(16)
BPFCHECK_INSTANTIATE_ALU(64)

} // namespace bpfcheck::domains
