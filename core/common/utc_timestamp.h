// The current time as ISO-8601 UTC with seconds ("2026-11-25T23:38:30Z"), as every file we
// write records it (checkpoints, run.json).
#pragma once

#include <string>

namespace tb {

std::string utc_timestamp();

}  // namespace tb
