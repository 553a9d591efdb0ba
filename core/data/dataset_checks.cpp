// Rare labels, duplicates and split columns for text datasets.
#include "data/dataset_checks.h"

#include <cctype>
#include <unordered_map>

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

std::vector<DataProblem> find_duplicates(const TextDataset& dataset) {
    struct Seen {
        long line;
        int label;
    };
    std::unordered_map<std::string, Seen> seen;
    std::vector<DataProblem> out;
    for (const TextExample& e : dataset.examples) {
        std::string key = trim_blank(e.text);
        if (!dataset.text_pair_column.empty())
            key += '\x1f' + trim_blank(e.text_pair);
        const auto [it, inserted] = seen.emplace(std::move(key), Seen{e.line, e.label});
        if (inserted)
            continue;
        const Seen& first = it->second;
        if (first.label == e.label) {
            out.push_back(DataProblem{
                "duplicate", dataset.source, e.line, 0,
                "the same text as line " + std::to_string(first.line) + " with the same label"});
        } else {
            out.push_back(DataProblem{"conflicting_duplicate", dataset.source, e.line, 0,
                                      "the same text as line " + std::to_string(first.line) +
                                          " but labelled '" + dataset.labels.name(e.label) +
                                          "' there it is '" + dataset.labels.name(first.label) +
                                          "'"});
        }
    }
    return out;
}

SplitIndices split_from_column(const Table& table, const std::string& column,
                               const TextDataset& dataset, std::vector<DataProblem>* problems) {
    const std::size_t index = table.column_index(column);
    SplitIndices out;
    for (std::size_t i = 0; i < dataset.examples.size(); ++i) {
        const TextExample& e = dataset.examples[i];
        std::string value = trim_blank(table.rows[e.row][index]);
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
                "unknown_split", dataset.source, e.line, static_cast<long>(index) + 1,
                "the split column '" + column + "' holds '" + table.rows[e.row][index] +
                    "'; expected train, dev (or validation) or test; the row is in no split"});
        }
    }
    return out;
}

}  // namespace tb::data
