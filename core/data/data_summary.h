// The summary `tunebench-cli inspect` prints and the Data page shows: counts, label
// distribution, and every problem with file/line/column.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "data/text_dataset.h"

namespace tb::data {

// JSON shape documented in docs/cli.md ("inspect").
nlohmann::json summarize(const Table& table, const TextDataset* dataset);

}  // namespace tb::data
