// Bourdoncle's recursive WTO algorithm, run with explicit stacks instead of recursion so that a
// 100k-block chain or deep loop nesting cannot overflow the call stack. Partitions are built by
// prepending, as in the paper, into singly linked lists held in one arena.
#include "wto.h"

#include <limits>

namespace bpfcheck {
namespace {

constexpr std::uint32_t kDone = std::numeric_limits<std::uint32_t>::max();
constexpr std::int32_t kEmpty = -1;

// A partition element: a block, or a component whose body is the list starting at `body`.
struct Node {
  BlockId block;
  bool component;
  std::int32_t body;
  std::int32_t next;
};

using OutEdge = boost::graph_traits<CfgGraph>::out_edge_iterator;

// One activation of visit(v) or component(v) of the paper.
struct Frame {
  BlockId block;
  OutEdge edge, edges_end;
  bool is_component;
  bool component_done; // visit(v) waits for component(v) to finish
  bool loop;
  std::uint32_t head;
  std::uint32_t list;  // visit: the partition to prepend to; component: its own body
  std::uint32_t outer; // component: the partition the finished component goes to
};

class Builder {
public:
  explicit Builder(const CfgGraph &graph) : graph_(graph), dfn_(boost::num_vertices(graph), 0) {}

  // Returns the head of the top-level partition list, and the node arena.
  std::int32_t run(BlockId entry) {
    lists_.push_back(kEmpty);
    push_visit(entry, 0);
    while (!frames_.empty())
      step();
    return lists_[0];
  }
  const std::vector<Node> &nodes() const { return nodes_; }

private:
  void push_visit(BlockId block, std::uint32_t list) {
    stack_.push_back(block);
    dfn_[block] = ++counter_;
    auto [edge, edges_end] = boost::out_edges(block, graph_);
    frames_.push_back(Frame{block, edge, edges_end, false, false, false, dfn_[block], list, 0});
  }

  void push_component(BlockId block, std::uint32_t outer) {
    lists_.push_back(kEmpty);
    auto [edge, edges_end] = boost::out_edges(block, graph_);
    frames_.push_back(Frame{block, edge, edges_end, true, false, false, 0,
                            static_cast<std::uint32_t>(lists_.size() - 1), outer});
  }

  void prepend(std::uint32_t list, BlockId block, bool component, std::int32_t body) {
    nodes_.push_back(Node{block, component, body, lists_[list]});
    lists_[list] = static_cast<std::int32_t>(nodes_.size() - 1);
  }

  // visit() returned `min` to the frame on top.
  void deliver(std::uint32_t min) {
    if (frames_.empty() || frames_.back().is_component)
      return;
    Frame &frame = frames_.back();
    if (min <= frame.head) {
      frame.head = min;
      frame.loop = true;
    }
  }

  void step() {
    Frame &frame = frames_.back();
    if (frame.edge != frame.edges_end) {
      BlockId next = boost::target(*frame.edge++, graph_);
      if (dfn_[next] == 0)
        push_visit(next, frame.list); // frame may dangle from here on
      else if (!frame.is_component)
        deliver(dfn_[next]);
      return;
    }
    if (frame.is_component) {
      std::uint32_t outer = frame.outer, body = frame.list;
      BlockId block = frame.block;
      frames_.pop_back();
      prepend(outer, block, true, lists_[body]);
      return;
    }
    if (!frame.component_done && frame.head == dfn_[frame.block]) {
      dfn_[frame.block] = kDone;
      BlockId element = pop();
      if (frame.loop) {
        while (element != frame.block) {
          dfn_[element] = 0;
          element = pop();
        }
        frame.component_done = true;
        push_component(frame.block, frame.list);
        return;
      }
      prepend(frame.list, frame.block, false, kEmpty);
    }
    std::uint32_t head = frame.head;
    frames_.pop_back();
    deliver(head);
  }

  BlockId pop() {
    BlockId block = stack_.back();
    stack_.pop_back();
    return block;
  }

  const CfgGraph &graph_;
  std::vector<std::uint32_t> dfn_;
  std::uint32_t counter_ = 0;
  std::vector<BlockId> stack_;
  std::vector<Frame> frames_;
  std::vector<Node> nodes_;
  std::vector<std::int32_t> lists_;
};

} // namespace

Wto::Wto(const CfgGraph &graph, BlockId entry)
    : position_(boost::num_vertices(graph), kAbsent), parent_(boost::num_vertices(graph), kAbsent) {
  if (boost::num_vertices(graph) == 0)
    return;
  Builder builder(graph);
  std::int32_t node = builder.run(entry);
  const std::vector<Node> &nodes = builder.nodes();
  // Flatten the nested lists; `open` holds, per enclosing component, its head's entry index and
  // the node to continue with once its body is done.
  struct Open {
    std::uint32_t head_entry;
    std::int32_t resume;
  };
  std::vector<Open> open;
  while (true) {
    if (node == kEmpty) {
      if (open.empty())
        break;
      entries_[open.back().head_entry].end = static_cast<std::uint32_t>(entries_.size());
      node = open.back().resume;
      open.pop_back();
      continue;
    }
    const Node &current = nodes[node];
    auto index = static_cast<std::uint32_t>(entries_.size());
    entries_.push_back(Entry{current.block, current.component, index + 1});
    position_[current.block] = index;
    parent_[current.block] = open.empty() ? kAbsent : entries_[open.back().head_entry].block;
    if (current.component) {
      open.push_back(Open{index, current.next});
      node = current.body;
    } else {
      node = current.next;
    }
  }
}

std::vector<BlockId> Wto::nesting(BlockId block) const {
  std::vector<BlockId> heads;
  for (std::uint32_t head = parent_[block]; head != kAbsent; head = parent_[head])
    heads.push_back(head);
  return {heads.rbegin(), heads.rend()};
}

std::string Wto::to_string() const {
  std::string text;
  std::vector<std::uint32_t> ends; // ends of the open components
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    while (!ends.empty() && ends.back() == i) {
      text += ")";
      ends.pop_back();
    }
    if (!text.empty())
      text += " ";
    if (entries_[i].head) {
      text += "(";
      ends.push_back(entries_[i].end);
    }
    text += std::to_string(entries_[i].block);
  }
  text.append(ends.size(), ')');
  return text;
}

} // namespace bpfcheck
