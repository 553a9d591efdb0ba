// Rows of a regression table read with the rules the trainer and the Data page share.
#include "data/regression_rows.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tb::data {

std::optional<double> parse_number_cell(const std::string& cell) {
    std::size_t begin = 0, end = cell.size();
    while (begin < end && (cell[begin] == ' ' || cell[begin] == '\t'))
        ++begin;
    while (end > begin && (cell[end - 1] == ' ' || cell[end - 1] == '\t' || cell[end - 1] == '\r'))
        --end;
    if (begin < end && cell[begin] == '+')
        ++begin;
    if (begin == end)
        return std::nullopt;
    double value = 0.0;
    const auto result = std::from_chars(cell.data() + begin, cell.data() + end, value);
    if (result.ec != std::errc() || result.ptr != cell.data() + end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

TargetStats target_stats(const std::vector<double>& values) {
    TargetStats out;
    out.count = values.size();
    if (values.empty())
        return out;
    out.min = *std::min_element(values.begin(), values.end());
    out.max = *std::max_element(values.begin(), values.end());
    double sum = 0.0;
    for (double v : values)
        sum += v;
    out.mean = sum / double(values.size());
    double squares = 0.0;
    for (double v : values)
        squares += (v - out.mean) * (v - out.mean);
    out.std = std::sqrt(squares / double(values.size()));
    return out;
}

RegressionRows read_regression_rows(const Table& table, const std::string& text_column,
                                    const std::string& pair_column,
                                    const std::string& label_column) {
    const std::size_t text = table.column_index(text_column);
    const std::size_t label = table.column_index(label_column);
    const bool paired = !pair_column.empty();
    const std::size_t pair = paired ? table.column_index(pair_column) : 0;
    RegressionRows out;
    out.source = table.source;
    auto problem = [&](const char* kind, long line, std::size_t column, const std::string& what) {
        out.problems.push_back({kind, table.source, line, static_cast<long>(column + 1), what});
    };
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        const long line = r < table.row_lines.size() ? table.row_lines[r] : 0;
        if (row[text].empty()) {
            problem("empty_text", line, text, "empty text in column '" + text_column + "'");
            continue;
        }
        if (paired && row[pair].empty()) {
            problem("empty_text", line, pair, "empty text in column '" + pair_column + "'");
            continue;
        }
        if (row[label].empty()) {
            problem("missing_label", line, label, "missing value in column '" + label_column + "'");
            continue;
        }
        const auto value = parse_number_cell(row[label]);
        if (!value) {
            problem("invalid_number", line, label,
                    "the value \"" + row[label] + "\" in column '" + label_column +
                        "' is not a number; a regression label is a decimal number such as 3.5");
            continue;
        }
        out.examples.push_back({row[text], paired ? row[pair] : std::string(), *value, line});
    }
    return out;
}

}  // namespace tb::data
