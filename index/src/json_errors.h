#pragma once

#include <exception>
#include <string>

namespace sok {

// A JSON parser's message for a person: without nlohmann's internal tag
// ("[json.exception.parse_error.101] ") and without the text it had read
// ("; last read: '…'"), which echoes the record itself — ill-formed UTF-8
// and up to a whole record of it. The line and column remain.
inline std::string plain_json_message(const std::exception& e) {
  std::string message = e.what();
  if (message.rfind("[json.exception.", 0) == 0) {
    const auto end = message.find("] ");
    if (end != std::string::npos) message.erase(0, end + 2);
  }
  const auto echo = message.find("; last read: ");
  if (echo != std::string::npos) message.erase(echo);
  return message;
}

}  // namespace sok
