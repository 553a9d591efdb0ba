// Rows of a regression table (text, optional text pair, numeric label) read with the rules the
// trainer and the Data page share: which cells count as numbers, which rows are problems.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/table.h"
#include "data/text_dataset.h"

namespace tb::data {

// A finite decimal number ("3", "-0.25", "1e-3", "+2", surrounding spaces allowed); nullopt for
// anything else (empty, "abc", "nan", "inf", "1,5").
std::optional<double> parse_number_cell(const std::string& cell);

struct RegressionExample {
    std::string text, text_pair;
    double value = 0.0;
    long line = 0;
};

struct RegressionRows {
    std::string source;
    std::vector<RegressionExample> examples;  // valid rows, in file order
    // Rows left out, in order: empty_text, missing_label (empty value), invalid_number; each with
    // file, line and the 1-based column of the offending cell.
    std::vector<DataProblem> problems;
};

// Statistics of the targets (population standard deviation, as numpy.std); all 0 when empty.
struct TargetStats {
    std::size_t count = 0;
    double min = 0.0, max = 0.0, mean = 0.0, std = 0.0;
};
TargetStats target_stats(const std::vector<double>& values);

// Checks every row of `table`. `pair_column` may be empty (single texts). Throws tb::Error
// naming the column when a column is not in the table.
RegressionRows read_regression_rows(const Table& table, const std::string& text_column,
                                    const std::string& pair_column,
                                    const std::string& label_column);

}  // namespace tb::data
