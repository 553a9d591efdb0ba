// Builds the inspect summary JSON from a Table and, optionally, the TextDataset built from it.
#include "data/data_summary.h"

#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace tb::data {

nlohmann::json problem_to_json(const DataProblem& problem) {
    return nlohmann::json{{"kind", problem.kind},
                          {"file", problem.file},
                          {"line", problem.line},
                          {"column", problem.column},
                          {"message", problem.message}};
}

void add_problems_json(nlohmann::json& out, const std::vector<DataProblem>& problems,
                       const char* key) {
    if (!out.contains(key))
        out[key] = nlohmann::json::array();
    for (const DataProblem& p : problems)
        out[key].push_back(problem_to_json(p));
}

nlohmann::json named_counts_json(const LabelMap& labels, const std::vector<std::size_t>& counts) {
    nlohmann::json out = nlohmann::json::array();
    for (int i = 0; i < labels.size(); ++i)
        out.push_back({{"name", labels.name(i)}, {"count", counts[static_cast<std::size_t>(i)]}});
    return out;
}

nlohmann::json deidentify_counts_json(const DeidentifyCounts& c) {
    return {{"email", c.email}, {"url", c.url}, {"ip", c.ip},
            {"phone", c.phone}, {"id", c.id},   {"total", c.total()}};
}

nlohmann::json error_to_json(const tb::Error& error) {
    return problem_to_json(DataProblem{"parse_error", error.where().file, error.where().line,
                                       error.where().column, error.message()});
}

nlohmann::json summarize(const Table& table, const TextDataset* dataset) {
    nlohmann::json out;
    out["file"] = table.source;
    out["format"] = table_format_name(table.format);
    out["rows"] = table.rows.size();
    out["columns"] = table.columns;
    out["problems"] = nlohmann::json::array();
    out["ok"] = true;
    if (dataset == nullptr)
        return out;

    out["text_column"] = dataset->text_column;
    out["label_column"] = dataset->label_column;
    std::vector<std::size_t> counts(static_cast<std::size_t>(dataset->labels.size()), 0);
    for (const TextExample& example : dataset->examples) {
        if (example.label >= 0 && example.label < dataset->labels.size()) {
            ++counts[static_cast<std::size_t>(example.label)];
        }
    }
    nlohmann::json labels = nlohmann::json::array();
    for (int i = 0; i < dataset->labels.size(); ++i) {
        labels.push_back(
            {{"name", dataset->labels.name(i)}, {"count", counts[static_cast<std::size_t>(i)]}});
    }
    out["labels"] = std::move(labels);
    out["num_labels"] = dataset->labels.size();
    out["examples"] = dataset->examples.size();
    for (const DataProblem& problem : dataset->problems) {
        out["problems"].push_back(problem_to_json(problem));
    }
    out["ok"] = dataset->problems.empty();
    return out;
}

}  // namespace tb::data
