#pragma once
// sip::Result<T> — the outcome of parsing untrusted text: a value or a ParseError.
//
// Parsers in this module never throw on bad input; they return a ParseError whose
// reason is a short static English phrase ("Missing Call-ID header") fit to be sent
// back in a 400 reason phrase or a Warning header. Reasons are string literals, so
// a ParseError is trivially cheap to create and copy.
#include <string_view>
#include <utility>
#include <variant>

namespace unicc::sip {

struct ParseError {
  std::string_view reason;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(ParseError error) : state_(std::in_place_index<1>, error) {}    // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition for value access: ok(). For error(): !ok().
  T& value() & { return *std::get_if<0>(&state_); }
  const T& value() const& { return *std::get_if<0>(&state_); }
  T&& value() && { return std::move(*std::get_if<0>(&state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const ParseError& error() const { return *std::get_if<1>(&state_); }

 private:
  std::variant<T, ParseError> state_;
};

}  // namespace unicc::sip
