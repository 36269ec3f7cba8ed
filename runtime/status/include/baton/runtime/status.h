// Errors as values at every boundary of the runtime.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace baton::runtime {

// An error: a stable machine-readable code and a human message.
struct Error {
  std::string code;     // e.g. "config.unknown_key", "kafka.fatal"
  std::string message;  // names the field / cause and the fix
};

// Status: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : error_(std::move(e)) {}  // NOLINT: implicit by design
  static Status ok() { return {}; }
  bool is_ok() const { return !error_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Error& error() const { return *error_; }
  std::string message() const { return error_ ? error_->code + ": " + error_->message : "ok"; }

 private:
  std::optional<Error> error_;
};

// Result<T, E>: a value or an error (a small std::expected).
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace baton::runtime
