// Checks JSON values against the schemas of searchd's OpenAPI description:
// the subset it uses ($ref, type, nullable, enum, required, properties,
// additionalProperties, items).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sok::test {

// What in `value` does not fit the schema `schema_name` of
// components/schemas in `openapi`, one line each ("/hits/0/score: …");
// empty when it fits.
std::vector<std::string> schema_violations(const nlohmann::json& openapi,
                                           const std::string& schema_name,
                                           const nlohmann::json& value);

}  // namespace sok::test
