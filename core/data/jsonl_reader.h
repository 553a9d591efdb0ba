// JSON Lines reader used by parse_table; content is already encoding-checked.
#pragma once

#include <cstddef>
#include <string>

#include "data/table.h"

namespace tb::data {

// One JSON object per line from byte `start` (past any BOM); blank lines are skipped. Columns
// are the keys in first-seen order across the file. Cells: strings as-is, numbers and booleans
// as JSON text, null or missing as "", arrays and nested objects as compact JSON. Throws
// tb::Error with `source`, line and character column for invalid JSON, a line that is not an
// object, an empty key, nesting deeper than 64 levels, and a file without any object or key.
Table parse_jsonl(const std::string& content, std::size_t start, const std::string& source);

}  // namespace tb::data
