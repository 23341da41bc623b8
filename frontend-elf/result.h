// A small Expected-style result for library boundaries (DESIGN.md section 8): a value or one
// error message, no exceptions. Messages are complete sentences a user can act on.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace bpfcheck {

struct Error {
  std::string message;
};

template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T &value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T &value() const & {
    assert(ok());
    return std::get<T>(state_);
  }
  T &&value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }

  const std::string &error() const {
    assert(!ok());
    return std::get<Error>(state_).message;
  }

private:
  std::variant<T, Error> state_;
};

} // namespace bpfcheck
