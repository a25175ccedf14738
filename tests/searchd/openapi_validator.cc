#include "openapi_validator.h"

namespace sok::test {
namespace {

using nlohmann::json;

class Validator {
 public:
  explicit Validator(const json& openapi) : openapi_(openapi) {}

  void check(const json& schema, const json& value, const std::string& path) {
    if (schema.contains("$ref")) return check(resolve(schema["$ref"]), value, path);
    if (value.is_null()) {
      if (!schema.value("nullable", false)) problems.push_back(path + ": null is not allowed");
      return;
    }
    if (schema.contains("type") && !has_type(value, schema["type"].get<std::string>())) {
      problems.push_back(path + ": " + value.dump() + " is not of type " +
                         schema["type"].get<std::string>());
      return;
    }
    if (schema.contains("enum") &&
        std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
      problems.push_back(path + ": " + value.dump() + " is not one of " + schema["enum"].dump());
    }
    if (value.is_object()) check_object(schema, value, path);
    if (value.is_array() && schema.contains("items")) {
      for (std::size_t i = 0; i < value.size(); ++i)
        check(schema["items"], value[i], path + "/" + std::to_string(i));
    }
  }

  std::vector<std::string> problems;

 private:
  void check_object(const json& schema, const json& value, const std::string& path) {
    for (const auto& name : schema.value("required", json::array())) {
      if (!value.contains(name.get<std::string>()))
        problems.push_back(path + ": the required key " + name.dump() + " is missing");
    }
    const json properties = schema.value("properties", json::object());
    const json extra = schema.value("additionalProperties", json(true));
    for (const auto& [key, item] : value.items()) {
      if (properties.contains(key)) {
        check(properties[key], item, path + "/" + key);
      } else if (extra.is_object()) {
        check(extra, item, path + "/" + key);
      } else if (extra == json(false)) {
        problems.push_back(path + ": the key \"" + key + "\" is not in the description");
      }
    }
  }

  static bool has_type(const json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "integer") return value.is_number_integer();
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    return false;
  }

  const json& resolve(const json& ref) const {
    const std::string prefix = "#/components/schemas/";
    return openapi_.at("components").at("schemas").at(ref.get<std::string>().substr(prefix.size()));
  }

  const json& openapi_;
};

}  // namespace

std::vector<std::string> schema_violations(const json& openapi, const std::string& schema_name,
                                           const json& value) {
  Validator validator(openapi);
  validator.check(openapi.at("components").at("schemas").at(schema_name), value, "");
  return validator.problems;
}

}  // namespace sok::test
