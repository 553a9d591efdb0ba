// `inspect` of a large text or multi-label table in one streaming pass (row index + streaming
// summary): the same JSON as the whole-file path, in memory bounded by the row count.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "data/dataset_inspect.h"

namespace tb::data {

// True when `request` is a text_classification or multi_label table larger than
// request.stream_above_bytes (regression and the other tasks are read whole).
bool inspect_streams(const InspectRequest& request, const std::string& task);

// The JSON inspect_dataset prints for the task, plus "memory_bytes" (the index and the
// summary's arrays) and, when more than `max_listed` problems were found, "problems_total".
// Duplicates are found by a 64-bit hash of the text (see streaming_summary.h). Throws tb::Error
// like the whole-file path.
nlohmann::json inspect_table_streaming(const InspectRequest& request, const std::string& task,
                                       std::size_t max_listed = 10000);

}  // namespace tb::data
