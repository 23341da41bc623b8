// Disassembler tests: the text of hand-encoded instructions. The first table was produced by
// llvm-objdump-16 -d --no-show-raw-insn (hex) and --no-print-imm-hex (decimal) on the same bytes
// assembled with `.byte`; the second holds forms objdump-16 cannot decode, spelled as later LLVM
// releases print them.
#include "decoder.h"
#include "disassembler.h"
#include "encode.h"

#include <doctest/doctest.h>

#include <vector>

namespace bpfcheck {
namespace {

using test::raw;

struct TextCase {
  std::vector<RawInstruction> slots;
  const char *hex;
  const char *decimal;
};

std::string text_of(std::vector<RawInstruction> slots, DisassemblyOptions::Immediates style) {
  slots.resize(slots.size() + 4, test::exit_insn());
  auto decoded = decode_instruction(slots, 0);
  REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error()));
  DisassemblyOptions options;
  options.immediates = style;
  return format_instruction(*decoded, options);
}

void check_table(const std::vector<TextCase> &cases) {
  for (const TextCase &text : cases) {
    CAPTURE(text.hex);
    CHECK(text_of(text.slots, DisassemblyOptions::Immediates::Hex) == std::string(text.hex));
    CHECK(text_of(text.slots, DisassemblyOptions::Immediates::Decimal) ==
          std::string(text.decimal));
  }
}

TEST_CASE("disassembly matches llvm-objdump-16 for every form it decodes") {
  check_table({
      {{raw(0x0f, 1, 2, 0, 0)}, "r1 += r2", "r1 += r2"},
      {{raw(0x07, 1, 0, 0, -5)}, "r1 += -0x5", "r1 += -5"},
      {{raw(0x0c, 1, 2, 0, 0)}, "w1 += w2", "w1 += w2"},
      {{raw(0x04, 1, 0, 0, 0x7fffffff)}, "w1 += 0x7fffffff", "w1 += 2147483647"},
      {{raw(0x17, 3, 0, 0, 7)}, "r3 -= 0x7", "r3 -= 7"},
      {{raw(0x1c, 3, 4, 0, 0)}, "w3 -= w4", "w3 -= w4"},
      {{raw(0x27, 3, 0, 0, 7)}, "r3 *= 0x7", "r3 *= 7"},
      {{raw(0x2c, 3, 4, 0, 0)}, "w3 *= w4", "w3 *= w4"},
      {{raw(0x3f, 1, 2, 0, 0)}, "r1 /= r2", "r1 /= r2"},
      {{raw(0x34, 1, 0, 0, 3)}, "w1 /= 0x3", "w1 /= 3"},
      {{raw(0x47, 1, 0, 0, 1)}, "r1 |= 0x1", "r1 |= 1"},
      {{raw(0x4c, 1, 2, 0, 0)}, "w1 |= w2", "w1 |= w2"},
      {{raw(0x57, 1, 0, 0, 255)}, "r1 &= 0xff", "r1 &= 255"},
      {{raw(0x5c, 1, 2, 0, 0)}, "w1 &= w2", "w1 &= w2"},
      {{raw(0x67, 1, 0, 0, 63)}, "r1 <<= 0x3f", "r1 <<= 63"},
      {{raw(0x6c, 1, 2, 0, 0)}, "w1 <<= w2", "w1 <<= w2"},
      {{raw(0x77, 1, 0, 0, 32)}, "r1 >>= 0x20", "r1 >>= 32"},
      {{raw(0x7c, 1, 2, 0, 0)}, "w1 >>= w2", "w1 >>= w2"},
      {{raw(0x87, 1, 0, 0, 0)}, "r1 = -r1", "r1 = -r1"},
      {{raw(0x84, 4, 0, 0, 0)}, "w4 = -w4", "w4 = -w4"},
      {{raw(0x97, 1, 0, 0, 3)}, "r1 %= 0x3", "r1 %= 3"},
      {{raw(0x9c, 1, 2, 0, 0)}, "w1 %= w2", "w1 %= w2"},
      {{raw(0xaf, 1, 10, 0, 0)}, "r1 ^= r10", "r1 ^= r10"},
      {{raw(0xa4, 1, 0, 0, -1)}, "w1 ^= -0x1", "w1 ^= -1"},
      {{raw(0xbf, 1, 10, 0, 0)}, "r1 = r10", "r1 = r10"},
      {{raw(0xb7, 1, 0, 0, -16)}, "r1 = -0x10", "r1 = -16"},
      {{raw(0xbc, 1, 2, 0, 0)}, "w1 = w2", "w1 = w2"},
      {{raw(0xb4, 0, 0, 0, -1)}, "w0 = -0x1", "w0 = -1"},
      {{raw(0xc7, 1, 0, 0, 3)}, "r1 s>>= 0x3", "r1 s>>= 3"},
      {{raw(0xcc, 1, 2, 0, 0)}, "w1 s>>= w2", "w1 s>>= w2"},
      {{raw(0xd4, 1, 0, 0, 16)}, "r1 = le16 r1", "r1 = le16 r1"},
      {{raw(0xd4, 1, 0, 0, 32)}, "r1 = le32 r1", "r1 = le32 r1"},
      {{raw(0xd4, 1, 0, 0, 64)}, "r1 = le64 r1", "r1 = le64 r1"},
      {{raw(0xdc, 1, 0, 0, 16)}, "r1 = be16 r1", "r1 = be16 r1"},
      {{raw(0xdc, 1, 0, 0, 32)}, "r1 = be32 r1", "r1 = be32 r1"},
      {{raw(0xdc, 1, 0, 0, 64)}, "r1 = be64 r1", "r1 = be64 r1"},
      {{raw(0x61, 1, 6, 0, 0)}, "r1 = *(u32 *)(r6 + 0x0)", "r1 = *(u32 *)(r6 + 0)"},
      {{raw(0x69, 1, 6, -2, 0)}, "r1 = *(u16 *)(r6 - 0x2)", "r1 = *(u16 *)(r6 - 2)"},
      {{raw(0x71, 1, 10, -1, 0)}, "r1 = *(u8 *)(r10 - 0x1)", "r1 = *(u8 *)(r10 - 1)"},
      {{raw(0x79, 0, 1, 8, 0)}, "r0 = *(u64 *)(r1 + 0x8)", "r0 = *(u64 *)(r1 + 8)"},
      {{raw(0x79, 0, 1, -32768, 0)}, "r0 = *(u64 *)(r1 - 0x8000)", "r0 = *(u64 *)(r1 - 32768)"},
      {{raw(0x79, 0, 1, 32767, 0)}, "r0 = *(u64 *)(r1 + 0x7fff)", "r0 = *(u64 *)(r1 + 32767)"},
      {{raw(0x63, 10, 1, -4, 0)}, "*(u32 *)(r10 - 0x4) = r1", "*(u32 *)(r10 - 4) = r1"},
      {{raw(0x6b, 10, 1, -4, 0)}, "*(u16 *)(r10 - 0x4) = r1", "*(u16 *)(r10 - 4) = r1"},
      {{raw(0x73, 10, 1, -4, 0)}, "*(u8 *)(r10 - 0x4) = r1", "*(u8 *)(r10 - 4) = r1"},
      {{raw(0x7b, 1, 10, 0, 0)}, "*(u64 *)(r1 + 0x0) = r10", "*(u64 *)(r1 + 0) = r10"},
      {{raw(0xc3, 1, 2, 0, 0x00)}, "lock *(u32 *)(r1 + 0x0) += r2", "lock *(u32 *)(r1 + 0) += r2"},
      {{raw(0xdb, 1, 2, 0, 0x00)}, "lock *(u64 *)(r1 + 0x0) += r2", "lock *(u64 *)(r1 + 0) += r2"},
      {{raw(0xdb, 1, 2, 0, 0x40)}, "lock *(u64 *)(r1 + 0x0) |= r2", "lock *(u64 *)(r1 + 0) |= r2"},
      {{raw(0xdb, 1, 2, 0, 0x50)}, "lock *(u64 *)(r1 + 0x0) &= r2", "lock *(u64 *)(r1 + 0) &= r2"},
      {{raw(0xdb, 1, 2, 0, 0xa0)}, "lock *(u64 *)(r1 + 0x0) ^= r2", "lock *(u64 *)(r1 + 0) ^= r2"},
      {{raw(0xdb, 1, 2, 8, 0x01)},
       "r2 = atomic_fetch_add((u64 *)(r1 + 0x8), r2)",
       "r2 = atomic_fetch_add((u64 *)(r1 + 8), r2)"},
      {{raw(0xdb, 1, 2, 0, 0x41)},
       "r2 = atomic_fetch_or((u64 *)(r1 + 0x0), r2)",
       "r2 = atomic_fetch_or((u64 *)(r1 + 0), r2)"},
      {{raw(0xdb, 1, 2, 0, 0x51)},
       "r2 = atomic_fetch_and((u64 *)(r1 + 0x0), r2)",
       "r2 = atomic_fetch_and((u64 *)(r1 + 0), r2)"},
      {{raw(0xdb, 1, 2, -8, 0xa1)},
       "r2 = atomic_fetch_xor((u64 *)(r1 - 0x8), r2)",
       "r2 = atomic_fetch_xor((u64 *)(r1 - 8), r2)"},
      {{raw(0xdb, 1, 2, 0, 0xe1)}, "r2 = xchg_64(r1 + 0x0, r2)", "r2 = xchg_64(r1 + 0, r2)"},
      {{raw(0xdb, 1, 2, 0, 0xf1)},
       "r0 = cmpxchg_64(r1 + 0x0, r0, r2)",
       "r0 = cmpxchg_64(r1 + 0, r0, r2)"},
      {{raw(0x18, 1, 0, 0, 0x23456789), raw(0, 0, 0, 0, 1)},
       "r1 = 0x123456789 ll",
       "r1 = 4886718345 ll"},
      {{raw(0x18, 1, 0, 0, -1), raw(0, 0, 0, 0, -1)}, "r1 = -0x1 ll", "r1 = -1 ll"},
      {{raw(0x18, 1, 0, 0, 0), raw(0, 0, 0, 0, 0)}, "r1 = 0x0 ll", "r1 = 0 ll"},
      {{raw(0x18, 1, 1, 0, 3), raw(0, 0, 0, 0, 0)},
       "ld_pseudo\tr1, 0x1, 0x3",
       "ld_pseudo\tr1, 1, 3"},
      {{raw(0x18, 1, 2, 0, 3), raw(0, 0, 0, 0, 16)},
       "ld_pseudo\tr1, 0x2, 0x3",
       "ld_pseudo\tr1, 2, 3"},
      {{raw(0x18, 2, 3, 0, 7), raw(0, 0, 0, 0, 0)},
       "ld_pseudo\tr2, 0x3, 0x7",
       "ld_pseudo\tr2, 3, 7"},
      {{raw(0x18, 2, 4, 0, 2), raw(0, 0, 0, 0, 0)},
       "ld_pseudo\tr2, 0x4, 0x2",
       "ld_pseudo\tr2, 4, 2"},
      {{raw(0x18, 1, 5, 0, 0), raw(0, 0, 0, 0, 0)},
       "ld_pseudo\tr1, 0x5, 0x0",
       "ld_pseudo\tr1, 5, 0"},
      {{raw(0x18, 1, 6, 0, 1), raw(0, 0, 0, 0, 4)},
       "ld_pseudo\tr1, 0x6, 0x1",
       "ld_pseudo\tr1, 6, 1"},
      {{raw(0x20, 0, 0, 0, 12)}, "r0 = *(u32 *)skb[0xc]", "r0 = *(u32 *)skb[12]"},
      {{raw(0x28, 0, 0, 0, 12)}, "r0 = *(u16 *)skb[0xc]", "r0 = *(u16 *)skb[12]"},
      {{raw(0x30, 0, 0, 0, -1)}, "r0 = *(u8 *)skb[-0x1]", "r0 = *(u8 *)skb[-1]"},
      {{raw(0x40, 0, 3, 0, 0)}, "r0 = *(u32 *)skb[r3]", "r0 = *(u32 *)skb[r3]"},
      {{raw(0x48, 0, 3, 0, 0)}, "r0 = *(u16 *)skb[r3]", "r0 = *(u16 *)skb[r3]"},
      {{raw(0x50, 0, 3, 0, 0)}, "r0 = *(u8 *)skb[r3]", "r0 = *(u8 *)skb[r3]"},
      {{raw(0x05, 0, 0, 2, 0)}, "goto +0x2", "goto +2"},
      {{raw(0x05, 0, 0, -1, 0)}, "goto -0x1", "goto -1"},
      {{raw(0x15, 1, 0, 1, 5)}, "if r1 == 0x5 goto +0x1", "if r1 == 5 goto +1"},
      {{raw(0x1d, 1, 2, 0, 0)}, "if r1 == r2 goto +0x0", "if r1 == r2 goto +0"},
      {{raw(0x25, 1, 0, 0, 16)}, "if r1 > 0x10 goto +0x0", "if r1 > 16 goto +0"},
      {{raw(0x2d, 1, 2, 0, 0)}, "if r1 > r2 goto +0x0", "if r1 > r2 goto +0"},
      {{raw(0x35, 1, 0, 0, 1)}, "if r1 >= 0x1 goto +0x0", "if r1 >= 1 goto +0"},
      {{raw(0x3d, 1, 2, 0, 0)}, "if r1 >= r2 goto +0x0", "if r1 >= r2 goto +0"},
      {{raw(0x55, 1, 0, 0, 1)}, "if r1 != 0x1 goto +0x0", "if r1 != 1 goto +0"},
      {{raw(0x5d, 1, 2, 0, 0)}, "if r1 != r2 goto +0x0", "if r1 != r2 goto +0"},
      {{raw(0x65, 1, 0, 0, -1)}, "if r1 s> -0x1 goto +0x0", "if r1 s> -1 goto +0"},
      {{raw(0x6d, 1, 2, 0, 0)}, "if r1 s> r2 goto +0x0", "if r1 s> r2 goto +0"},
      {{raw(0x75, 1, 0, 0, 1)}, "if r1 s>= 0x1 goto +0x0", "if r1 s>= 1 goto +0"},
      {{raw(0x7d, 1, 2, 0, 0)}, "if r1 s>= r2 goto +0x0", "if r1 s>= r2 goto +0"},
      {{raw(0xa5, 1, 0, 0, 1)}, "if r1 < 0x1 goto +0x0", "if r1 < 1 goto +0"},
      {{raw(0xad, 1, 2, 0, 0)}, "if r1 < r2 goto +0x0", "if r1 < r2 goto +0"},
      {{raw(0xb5, 1, 0, 0, 1)}, "if r1 <= 0x1 goto +0x0", "if r1 <= 1 goto +0"},
      {{raw(0xbd, 10, 2, 0, 0)}, "if r10 <= r2 goto +0x0", "if r10 <= r2 goto +0"},
      {{raw(0xc5, 1, 0, 0, 1)}, "if r1 s< 0x1 goto +0x0", "if r1 s< 1 goto +0"},
      {{raw(0xcd, 1, 2, 0, 0)}, "if r1 s< r2 goto +0x0", "if r1 s< r2 goto +0"},
      {{raw(0xd5, 1, 0, 0, 1)}, "if r1 s<= 0x1 goto +0x0", "if r1 s<= 1 goto +0"},
      {{raw(0xdd, 1, 2, 0, 0)}, "if r1 s<= r2 goto +0x0", "if r1 s<= r2 goto +0"},
      {{raw(0x16, 1, 0, 0, -1)}, "if w1 == -0x1 goto +0x0", "if w1 == -1 goto +0"},
      {{raw(0x1e, 1, 2, 0, 0)}, "if w1 == w2 goto +0x0", "if w1 == w2 goto +0"},
      {{raw(0x26, 1, 0, 0, 1)}, "if w1 > 0x1 goto +0x0", "if w1 > 1 goto +0"},
      {{raw(0x2e, 1, 2, 0, 0)}, "if w1 > w2 goto +0x0", "if w1 > w2 goto +0"},
      {{raw(0x36, 1, 0, 0, 1)}, "if w1 >= 0x1 goto +0x0", "if w1 >= 1 goto +0"},
      {{raw(0x3e, 1, 2, 0, 0)}, "if w1 >= w2 goto +0x0", "if w1 >= w2 goto +0"},
      {{raw(0x56, 1, 0, 0, 1)}, "if w1 != 0x1 goto +0x0", "if w1 != 1 goto +0"},
      {{raw(0x5e, 1, 2, 0, 0)}, "if w1 != w2 goto +0x0", "if w1 != w2 goto +0"},
      {{raw(0x66, 1, 0, 0, 1)}, "if w1 s> 0x1 goto +0x0", "if w1 s> 1 goto +0"},
      {{raw(0x6e, 1, 2, 0, 0)}, "if w1 s> w2 goto +0x0", "if w1 s> w2 goto +0"},
      {{raw(0x76, 1, 0, 0, 1)}, "if w1 s>= 0x1 goto +0x0", "if w1 s>= 1 goto +0"},
      {{raw(0x7e, 1, 2, 0, 0)}, "if w1 s>= w2 goto +0x0", "if w1 s>= w2 goto +0"},
      {{raw(0xa6, 1, 0, 0, 1)}, "if w1 < 0x1 goto +0x0", "if w1 < 1 goto +0"},
      {{raw(0xae, 1, 2, 0, 0)}, "if w1 < w2 goto +0x0", "if w1 < w2 goto +0"},
      {{raw(0xb6, 1, 0, 0, 1)}, "if w1 <= 0x1 goto +0x0", "if w1 <= 1 goto +0"},
      {{raw(0xbe, 1, 2, 0, 0)}, "if w1 <= w2 goto +0x0", "if w1 <= w2 goto +0"},
      {{raw(0xc6, 1, 0, 0, 1)}, "if w1 s< 0x1 goto +0x0", "if w1 s< 1 goto +0"},
      {{raw(0xce, 1, 2, 0, 0)}, "if w1 s< w2 goto +0x0", "if w1 s< w2 goto +0"},
      {{raw(0xd6, 1, 0, 1, -8)}, "if w1 s<= -0x8 goto +0x1", "if w1 s<= -8 goto +1"},
      {{raw(0xde, 1, 2, 0, 0)}, "if w1 s<= w2 goto +0x0", "if w1 s<= w2 goto +0"},
      {{raw(0x85, 0, 0, 0, 1)}, "call 0x1", "call 1"},
      {{raw(0x85, 0, 1, 0, -1)}, "call -0x1", "call -1"},
      {{raw(0x85, 0, 2, 0, 77)}, "call 0x4d", "call 77"},
      {{raw(0x95, 0, 0, 0, 0)}, "exit", "exit"},
  });
}

TEST_CASE("disassembly of forms llvm-objdump-16 cannot decode uses later LLVM spellings") {
  check_table({
      {{raw(0x3f, 1, 2, 1, 0)}, "r1 s/= r2", "r1 s/= r2"},
      {{raw(0x34, 1, 0, 1, -3)}, "w1 s/= -0x3", "w1 s/= -3"},
      {{raw(0x9f, 1, 2, 1, 0)}, "r1 s%= r2", "r1 s%= r2"},
      {{raw(0x94, 1, 0, 1, 3)}, "w1 s%= 0x3", "w1 s%= 3"},
      {{raw(0xbf, 1, 2, 8, 0)}, "r1 = (s8)r2", "r1 = (s8)r2"},
      {{raw(0xbf, 1, 2, 16, 0)}, "r1 = (s16)r2", "r1 = (s16)r2"},
      {{raw(0xbf, 1, 2, 32, 0)}, "r1 = (s32)r2", "r1 = (s32)r2"},
      {{raw(0xbc, 1, 2, 8, 0)}, "w1 = (s8)w2", "w1 = (s8)w2"},
      {{raw(0xbc, 1, 2, 16, 0)}, "w1 = (s16)w2", "w1 = (s16)w2"},
      {{raw(0x81, 1, 2, 0, 0)}, "r1 = *(s32 *)(r2 + 0x0)", "r1 = *(s32 *)(r2 + 0)"},
      {{raw(0x89, 1, 2, -2, 0)}, "r1 = *(s16 *)(r2 - 0x2)", "r1 = *(s16 *)(r2 - 2)"},
      {{raw(0x91, 1, 2, 1, 0)}, "r1 = *(s8 *)(r2 + 0x1)", "r1 = *(s8 *)(r2 + 1)"},
      {{raw(0xd7, 1, 0, 0, 16)}, "r1 = bswap16 r1", "r1 = bswap16 r1"},
      {{raw(0xd7, 1, 0, 0, 32)}, "r1 = bswap32 r1", "r1 = bswap32 r1"},
      {{raw(0xd7, 1, 0, 0, 64)}, "r1 = bswap64 r1", "r1 = bswap64 r1"},
      {{raw(0x06, 0, 0, 0, 3)}, "gotol +0x3", "gotol +3"},
      {{raw(0xe5, 0, 0, 2, 0)}, "may_goto +0x2", "may_goto +2"},
      {{raw(0x62, 10, 0, -8, 5)}, "*(u32 *)(r10 - 0x8) = 0x5", "*(u32 *)(r10 - 8) = 5"},
      {{raw(0x6a, 10, 0, -8, 5)}, "*(u16 *)(r10 - 0x8) = 0x5", "*(u16 *)(r10 - 8) = 5"},
      {{raw(0x72, 10, 0, -8, 5)}, "*(u8 *)(r10 - 0x8) = 0x5", "*(u8 *)(r10 - 8) = 5"},
      {{raw(0x7a, 10, 0, -8, -5)}, "*(u64 *)(r10 - 0x8) = -0x5", "*(u64 *)(r10 - 8) = -5"},
      {{raw(0x4d, 1, 2, 0, 0)}, "if r1 & r2 goto +0x0", "if r1 & r2 goto +0"},
      {{raw(0x45, 1, 0, 1, 8)}, "if r1 & 0x8 goto +0x1", "if r1 & 8 goto +1"},
      {{raw(0x4e, 1, 2, 0, 0)}, "if w1 & w2 goto +0x0", "if w1 & w2 goto +0"},
      // 32-bit atomics other than add: objdump-16 decodes them only with --mattr=+alu32.
      {{raw(0xc3, 1, 2, 0, 0x50)}, "lock *(u32 *)(r1 + 0x0) &= w2", "lock *(u32 *)(r1 + 0) &= w2"},
      {{raw(0xc3, 1, 2, 0, 0x40)}, "lock *(u32 *)(r1 + 0x0) |= w2", "lock *(u32 *)(r1 + 0) |= w2"},
      {{raw(0xc3, 1, 2, 0, 0xa0)}, "lock *(u32 *)(r1 + 0x0) ^= w2", "lock *(u32 *)(r1 + 0) ^= w2"},
      {{raw(0xc3, 1, 2, 0, 0x01)},
       "w2 = atomic_fetch_add((u32 *)(r1 + 0x0), w2)",
       "w2 = atomic_fetch_add((u32 *)(r1 + 0), w2)"},
      {{raw(0xc3, 1, 2, 0, 0x41)},
       "w2 = atomic_fetch_or((u32 *)(r1 + 0x0), w2)",
       "w2 = atomic_fetch_or((u32 *)(r1 + 0), w2)"},
      {{raw(0xc3, 1, 2, 0, 0x51)},
       "w2 = atomic_fetch_and((u32 *)(r1 + 0x0), w2)",
       "w2 = atomic_fetch_and((u32 *)(r1 + 0), w2)"},
      {{raw(0xc3, 1, 2, 0, 0xa1)},
       "w2 = atomic_fetch_xor((u32 *)(r1 + 0x0), w2)",
       "w2 = atomic_fetch_xor((u32 *)(r1 + 0), w2)"},
      {{raw(0xc3, 1, 2, 0, 0xe1)}, "w2 = xchg32_32(r1 + 0x0, w2)", "w2 = xchg32_32(r1 + 0, w2)"},
      {{raw(0xc3, 1, 2, 0, 0xf1)},
       "w0 = cmpxchg32_32(r1 + 0x0, w0, w2)",
       "w0 = cmpxchg32_32(r1 + 0, w0, w2)"},
  });
}

TEST_CASE("listings interleave source lines and name functions") {
  Program program;
  program.name = "entry";
  program.instructions = {test::mov64_imm(0, 0), raw(0x85, 0, 1, 0, 1), test::exit_insn(),
                          test::mov64_imm(0, 1), test::exit_insn()};
  program.subprograms = {Subprogram{"entry", 0}, Subprogram{"helper", 3}};
  program.lines.add(0, SourceLocation{"a.c", 3, 5, "  int x = 0;"});
  program.lines.add(1, SourceLocation{"a.c", 3, 9, "  int x = 0;"}); // same line: printed once
  program.lines.add(2, SourceLocation{"a.c", 4, 3, "  return f();"});
  program.lines.add(3, SourceLocation{"a.c", 9, 3, ""});
  program.lines.add(4, SourceLocation{"a.c", 0, 0, ""}); // made-up code: never printed
  auto decoded = decode(program);
  REQUIRE(decoded.ok());
  DisassemblyOptions options;
  options.target_slots = true;
  CHECK(disassemble(program, *decoded, options) == "<entry>:\n"
                                                   ";   int x = 0;\n"
                                                   "       0:\tr0 = 0x0\n"
                                                   "       1:\tcall 0x1 <3>\n"
                                                   ";   return f();\n"
                                                   "       2:\texit\n"
                                                   "\n"
                                                   "<helper>:\n"
                                                   "; a.c:9\n"
                                                   "       3:\tr0 = 0x1\n"
                                                   "       4:\texit\n");
  options.source_lines = false;
  options.target_slots = false;
  CHECK(disassemble(program, *decoded, options).find(';') == std::string::npos);
}

} // namespace
} // namespace bpfcheck
