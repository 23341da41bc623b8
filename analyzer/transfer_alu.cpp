// ALU transfer functions: scalars through Scalar64 (64-bit and 32-bit with zero-extension),
// pointer arithmetic on offsets, and the zone updates that keep packet offsets and (in loops)
// scalars related.
#include "analyzer/transfer.h"
#include "analyzer/zone_scalars.h"

namespace bpfcheck::analyzer {
namespace {

using domains::Zone;

domains::AluOp scalar_op(AluOp op) {
  switch (op) {
  case AluOp::Add:
    return domains::AluOp::Add;
  case AluOp::Sub:
    return domains::AluOp::Sub;
  case AluOp::Mul:
    return domains::AluOp::Mul;
  case AluOp::Div:
    return domains::AluOp::Div;
  case AluOp::SDiv:
    return domains::AluOp::SDiv;
  case AluOp::Mod:
    return domains::AluOp::Mod;
  case AluOp::SMod:
    return domains::AluOp::SMod;
  case AluOp::Or:
    return domains::AluOp::Or;
  case AluOp::And:
    return domains::AluOp::And;
  case AluOp::Lsh:
    return domains::AluOp::Lsh;
  case AluOp::Rsh:
    return domains::AluOp::Rsh;
  case AluOp::Arsh:
    return domains::AluOp::Arsh;
  case AluOp::Xor:
    return domains::AluOp::Xor;
  default:
    return domains::AluOp::Mov;
  }
}

// The kernel's BPF_MAX_VAR_OFF: larger offsets are rejected, so the zone may treat the sum as
// mathematical (no wrap) below it.
constexpr std::int64_t kMaxVarOff = std::int64_t{1} << 29;

// dst := ptr (held by register `from`) + delta, for a packet pointer: relate the new offset to
// the old one in the zone, exactly for a constant delta, by bounds for a bounded one.
void shift_packet_var(State &s, unsigned dst, unsigned from, const Scalar64 &delta) {
  Zone &z = s.zone();
  std::int64_t lo = delta.smin(), hi = delta.smax();
  if (lo < -kMaxVarOff || hi > kMaxVarOff) {
    z.forget(zvar::reg(dst));
    return;
  }
  if (lo == hi) {
    z.assign_add_constant(zvar::reg(dst), zvar::reg(from), lo);
    return;
  }
  z.assign_var(zvar::kScratch, zvar::reg(from));
  z.forget(zvar::reg(dst));
  z.assume_diff(zvar::reg(dst), zvar::kScratch, hi);
  z.assume_diff(zvar::kScratch, zvar::reg(dst), -lo);
  z.forget(zvar::kScratch);
}

// ptr +/- scalar (or scalar + ptr): the pointer keeps its kind, the offset moves.
void pointer_plus_scalar(State &s, const Alu &a, unsigned ptr_reg, const RegValue &ptr,
                         const RegValue &scalar) {
  Scalar64 delta = a.op == AluOp::Sub ? domains::neg(scalar.num, true) : scalar.num;
  RegValue result = ptr;
  result.num = domains::alu(domains::AluOp::Add, ptr.num, delta, true);
  if (ptr.type == RegType::Packet) {
    shift_packet_var(s, a.dst.number, ptr_reg, delta);
    s.reg_mut(a.dst.number) = result;
    return;
  }
  s.set_reg(a.dst.number, result);
}

void transfer_mov(State &s, const Alu &a, const RegValue &src) {
  unsigned d = a.dst.number;
  if (a.op == AluOp::Mov && a.is64) {
    if (const Reg *r = std::get_if<Reg>(&a.src); r && r->number == d)
      return; // r = r: setting would forget the zone variable it copies
    s.set_reg(d, src);
    if (src.type == RegType::Packet)
      s.zone().assign_var(zvar::reg(d), zvar::reg(std::get<Reg>(a.src).number));
    else if (const Reg *r = std::get_if<Reg>(&a.src); r && src.type == RegType::Scalar)
      zone_copy_scalar(s, d, r->number, true);
    return;
  }
  if (src.type != RegType::Scalar) { // a partial copy of a pointer is an unknown number
    s.set_reg(d, RegValue::scalar(a.is64 ? Scalar64::top() : Scalar64::urange(0, UINT32_MAX)));
    return;
  }
  if (a.op == AluOp::Mov) {
    s.set_reg(d, RegValue::scalar(domains::alu(domains::AluOp::Mov, src.num, src.num, false)));
    if (const Reg *r = std::get_if<Reg>(&a.src); r && r->number != d)
      zone_copy_scalar(s, d, r->number, false);
    return;
  }
  unsigned bits = a.op == AluOp::MovSx8 ? 8 : a.op == AluOp::MovSx16 ? 16 : 32;
  s.set_reg(d, RegValue::scalar(domains::movsx(src.num, bits, a.is64)));
}

} // namespace

void transfer_alu(State &s, const Alu &a) {
  RegValue src = operand_value(s, a.src);
  if (a.op == AluOp::Mov || a.op == AluOp::MovSx8 || a.op == AluOp::MovSx16 ||
      a.op == AluOp::MovSx32)
    return transfer_mov(s, a, src);
  RegValue dst = s.reg(a.dst.number);
  if (dst.type == RegType::Scalar && src.type == RegType::Scalar) {
    Scalar64 result = domains::alu(scalar_op(a.op), dst.num, src.num, a.is64);
    bool add_sub = a.op == AluOp::Add || a.op == AluOp::Sub;
    if (!add_sub ||
        !zone_add_sub(s, a.dst.number, dst.num, src.num, a.op == AluOp::Sub, a.is64, result))
      s.set_reg(a.dst.number, RegValue::scalar(result));
    return;
  }
  bool arith = a.is64 && (a.op == AluOp::Add || a.op == AluOp::Sub);
  if (arith && is_pointer(dst.type) && src.type == RegType::Scalar)
    return pointer_plus_scalar(s, a, a.dst.number, dst, src);
  if (arith && a.op == AluOp::Add && dst.type == RegType::Scalar && is_pointer(src.type))
    return pointer_plus_scalar(s, a, std::get<Reg>(a.src).number, src, dst);
  if (arith && a.op == AluOp::Sub && is_pointer(dst.type) && is_pointer(src.type)) {
    s.set_reg(a.dst.number,
              dst.compatible(src)
                  ? RegValue::scalar(domains::alu(domains::AluOp::Sub, dst.num, src.num, true))
                  : RegValue::scalar_top());
    return;
  }
  // Anything else is rejected by the assertions; uninitialized stays so, the rest is unknown.
  bool uninit = dst.type == RegType::Uninit || src.type == RegType::Uninit;
  s.set_reg(a.dst.number, uninit ? RegValue::uninit() : RegValue::scalar_top());
}

void transfer_neg(State &s, const Neg &n) {
  const RegValue &v = s.reg(n.dst.number);
  if (v.type == RegType::Uninit)
    return;
  s.set_reg(n.dst.number, v.type == RegType::Scalar ? RegValue::scalar(domains::neg(v.num, n.is64))
                                                    : RegValue::scalar_top());
}

void transfer_endian(State &s, const Endian &e) {
  const RegValue &v = s.reg(e.dst.number);
  if (v.type == RegType::Uninit)
    return;
  if (v.type != RegType::Scalar)
    return s.set_reg(e.dst.number, RegValue::scalar_top());
  // A little-endian target: to_le only truncates, to_be and the cpu v4 swap reverse bytes.
  Scalar64 r = e.kind == Endian::Kind::ToLittle ? domains::truncate(v.num, e.width)
                                                : domains::bswap(v.num, e.width);
  s.set_reg(e.dst.number, RegValue::scalar(r));
}

} // namespace bpfcheck::analyzer
