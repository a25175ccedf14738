#pragma once

#include <string>
#include <utility>
#include <variant>

namespace sok::searchd {

// What a client did wrong (or what went wrong for it), answered as
// {"error": {"code", "message", "parameter"}} with `status`.
struct ApiError {
  int status = 400;
  std::string code;       // machine-readable: "invalid_parameter", "not_found", …
  std::string message;    // for a person: what is wrong and what is allowed
  std::string parameter;  // the query parameter at fault, or ""
};

// 400 invalid_parameter naming `parameter`.
inline ApiError invalid_parameter(std::string parameter, std::string message) {
  return {400, "invalid_parameter", std::move(message), std::move(parameter)};
}

// A value or the ApiError that stopped it.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
  Result(ApiError error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const ApiError& error() const { return std::get<ApiError>(state_); }

 private:
  std::variant<T, ApiError> state_;
};

}  // namespace sok::searchd
