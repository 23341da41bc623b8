// The abstract-domain contract as a C++20 concept (the operations of IKOS's abstract_domain,
// without virtual dispatch): every domain is a copyable value with a lattice structure and an
// extrapolation pair. Transfer functions are free functions or members specific to each domain.
#pragma once

#include <concepts>

namespace bpfcheck::domains {

template <typename D>
concept AbstractDomain = std::copyable<D> && requires(const D a, const D b) {
  { D::top() } -> std::same_as<D>;
  { D::bottom() } -> std::same_as<D>;
  { a.is_bottom() } -> std::convertible_to<bool>;
  { a.is_top() } -> std::convertible_to<bool>;
  { a.leq(b) } -> std::convertible_to<bool>;
  { a.join(b) } -> std::same_as<D>;
  { a.meet(b) } -> std::same_as<D>;
  { a.widen(b) } -> std::same_as<D>;
  { a.narrow(b) } -> std::same_as<D>;
};

} // namespace bpfcheck::domains
