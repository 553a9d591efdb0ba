// Shared by the experiment config tests: fixture paths and the minimal valid experiment.
#pragma once

#include <string>

namespace config_test {

inline std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/config/" + name;
}

// Minimal valid prefix; error cases append to it, so their line numbers start at 5.
inline const std::string kValid =
    "dataset:\n"       // 1
    "  path: d.csv\n"  // 2
    "model:\n"         // 3
    "  path: m\n";     // 4

}  // namespace config_test
