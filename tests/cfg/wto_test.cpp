// WTO tests: Bourdoncle's own example and hand-computed orders for nested, self and
// irreducible loops; the nesting relation and back edges; no stack overflow on a 200k-block
// chain or on deeply nested loops.
#include "wto.h"

#include <doctest/doctest.h>

#include <random>
#include <utility>
#include <vector>

namespace bpfcheck {
namespace {

// A graph with `count` blocks and the given edges, successors in the listed order.
CfgGraph graph_of(std::size_t count, const std::vector<std::pair<BlockId, BlockId>> &edges) {
  CfgGraph graph(count);
  for (auto [from, to] : edges)
    boost::add_edge(from, to, graph);
  return graph;
}

TEST_CASE("Bourdoncle's example gives 1 2 (3 4 (5 6) 7) 8") {
  // Figure 1 of the paper, vertex 0 unused (and unreachable).
  CfgGraph graph = graph_of(
      9, {{1, 2}, {2, 3}, {2, 8}, {3, 4}, {4, 5}, {4, 7}, {5, 6}, {6, 5}, {6, 7}, {7, 3}, {7, 8}});
  Wto wto(graph, 1);
  CHECK(wto.to_string() == "1 2 (3 4 (5 6) 7) 8");
  CHECK(wto.position(0) == Wto::kAbsent);
  CHECK(wto.nesting(6) == std::vector<BlockId>{3, 5});
  CHECK(wto.nesting(5) == std::vector<BlockId>{3});
  CHECK(wto.nesting(3).empty());
  CHECK(wto.nesting(8).empty());
  CHECK(wto.enclosing_head(4) == 3);
  CHECK(wto.is_back_edge(7, 3));
  CHECK(wto.is_back_edge(6, 5));
  CHECK_FALSE(wto.is_back_edge(4, 7));
  CHECK_FALSE(wto.is_back_edge(2, 8));
  const auto &entries = wto.entries();
  REQUIRE(entries.size() == 8);
  CHECK(entries[2].head);
  CHECK(entries[2].end == 7); // (3 4 (5 6) 7) spans entries 2..6
  CHECK(entries[4].head);
  CHECK(entries[4].end == 6);
  CHECK_FALSE(entries[3].head);
  CHECK(entries[3].end == 4);
}

TEST_CASE("nested loops sharing a latch path") {
  CfgGraph graph = graph_of(7, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 3}, {4, 5}, {5, 2}, {5, 6}});
  CHECK(Wto(graph).to_string() == "0 1 (2 (3 4) 5) 6");
}

TEST_CASE("self loops and consecutive loops") {
  CHECK(Wto(graph_of(3, {{0, 1}, {1, 1}, {1, 2}})).to_string() == "0 (1) 2");
  CHECK(Wto(graph_of(5, {{0, 1}, {1, 2}, {2, 1}, {2, 3}, {3, 3}, {3, 4}})).to_string() ==
        "0 (1 2) (3) 4");
}

TEST_CASE("irreducible loops get one head") {
  // The cycle {1, 2} is entered at both 1 and 2.
  CfgGraph graph = graph_of(4, {{0, 1}, {0, 2}, {1, 2}, {2, 1}, {1, 3}});
  Wto wto(graph);
  CHECK(wto.to_string() == "0 (1 2) 3");
  CHECK(wto.is_back_edge(2, 1));
  CHECK_FALSE(wto.is_back_edge(0, 2));
  // Entered first through 2, the head is 2.
  CHECK(Wto(graph_of(4, {{0, 2}, {0, 1}, {1, 2}, {2, 1}, {1, 3}})).to_string() == "0 (2 1) 3");
}

TEST_CASE("the entry itself can be a loop head") {
  CHECK(Wto(graph_of(2, {{0, 1}, {1, 0}})).to_string() == "(0 1)");
}

TEST_CASE("a 200k-block chain does not overflow the stack") {
  constexpr std::size_t kCount = 200000;
  CfgGraph graph(kCount);
  for (BlockId block = 0; block + 1 < kCount; ++block)
    boost::add_edge(block, block + 1, graph);
  boost::add_edge(kCount - 1, 1, graph); // and one big loop around it
  Wto wto(graph);
  REQUIRE(wto.entries().size() == kCount);
  CHECK(wto.entries()[1].head);
  CHECK(wto.entries()[1].end == kCount);
  CHECK(wto.nesting(kCount - 1) == std::vector<BlockId>{1});
}

TEST_CASE("deeply nested loops do not overflow the stack") {
  // Heads 1..depth, then latches back to each head from the innermost outwards.
  constexpr std::size_t kDepth = 3000;
  CfgGraph graph(2 * kDepth + 2);
  for (BlockId block = 0; block + 1 < 2 * kDepth + 2; ++block)
    boost::add_edge(block, block + 1, graph);
  for (BlockId k = 1; k <= kDepth; ++k)
    boost::add_edge(2 * kDepth + 1 - k, k, graph);
  Wto wto(graph);
  REQUIRE(wto.entries().size() == 2 * kDepth + 2);
  CHECK(wto.nesting(kDepth + 1).size() == kDepth);
  CHECK(wto.nesting(2 * kDepth + 1).empty());
  std::string text = wto.to_string();
  CHECK(text.substr(0, 12) == "0 (1 (2 (3 (");
  std::string tail = std::to_string(2 * kDepth) + ") " + std::to_string(2 * kDepth + 1);
  CHECK(text.substr(text.size() - tail.size()) == tail);
}

// Bourdoncle's definition: for every edge u -> v, either u comes before v, or v is the head of
// a component containing u. Every reachable block appears once, unreachable ones never.
void check_wto_properties(const CfgGraph &graph, const Wto &wto) {
  std::size_t count = boost::num_vertices(graph);
  std::vector<bool> reachable(count, false);
  std::vector<BlockId> work = {0};
  reachable[0] = true;
  while (!work.empty()) {
    BlockId block = work.back();
    work.pop_back();
    for (auto [edge, end] = boost::out_edges(block, graph); edge != end; ++edge)
      if (!reachable[boost::target(*edge, graph)]) {
        reachable[boost::target(*edge, graph)] = true;
        work.push_back(boost::target(*edge, graph));
      }
  }
  std::size_t listed = 0;
  for (BlockId block = 0; block < count; ++block) {
    CHECK((wto.position(block) != Wto::kAbsent) == reachable[block]);
    listed += reachable[block] ? 1 : 0;
  }
  CHECK(wto.entries().size() == listed);
  for (auto [edge, end] = boost::edges(graph); edge != end; ++edge) {
    BlockId from = boost::source(*edge, graph), to = boost::target(*edge, graph);
    if (!reachable[from] || wto.position(from) < wto.position(to))
      continue;
    const Wto::Entry &head = wto.entries()[wto.position(to)];
    CHECK(head.head);
    CHECK(wto.position(from) < head.end);
  }
}

TEST_CASE("random graphs satisfy the WTO definition") {
  std::mt19937 random(7);
  for (int round = 0; round < 500; ++round) {
    std::size_t count = 1 + random() % 40;
    CfgGraph graph(count);
    std::size_t edges = random() % (3 * count);
    for (std::size_t e = 0; e < edges; ++e)
      boost::add_edge(random() % count, random() % count, graph);
    Wto wto(graph);
    CAPTURE(wto.to_string());
    check_wto_properties(graph, wto);
  }
}

} // namespace
} // namespace bpfcheck
