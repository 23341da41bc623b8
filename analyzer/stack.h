// The byte-precise BPF stack of one frame (512 bytes below r10): per byte whether it is
// uninitialized, an initialized scalar byte, or part of an 8-byte slot holding a spilled
// register with its full abstract value. Fixed-size arrays: copying a state never allocates.
#pragma once

#include "analyzer/reg_value.h"

#include <array>
#include <cstdint>
#include <span>

namespace bpfcheck::analyzer {

class Stack {
public:
  static constexpr int kSize = 512;
  static constexpr int kSlots = kSize / 8;
  enum class Byte : std::uint8_t { Uninit, Scalar, Spill };

  // Offsets are relative to r10, in [-512, 0); callers check bounds first.
  // An aligned 8-byte store spills the value; any other store makes the bytes scalar and
  // turns the rest of every spill it touches into plain scalar bytes (the spill is gone).
  void write(int offset, int size, const RegValue &value);

  enum class ReadStatus : std::uint8_t { Ok, Uninit, PartialSpill };
  struct ReadResult {
    ReadStatus status;
    RegValue value;
  };
  // An aligned 8-byte read of a spill fills it; a smaller read of a scalar spill or of scalar
  // bytes gives an unknown scalar of that width; a partial read of a spilled pointer fails,
  // as in the kernel ("invalid size of register fill").
  ReadResult read(int offset, int size) const;

  // The spilled value of the slot holding `offset`, when the whole slot is one spill.
  const RegValue *spill_at(int offset) const;
  RegValue *spill_at(int offset) {
    return const_cast<RegValue *>(static_cast<const Stack &>(*this).spill_at(offset));
  }
  static int slot_of(int offset) { return (offset + kSize) / 8; }
  Byte byte(int offset) const { return bytes_[offset + kSize]; }

  bool leq(const Stack &o) const;
  Stack join(const Stack &o) const;
  Stack widen(const Stack &o, std::span<const std::uint64_t> thresholds) const;
  Stack narrow(const Stack &o) const;
  bool operator==(const Stack &) const = default;

private:
  template <typename F> Stack combine(const Stack &o, F slot_op) const;
  void break_spill(int slot);

  std::array<Byte, kSize> bytes_{}; // index = offset + 512
  std::array<RegValue, kSlots> spills_{};
};

} // namespace bpfcheck::analyzer
