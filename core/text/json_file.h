// Reads a JSON file for the tokenizer loaders, reporting problems as tb::Error with a location.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tb::text {

// Parses the file at `path`. Throws tb::Error naming the file when it cannot be read, and with
// line and column when it is not valid JSON or (when require_object) not a JSON object.
nlohmann::json read_json_file(const std::string& path, bool require_object = true);

}  // namespace tb::text
