// Shared test helpers: temporary folders and tiny model folders built at test time.
#pragma once

#include <string>

namespace tb::testing {

// Creates a small randomly initialised BERT-architecture model folder in `dir` (must not exist
// or be empty) whose vocabulary is built from `csv_path`'s `text` column. Small enough that a
// few epochs on a 100-row CSV take seconds on one core.
void make_tiny_model(const std::string& dir, const std::string& csv_path, int hidden = 32,
                     int layers = 1, int max_positions = 64);

// Path of a fixture file under tests/fixtures.
std::string fixture(const std::string& relative);

}  // namespace tb::testing
