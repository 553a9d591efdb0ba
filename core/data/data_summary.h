// The summary `tunebench-cli inspect` prints and the Data page shows: counts, label
// distribution, and every problem with file/line/column.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "data/deidentify.h"
#include "data/label_map.h"
#include "data/text_dataset.h"

namespace tb {
class Error;
}

namespace tb::data {

// JSON shape documented in docs/cli.md ("inspect"):
//   {"file", "format", "rows", "columns": [...],
//    "text_column", "label_column", "labels": [{"name", "count"}...] (label-map order),
//    "num_labels", "examples",
//    "problems": [{"kind", "file", "line", "column", "message"}...], "ok"}
// "count" is the number of valid examples with that label. With `dataset` == nullptr only the
// table part is filled: file, format, rows, columns, plus "problems": [] and "ok": true.
nlohmann::json summarize(const Table& table, const TextDataset* dataset);

// One problem object of the shape above.
nlohmann::json problem_to_json(const DataProblem& problem);

// Appends `problems` as problem objects to the array out[key] (created when missing).
void add_problems_json(nlohmann::json& out, const std::vector<DataProblem>& problems,
                       const char* key);

// [{"name", "count"}...] for every label of `labels`, in its order.
nlohmann::json named_counts_json(const LabelMap& labels, const std::vector<std::size_t>& counts);

// {"email", "url", "ip", "phone", "id", "total"}: what de-identification masked.
nlohmann::json deidentify_counts_json(const DeidentifyCounts& counts);

// A fatal error (e.g. a malformed file) as a problem object: kind "parse_error", file, line and
// column from its location (0 when unknown), and the plain message without the location prefix.
nlohmann::json error_to_json(const tb::Error& error);

}  // namespace tb::data
