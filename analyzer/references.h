// The acquired references of a state (socket lookups, ring buffer reservations): a small
// fixed-capacity set of ids, each held surely or only on some of the joined paths. A reference
// held at exit on any path is a leak; releasing one that may already be released is an error.
#pragma once

#include <array>
#include <cstdint>

namespace bpfcheck::analyzer {

class References {
public:
  static constexpr unsigned kCapacity = 8;
  struct Ref {
    std::uint32_t id = 0;     // the pointer id of the acquired object (RegValue::id)
    std::uint16_t helper = 0; // the acquiring helper, for messages
    bool maybe = false;       // held on some joined paths only
    bool operator==(const Ref &) const = default;
  };

  const Ref *find(std::uint32_t id) const;
  bool full() const { return count_ == kCapacity; }
  bool empty() const { return count_ == 0; }
  // Adds a surely held reference (callers check full() first).
  void acquire(std::uint32_t id, std::uint16_t helper);
  void release(std::uint32_t id);
  // A maybe-held reference whose pointer is found non-null is surely held (a null test's
  // non-null edge: on the paths where it was not held, the pointer was NULL).
  void confirm(std::uint32_t id);
  // Renames a reference (unify_ids).
  void rename(std::uint32_t from, std::uint32_t to);
  const Ref *begin() const { return refs_.data(); }
  const Ref *end() const { return refs_.data() + count_; }

  bool leq(const References &o) const;
  References join(const References &o) const;
  bool operator==(const References &) const = default;

private:
  std::array<Ref, kCapacity> refs_{};
  std::uint8_t count_ = 0;
};

class State;
// Before a join: a register holding pointers of one kind under two ids, each unknown to the
// other state, gets one id in both (ids are names), so that a reference acquired by one of two
// calls is still released through the joined pointer (id_unify.cpp).
void unify_ids(State &a, State &b);

} // namespace bpfcheck::analyzer
