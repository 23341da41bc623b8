// Concrete BPF semantics at any width B (the "32-bit" forms act on the low B/2 bits and
// zero-extend), written independently of the domains: the oracle of the property tests.
#pragma once

#include "domains/bits.h"
#include "domains/scalar.h"

#include <random>
#include <vector>

namespace bpfcheck::domains::test {

template <unsigned B> struct Concrete {
  using W = Width<B>;
  using U = typename W::U;
  static constexpr unsigned H = B >= 4 ? B / 2 : B; // 32-bit forms are not used below 4 bits
  using HW = Width<H>;

  static U low(U x) { return static_cast<U>(HW::wrap(x)); }
  static std::int64_t sext(std::uint64_t x, unsigned k) {
    x &= W::low_mask(k);
    if (k < 64 && (x >> (k - 1)) & 1)
      x |= ~W::low_mask(k);
    return static_cast<std::int64_t>(x);
  }

  static U alu64(AluOp op, U a, U b) {
    std::int64_t sa = W::to_signed(a), sb = W::to_signed(b);
    unsigned sh = static_cast<unsigned>(b % B);
    switch (op) {
    case AluOp::Add:
      return W::wrap(std::uint64_t{a} + b);
    case AluOp::Sub:
      return W::wrap(std::uint64_t{a} - b);
    case AluOp::Mul:
      return W::wrap(std::uint64_t{a} * b);
    case AluOp::Div:
      return b == 0 ? U{0} : static_cast<U>(a / b);
    case AluOp::SDiv:
      if (b == 0)
        return 0;
      if (sa == W::kSMin && sb == -1)
        return a;
      return W::from_signed(sa / sb);
    case AluOp::Mod:
      return b == 0 ? a : static_cast<U>(a % b);
    case AluOp::SMod:
      if (b == 0)
        return a;
      if (sb == -1)
        return 0;
      return W::from_signed(sa % sb);
    case AluOp::And:
      return static_cast<U>(a & b);
    case AluOp::Or:
      return static_cast<U>(a | b);
    case AluOp::Xor:
      return static_cast<U>(a ^ b);
    case AluOp::Lsh:
      return W::wrap(std::uint64_t{a} << sh);
    case AluOp::Rsh:
      return static_cast<U>(a >> sh);
    case AluOp::Arsh:
      return W::from_signed(sa >> sh);
    case AluOp::Mov:
      break;
    }
    return b;
  }
  static U alu(AluOp op, U a, U b, bool wide) {
    if (wide)
      return alu64(op, a, b);
    return static_cast<U>(Concrete<H>::alu64(op, static_cast<typename HW::U>(low(a)),
                                             static_cast<typename HW::U>(low(b))));
  }
  static U neg(U a, bool wide) {
    return wide ? W::wrap(0 - std::uint64_t{a}) : static_cast<U>(HW::wrap(0 - std::uint64_t{a}));
  }
  static U movsx(U a, unsigned k, bool wide) {
    return wide ? W::from_signed(sext(a, k)) : static_cast<U>(HW::from_signed(sext(a, k)));
  }
  static U truncate(U a, unsigned k) { return W::wrap(a & W::low_mask(k)); }
  static U bswap(U a, unsigned k) {
    constexpr unsigned unit = B >= 8 ? B / 8 : 1;
    unsigned n = k / unit;
    std::uint64_t r = 0;
    for (unsigned i = 0; i < n; ++i) {
      std::uint64_t part = (std::uint64_t{a} >> (i * unit)) & W::low_mask(unit);
      r |= part << ((n - 1 - i) * unit);
    }
    return W::wrap(r);
  }
  static bool cmp(CmpOp op, U a, U b, bool wide) {
    if (!wide)
      return Concrete<H>::cmp(op, static_cast<typename HW::U>(low(a)),
                              static_cast<typename HW::U>(low(b)), true);
    std::int64_t sa = W::to_signed(a), sb = W::to_signed(b);
    switch (op) {
    case CmpOp::Eq:
      return a == b;
    case CmpOp::Ne:
      return a != b;
    case CmpOp::Gt:
      return a > b;
    case CmpOp::Ge:
      return a >= b;
    case CmpOp::Lt:
      return a < b;
    case CmpOp::Le:
      return a <= b;
    case CmpOp::Sgt:
      return sa > sb;
    case CmpOp::Sge:
      return sa >= sb;
    case CmpOp::Slt:
      return sa < sb;
    case CmpOp::Sle:
      return sa <= sb;
    case CmpOp::Set:
      break;
    }
    return (a & b) != 0;
  }
};

inline constexpr AluOp kBinaryOps[] = {
    AluOp::Add, AluOp::Sub, AluOp::Mul, AluOp::Div, AluOp::SDiv, AluOp::Mod,  AluOp::SMod,
    AluOp::And, AluOp::Or,  AluOp::Xor, AluOp::Lsh, AluOp::Rsh,  AluOp::Arsh, AluOp::Mov};
inline constexpr CmpOp kCmpOps[] = {CmpOp::Eq,  CmpOp::Ne,  CmpOp::Gt,  CmpOp::Ge,
                                    CmpOp::Lt,  CmpOp::Le,  CmpOp::Sgt, CmpOp::Sge,
                                    CmpOp::Slt, CmpOp::Sle, CmpOp::Set};
inline const char *name(AluOp op) {
  static const char *n[] = {"add", "sub", "mul", "div", "sdiv", "mod",  "smod",
                            "and", "or",  "xor", "lsh", "rsh",  "arsh", "mov"};
  return n[static_cast<int>(op)];
}
inline const char *name(CmpOp op) {
  static const char *n[] = {"jeq",  "jne",  "jgt",  "jge",  "jlt", "jle",
                            "jsgt", "jsge", "jslt", "jsle", "jset"};
  return n[static_cast<int>(op)];
}

// Every member of a small-width abstract value.
template <unsigned B, typename A> std::vector<typename Width<B>::U> members(const A &a) {
  std::vector<typename Width<B>::U> r;
  for (std::uint64_t x = 0; x <= Width<B>::kMask; ++x)
    if (a.contains(static_cast<typename Width<B>::U>(x)))
      r.push_back(static_cast<typename Width<B>::U>(x));
  return r;
}

// Every arc at width B (top and all proper arcs), bottom excluded.
template <unsigned B> std::vector<WInterval<B>> all_arcs() {
  std::vector<WInterval<B>> r{WInterval<B>::top()};
  for (std::uint64_t base = 0; base <= Width<B>::kMask; ++base)
    for (std::uint64_t len = 0; len < Width<B>::kMask; ++len)
      r.push_back(WInterval<B>::arc(static_cast<typename Width<B>::U>(base),
                                    static_cast<typename Width<B>::U>(len)));
  return r;
}

// Every tnum at width B, bottom excluded.
template <unsigned B> std::vector<Tnum<B>> all_tnums() {
  std::vector<Tnum<B>> r;
  for (std::uint64_t m = 0; m <= Width<B>::kMask; ++m)
    for (std::uint64_t v = 0; v <= Width<B>::kMask; ++v)
      if ((v & m) == 0)
        r.emplace_back(static_cast<typename Width<B>::U>(v), static_cast<typename Width<B>::U>(m));
  return r;
}

} // namespace bpfcheck::domains::test
