// Rare labels, duplicates and split columns for text datasets.
#include "data/dataset_checks.h"

#include <algorithm>

#include <cctype>
#include <charconv>
#include <unordered_map>

#include "common/error.h"
#include "data/text_encoding.h"

namespace tb::data {

std::vector<DataProblem> find_rare_labels(const LabelMap& labels,
                                          const std::vector<std::size_t>& counts,
                                          const std::vector<long>& first_lines,
                                          std::size_t min_count, const std::string& source) {
    std::vector<DataProblem> out;
    for (int i = 0; i < labels.size(); ++i) {
        const std::size_t n = counts[static_cast<std::size_t>(i)];
        if (n == 0 || n >= min_count)
            continue;
        out.push_back(DataProblem{
            "rare_label", source, first_lines[static_cast<std::size_t>(i)], 0,
            "the label '" + labels.name(i) + "' has only " + std::to_string(n) + " example" +
                (n == 1 ? "" : "s") + " (fewer than " + std::to_string(min_count) +
                "); it may be missing from the dev or test split and is hard to learn"});
    }
    return out;
}

std::vector<DataProblem> find_rare_labels(const TextDataset& dataset, std::size_t min_count) {
    const std::size_t n = static_cast<std::size_t>(dataset.labels.size());
    std::vector<std::size_t> counts(n, 0);
    std::vector<long> first(n, 0);
    for (const TextExample& e : dataset.examples) {
        const std::size_t l = static_cast<std::size_t>(e.label);
        if (counts[l]++ == 0)
            first[l] = e.line;
    }
    return find_rare_labels(dataset.labels, counts, first, min_count, dataset.source);
}

namespace {

// The examples (TextExample or RegressionExample: text, text_pair, line) whose duplicate_key
// repeats an earlier one; `value_of(e)` is the example's target as text.
template <typename Example, typename ValueOf>
std::vector<DataProblem> find_repeats(const std::vector<Example>& examples, bool paired,
                                      const std::string& source, DuplicateTarget target,
                                      ValueOf value_of) {
    std::unordered_map<std::string, std::size_t> first_of;  // key -> first example
    std::vector<DataProblem> out;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const Example& e = examples[i];
        const auto [it, inserted] = first_of.emplace(duplicate_key(e.text, e.text_pair, paired), i);
        if (inserted)
            continue;
        const Example& first = examples[it->second];
        out.push_back(duplicate_problem(source, e.line, first.line, paired, target, value_of(e),
                                        value_of(first)));
    }
    return out;
}

}  // namespace

std::string duplicate_key(const std::string& text, const std::string& pair, bool paired) {
    std::string key = trim_blank(text);
    if (paired)
        key += '\x1f' + trim_blank(pair);
    return key;
}

std::string format_target_value(double value) {
    if (value == 0.0)
        value = 0.0;  // -0 and 0 are the same target
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

DataProblem duplicate_problem(const std::string& source, long line, long first_line, bool paired,
                              DuplicateTarget target, const std::string& value,
                              const std::string& first_value) {
    const std::string same_as = std::string(paired ? "the same text pair" : "the same text") +
                                " as line " + std::to_string(first_line);
    const bool label = target == DuplicateTarget::Label;
    if (value == first_value)
        return DataProblem{"duplicate", source, line, 0,
                           same_as + (label ? " with the same label" : " with the same target")};
    const std::string here = label ? "labelled '" + value + "'" : "with the target " + value;
    const std::string there = label ? "'" + first_value + "'" : first_value;
    return DataProblem{
        "conflicting_duplicate", source, line, 0,
        same_as + " but " + here + " (line " + std::to_string(first_line) + " has " + there + ")"};
}

std::vector<DataProblem> find_duplicates(const TextDataset& dataset) {
    return find_repeats(dataset.examples, !dataset.text_pair_column.empty(), dataset.source,
                        DuplicateTarget::Label,
                        [&](const TextExample& e) { return dataset.labels.name(e.label); });
}

std::vector<DataProblem> find_duplicates(const RegressionRows& rows) {
    // With a pair column every valid row has a pair text (an empty one is a problem row).
    const bool paired = !rows.examples.empty() && !rows.examples.front().text_pair.empty();
    return find_repeats(rows.examples, paired, rows.source, DuplicateTarget::Number,
                        [](const RegressionExample& e) { return format_target_value(e.value); });
}

namespace {

// Adds example `i` (table row `row`, file line `line`) to the split its cell names, or a problem.
void add_to_split(const Table& table, std::size_t index, const std::string& column, std::size_t row,
                  long line, std::size_t i, const std::string& source, SplitIndices& out,
                  std::vector<DataProblem>* problems) {
    const std::string& cell = table.rows[row][index];
    std::string value = trim_blank(cell);
    for (char& c : value)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (value == "train") {
        out.train.push_back(i);
    } else if (value == "dev" || value == "validation" || value == "valid" || value == "val") {
        out.dev.push_back(i);
    } else if (value == "test") {
        out.test.push_back(i);
    } else if (problems != nullptr) {
        problems->push_back(DataProblem{
            "unknown_split", source, line, static_cast<long>(index) + 1,
            "the split column '" + column + "' holds '" + cell +
                "'; expected train, dev (or validation) or test; the row is in no split"});
    }
}

}  // namespace

SplitIndices split_from_column(const Table& table, const std::string& column,
                               const std::vector<long>& example_lines, const std::string& source,
                               std::vector<DataProblem>* problems) {
    const std::size_t index = table.column_index(column);
    SplitIndices out;
    for (std::size_t i = 0; i < example_lines.size(); ++i) {
        // Rows are in file order, so their first lines are ascending.
        const auto at =
            std::lower_bound(table.row_lines.begin(), table.row_lines.end(), example_lines[i]);
        if (at == table.row_lines.end() || *at != example_lines[i])
            throw Error("no row starts at line " + std::to_string(example_lines[i]),
                        SourceLocation{source, example_lines[i], 0, {}});
        add_to_split(table, index, column, std::size_t(at - table.row_lines.begin()),
                     example_lines[i], i, source, out, problems);
    }
    return out;
}

SplitIndices split_from_column(const Table& table, const std::string& column,
                               const TextDataset& dataset, std::vector<DataProblem>* problems) {
    const std::size_t index = table.column_index(column);
    SplitIndices out;
    for (std::size_t i = 0; i < dataset.examples.size(); ++i) {
        const TextExample& e = dataset.examples[i];
        add_to_split(table, index, column, e.row, e.line, i, dataset.source, out, problems);
    }
    return out;
}

}  // namespace tb::data
