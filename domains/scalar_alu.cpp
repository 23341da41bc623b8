// ALU transfer functions on Scalar. Each operation runs on the first arcs (with the known bits),
// and again on the unsigned and on the signed hulls of the operands, where the wrap points fall
// elsewhere; every result is sound, and the product keeps their intersection. The 64-bit form
// also computes the low half directly when it depends only on the operands' low halves; the
// 32-bit form works on the low halves and zero-extends.
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
    return true;
  default:
    return false;
  }
}

// Adds a candidate result as constraints (the caller reduces once at the end).
template <unsigned B> Scalar<B> with_full(Scalar<B> r, const Interval<B> &c) {
  return r.add_arc(c.arc()).add_bits(c.bits());
}
template <unsigned B> Scalar<B> with_low(Scalar<B> r, const Interval<Scalar<B>::kHalf> &c) {
  return r.add_low_arc(c.arc()).add_bits(Tnum<B>::top().with_low(c.bits()));
}

} // namespace

template <unsigned B>
Scalar<B> alu(AluOp op, const Scalar<B> &dst, const Scalar<B> &src, bool alu64) {
  constexpr unsigned H = Scalar<B>::kHalf;
  if (dst.is_bottom() || src.is_bottom())
    return Scalar<B>::bottom();
  if (op == AluOp::Mov)
    return alu64 ? src : Scalar<B>::zext(src.low()).constrain_low(src.low_arcs().second);
  if (!alu64) {
    Scalar<B> r = Scalar<B>::zext(apply<H>(op, dst.low(), src.low()));
    r = with_low<B>(r, apply<H>(op, dst.uhull32(), src.uhull32()));
    return with_low<B>(r, apply<H>(op, dst.shull32(), src.shull32())).reduced();
  }
  Interval<B> full = apply<B>(op, dst.full(), src.full());
  Scalar<B> r(full, WInterval<H>::top());
  r = with_full<B>(r, apply<B>(op, dst.uhull(), src.uhull()));
  r = with_full<B>(r, apply<B>(op, dst.shull(), src.shull()));
  if (low_half_local(op)) {
    r = with_low<B>(r, apply<H>(op, dst.low(), src.low()));
    r = with_low<B>(r, apply<H>(op, dst.uhull32(), src.uhull32()));
    r = with_low<B>(r, apply<H>(op, dst.shull32(), src.shull32()));
  }
  return r.reduced();
}

template <unsigned B> Scalar<B> neg(const Scalar<B> &dst, bool alu64) {
  constexpr unsigned H = Scalar<B>::kHalf;
  Scalar<B> r;
  if (!alu64) {
    r = Scalar<B>::zext(arith::neg<H>(dst.low()));
  } else {
    r = Scalar<B>(arith::neg<B>(dst.full()), WInterval<H>::top());
    r = with_full<B>(r, arith::neg<B>(dst.uhull()));
    r = with_full<B>(r, arith::neg<B>(dst.shull()));
  }
  r = with_low<B>(r, arith::neg<H>(dst.low()));
  r = with_low<B>(r, arith::neg<H>(dst.uhull32()));
  return with_low<B>(r, arith::neg<H>(dst.shull32())).reduced();
}

template <unsigned B> Scalar<B> movsx(const Scalar<B> &src, unsigned bits, bool alu64) {
  constexpr unsigned H = Scalar<B>::kHalf;
  if (!alu64) {
    Scalar<B> r = Scalar<B>::zext(arith::trunc_sext<H>(src.low(), bits));
    r = with_low<B>(r, arith::trunc_sext<H>(src.uhull32(), bits));
    return with_low<B>(r, arith::trunc_sext<H>(src.shull32(), bits)).reduced();
  }
  if (bits >= B)
    return src;
  Scalar<B> r(arith::trunc_sext<B>(src.full(), bits), WInterval<H>::top());
  r = with_full<B>(r, arith::trunc_sext<B>(src.uhull(), bits));
  r = with_full<B>(r, arith::trunc_sext<B>(src.shull(), bits));
  if (bits <= H) // the low half is the sign-extension of the same low bits
    r = with_low<B>(r, arith::trunc_sext<H>(src.low(), bits));
  return r.reduced();
}

template <unsigned B> Scalar<B> bswap(const Scalar<B> &dst, unsigned bits) {
  return Scalar<B>(arith::bswap<B>(dst.full(), bits), WInterval<Scalar<B>::kHalf>::top());
}

template <unsigned B> Scalar<B> truncate(const Scalar<B> &dst, unsigned bits) {
  constexpr unsigned H = Scalar<B>::kHalf;
  if (bits >= B)
    return dst;
  Scalar<B> r(arith::trunc_zext<B>(dst.full(), bits), WInterval<H>::top());
  r = with_full<B>(r, arith::trunc_zext<B>(dst.uhull(), bits));
  if (bits >= H) // the low half is unchanged
    return r.add_low_arc(dst.low_arcs().first).add_low_arc(dst.low_arcs().second).reduced();
  return with_low<B>(r, arith::trunc_zext<H>(dst.low(), bits)).reduced();
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
