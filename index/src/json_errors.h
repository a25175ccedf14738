#pragma once

#include <exception>
#include <string>

namespace sok {

// A JSON parser's message without its internal tag: nlohmann's messages
// start with "[json.exception.parse_error.101] ".
inline std::string plain_json_message(const std::exception& e) {
  std::string message = e.what();
  if (message.rfind("[json.exception.", 0) == 0) {
    const auto end = message.find("] ");
    if (end != std::string::npos) message.erase(0, end + 2);
  }
  return message;
}

}  // namespace sok
