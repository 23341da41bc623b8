// generators.cpp: the synthetic programs of generators.h. Registers: r6 = data, r7 = data_end,
// r8 = x = data_end - data (unknown to every verifier), r9 = the accumulator. x and the
// accumulator stay unknown so that no branch is decided statically, as in real code.
#include "generators.h"

#include "program_builder.h"

namespace bpfcheck::bench {
namespace {

constexpr std::uint8_t kData = 6, kDataEnd = 7, kX = 8, kAcc = 9;
constexpr std::size_t kEpilogue = 4;

Program xdp_program(const std::string &name, Builder &b) {
  Program p;
  p.file = "<generated>";
  p.section = "xdp";
  p.name = name;
  p.type = ProgramType::Xdp;
  p.license = "GPL";
  p.instructions = b.finish();
  p.subprograms = {{name, 0, 0, false}};
  return p;
}

// r6 = ctx->data; r7 = ctx->data_end; r8 = r7 - r6; r9 = r8
void prologue(Builder &b) {
  b.load(4, kData, 1, 0);
  b.load(4, kDataEnd, 1, 4);
  b.mov_reg(kX, kDataEnd);
  b.alu_reg(kSub, kX, kData);
  b.mov_reg(kAcc, kX);
}

// return (acc & 1) + 1: XDP_DROP or XDP_PASS, depending on every step of the chain.
void return_from_acc(Builder &b) {
  b.mov_reg(0, kAcc);
  b.alu(kAnd, 0, 1);
  b.alu(kAdd, 0, 1);
  b.exit();
}

void diamond(Builder &b, std::uint8_t reg, std::int32_t bit, std::int32_t k) {
  const auto taken = b.label(), join = b.label();
  b.jump(kJset, reg, bit, taken);
  b.alu(kXor, kAcc, k);
  b.jump_always(join);
  b.bind(taken);
  b.alu(kAdd, kAcc, k);
  b.bind(join);
}

// if (data + end <= data_end) { f = *(size *)(data + end - size); if (f & bit) acc += f; else
// acc ^= k; }: a header field read after its bounds check, then a test of one of its flags.
// `slip` moves the read past what was checked (the bug of the unsafe variant).
void packet_field(Builder &b, std::int32_t end, int size, std::int32_t bit, std::int32_t k,
                  std::int32_t slip = 0) {
  const auto skip = b.label(), taken = b.label();
  b.mov_reg(1, kData);
  b.alu(kAdd, 1, end);
  b.jump_reg(kJgt, 1, kDataEnd, skip);
  b.load(size, 2, kData, static_cast<std::int16_t>(end - size + slip));
  b.jump(kJset, 2, bit, taken);
  b.alu(kXor, kAcc, k);
  b.jump_always(skip);
  b.bind(taken);
  b.alu_reg(kAdd, kAcc, 2);
  b.bind(skip);
}

// key = (u32)acc; v = bpf_map_lookup_elem(&counters, &key);
// if (v) { acc += *v; if (*v > limit) *v = 0; else *v += 1; }
void map_update(Builder &b, std::int32_t limit) {
  const auto skip = b.label(), reset = b.label();
  b.store(4, kFp, -4, kAcc);
  b.load_map(1, 0);
  b.mov_reg(2, kFp);
  b.alu(kAdd, 2, -4);
  b.call(kMapLookupElem);
  b.jump(kJeq, 0, 0, skip);
  b.load(8, 1, 0, 0);
  b.alu_reg(kAdd, kAcc, 1);
  b.jump(kJgt, 1, limit, reset);
  b.alu(kAdd, 1, 1);
  b.store(8, 0, 0, 1);
  b.jump_always(skip);
  b.bind(reset);
  b.mov(1, 0);
  b.store(8, 0, 0, 1);
  b.bind(skip);
}

// for (i = 0; i < 16; i++) acc = acc * 3 + i;
void counter_loop(Builder &b) {
  const auto head = b.label();
  b.mov(1, 0);
  b.bind(head);
  b.alu(kMul, kAcc, 3);
  b.alu_reg(kAdd, kAcc, 1);
  b.alu(kAdd, 1, 1);
  b.jump(kJlt, 1, 16, head);
}

// for (i = 0; i < 8; i++) { if (data + i + 1 > data_end) break; acc += data[i]; }
void packet_loop(Builder &b) {
  const auto head = b.label(), out = b.label();
  b.mov(1, 0);
  b.bind(head);
  b.mov_reg(2, kData);
  b.alu_reg(kAdd, 2, 1);
  b.mov_reg(3, 2);
  b.alu(kAdd, 3, 1);
  b.jump_reg(kJgt, 3, kDataEnd, out);
  b.load(1, 4, 2, 0);
  b.alu_reg(kAdd, kAcc, 4);
  b.alu(kAdd, 1, 1);
  b.jump(kJlt, 1, 8, head);
  b.bind(out);
}

} // namespace

Program straight_chain(std::size_t instructions) {
  Builder b;
  prologue(b);
  for (std::int32_t k = 1; b.size() + 3 + kEpilogue <= instructions; ++k) {
    b.alu(kMul, kAcc, 3);
    b.alu_reg(kAdd, kAcc, kX);
    b.alu(kAdd, kAcc, k % 1000 + 1);
  }
  return_from_acc(b);
  return xdp_program("straight_chain", b);
}

Program diamond_chain(std::size_t instructions) {
  Builder b;
  prologue(b);
  for (std::int32_t i = 0; b.size() + 4 + kEpilogue <= instructions; ++i)
    diamond(b, kX, 1 << (i % 16), i % 1000 + 1);
  return_from_acc(b);
  return xdp_program("diamond_chain", b);
}

namespace {

Program mixed_program(std::size_t instructions, bool unsafe) {
  // Header-sized reads, as a parser makes: Ethernet type, IPv4 protocol, addresses, L4 ports.
  struct Access {
    std::int32_t end;
    int size;
  };
  static constexpr Access kAccesses[] = {{14, 2}, {24, 1}, {34, 4}, {38, 2}, {54, 4}};
  constexpr std::size_t kRound = 2 * 10 + 16;
  Builder b;
  prologue(b);
  bool counted = false, bytes = false, slipped = !unsafe;
  for (std::int32_t i = 0; b.size() + kRound + kEpilogue <= instructions; ++i) {
    const Access &a = kAccesses[i % 5];
    const Access &c = kAccesses[(i + 2) % 5];
    // The unsafe variant reads the IPv4 protocol byte one byte past its check, once, midway.
    const bool slip = !slipped && a.size == 1 && b.size() * 2 >= instructions;
    slipped |= slip;
    packet_field(b, a.end, a.size, 1 << (i % (8 * a.size)), i % 1000 + 1, slip ? 1 : 0);
    map_update(b, 1000 + i);
    packet_field(b, c.end, c.size, 1 << ((i + 3) % (8 * c.size)), i % 100 + 1);
    if (!counted && b.size() * 3 >= instructions) {
      counter_loop(b);
      counted = true;
    }
    if (!bytes && b.size() * 3 >= instructions * 2) {
      packet_loop(b);
      bytes = true;
    }
  }
  b.mov(0, 2); // XDP_PASS
  b.exit();
  Program p = xdp_program(unsafe ? "mixed_unsafe" : "mixed", b);
  p.maps.push_back({"counters", MapOrigin::BtfDefined, /*BPF_MAP_TYPE_HASH*/ 1, 4, 8, 1024});
  return p;
}

} // namespace

Program mixed(std::size_t instructions) { return mixed_program(instructions, false); }

Program mixed_one_unchecked_read(std::size_t instructions) {
  return mixed_program(instructions, true);
}

} // namespace bpfcheck::bench
