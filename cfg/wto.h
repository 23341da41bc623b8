// Weak topological order of a function's block graph (Bourdoncle, "Efficient chaotic iteration
// strategies with widenings", 1993), the iteration order of the analyzer's fixpoint: the
// recursive strategy iterates each component until its head stabilizes, widening at heads.
#pragma once

#include "cfg.h"

#include <string>
#include <vector>

namespace bpfcheck {

// The WTO as a flat sequence in Bourdoncle's order. A component is the range [i, end) of
// entries starting at its head i; nested components are nested ranges. Only blocks reachable
// from the entry appear.
class Wto {
public:
  struct Entry {
    BlockId block = 0;
    bool head = false;     // starts a component (loop head, also of a self loop)
    std::uint32_t end = 0; // one past the component's last entry; index + 1 for plain blocks
  };
  static constexpr std::uint32_t kAbsent = UINT32_MAX;

  // Computes the WTO from `entry` iteratively: no recursion, whatever the graph's depth.
  Wto(const CfgGraph &graph, BlockId entry = FunctionCfg::kEntry);
  explicit Wto(const FunctionCfg &function) : Wto(function.graph, FunctionCfg::kEntry) {}

  const std::vector<Entry> &entries() const { return entries_; }
  // Index of `block` in entries(), or kAbsent when it is unreachable.
  std::uint32_t position(BlockId block) const { return position_[block]; }
  // The head of the innermost component strictly containing `block` (for a head: the one
  // around its own component), or kAbsent at the top level.
  std::uint32_t enclosing_head(BlockId block) const { return parent_[block]; }
  // Bourdoncle's nesting: heads of the components containing `block`, outermost first.
  std::vector<BlockId> nesting(BlockId block) const;
  // An edge u -> v goes back to a head when v does not come after u in the order.
  bool is_back_edge(BlockId from, BlockId to) const {
    return position_[from] != kAbsent && position_[to] != kAbsent &&
           position_[to] <= position_[from];
  }
  // Bourdoncle's notation, e.g. "0 1 (2 3 (4 5) 6) 7".
  std::string to_string() const;

private:
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> position_;
  std::vector<std::uint32_t> parent_;
};

} // namespace bpfcheck
