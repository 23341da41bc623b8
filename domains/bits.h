// Width traits shared by the width-generic domains: the storage type and the wrap-around
// helpers for a Bits-wide machine integer. Arithmetic is done in uint64_t and masked, so the
// same code is correct at 64 bits and at the odd small widths (4, 5, 6) used by exhaustive tests.
#pragma once

#include <cstdint>
#include <type_traits>

namespace bpfcheck::domains {

template <unsigned Bits> struct Width {
  static_assert(Bits >= 1 && Bits <= 64, "widths from 1 to 64 bits");
  using U = std::conditional_t<
      (Bits <= 8), std::uint8_t,
      std::conditional_t<(Bits <= 16), std::uint16_t,
                         std::conditional_t<(Bits <= 32), std::uint32_t, std::uint64_t>>>;

  static constexpr unsigned kBits = Bits;
  static constexpr std::uint64_t kMask =
      Bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << Bits) - 1;
  static constexpr U kMax = static_cast<U>(kMask);
  static constexpr U kSign = static_cast<U>(std::uint64_t{1} << (Bits - 1));

  static constexpr U wrap(std::uint64_t x) { return static_cast<U>(x & kMask); }
  // Two's-complement reading of a Bits-wide pattern, sign-extended into an int64_t.
  static constexpr std::int64_t to_signed(U x) {
    std::uint64_t v = x;
    if (v & kSign)
      v |= ~kMask;
    return static_cast<std::int64_t>(v);
  }
  static constexpr U from_signed(std::int64_t x) { return wrap(static_cast<std::uint64_t>(x)); }
  static constexpr std::int64_t kSMin = to_signed(kSign);
  static constexpr std::int64_t kSMax = to_signed(static_cast<U>(kSign - 1));
  static constexpr bool slt(U a, U b) { return to_signed(a) < to_signed(b); }
  // Mask of the low k bits (k may be 64).
  static constexpr std::uint64_t low_mask(unsigned k) {
    return k >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << k) - 1;
  }
};

} // namespace bpfcheck::domains
