// Data preparation for dataset.task regression: texts (or text pairs) with a numeric label.
#include "common/error.h"
#include "data/regression_rows.h"
#include "data/split.h"
#include "data/table.h"
#include "train/prepared_tasks.h"

namespace tb::train {
namespace {

using data::RegressionExample;
using data::RegressionRows;

// The file's rows (de-identified with dataset.deidentify). With `split`, also the split of
// dataset.split_column, its unknown values appended to `unknown`.
RegressionRows load_rows(const io::ExperimentConfig& config, const std::string& path,
                         const LogFn& log, data::SplitIndices* split = nullptr,
                         std::vector<data::DataProblem>* unknown = nullptr) {
    const auto& ds = config.dataset;
    data::Table table = data::read_table(path, data::table_format_from_name(ds.format));
    deidentify_training_table(config, table, path, log);
    RegressionRows rows =
        data::read_regression_rows(table, ds.text_column, ds.text_pair_column, ds.label_column);
    if (split != nullptr) {
        std::vector<long> lines;
        for (const auto& e : rows.examples)
            lines.push_back(e.line);
        *split = training_split_from_column(config, table, lines, path, log, *unknown);
    }
    return rows;
}

void hash_rows(std::uint64_t& hash, const RegressionRows& rows) {
    for (const auto& e : rows.examples) {
        fnv1a(hash, e.text.data(), e.text.size());
        fnv1a(hash, "\x1d", 1);
        fnv1a(hash, e.text_pair.data(), e.text_pair.size());
        fnv1a(hash, "\x1f", 1);
        fnv1a(hash, &e.value, sizeof e.value);
        fnv1a(hash, "\x1e", 1);
    }
}

std::int64_t encode_rows(EncodedSplit& out, const RegressionRows& rows,
                         const std::vector<std::size_t>* indices, const text::Tokenizer& tokenizer,
                         std::size_t max_length) {
    std::vector<std::string> texts, pairs;
    const std::size_t n = indices ? indices->size() : rows.examples.size();
    bool paired = false;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& e = rows.examples[indices ? (*indices)[i] : i];
        texts.push_back(e.text);
        pairs.push_back(e.text_pair);
        paired = paired || !e.text_pair.empty();
        out.values.push_back(e.value);
        out.labels.push_back(0);
        out.lines.push_back(e.line);
    }
    if (!paired)
        pairs.clear();
    return encode_texts(out, texts, pairs, tokenizer, max_length);
}

}  // namespace

PreparedData prepare_regression_data(const io::ExperimentConfig& config,
                                     const text::Tokenizer& tokenizer, const LogFn& log) {
    const auto& ds = config.dataset;
    PreparedData out;
    const std::string main_path = config.resolve(ds.path);
    const bool column_split = !ds.split_column.empty();
    data::SplitIndices split_of_column;
    std::vector<data::DataProblem> split_problems;
    const auto main = load_rows(config, main_path, log, column_split ? &split_of_column : nullptr,
                                &split_problems);
    check_problems(main.problems, main.source, ds.skip_invalid_rows, log, out.problems);
    check_problems(split_problems, main.source, ds.skip_invalid_rows, log, out.problems);
    out.labels = data::LabelMap(std::vector<std::string>{ds.label_column});
    const auto max_length = static_cast<std::size_t>(config.model.max_length);
    std::uint64_t hash = 1469598103934665603ULL;
    hash_rows(hash, main);
    if (column_split) {  // the split column wins over dev/test files, as on the Data page
        out.split = std::move(split_of_column);
        out.truncated += encode_rows(out.train, main, &out.split.train, tokenizer, max_length);
        out.truncated += encode_rows(out.dev, main, &out.split.dev, tokenizer, max_length);
        out.truncated += encode_rows(out.test, main, &out.split.test, tokenizer, max_length);
    } else if (!ds.dev_path.empty() || !ds.test_path.empty()) {
        out.truncated += encode_rows(out.train, main, nullptr, tokenizer, max_length);
        for (std::size_t i = 0; i < main.examples.size(); ++i)
            out.split.train.push_back(i);
        auto side = [&](const std::string& path, EncodedSplit& into) {
            if (path.empty())
                return;
            const auto rows = load_rows(config, config.resolve(path), log);
            check_problems(rows.problems, rows.source, ds.skip_invalid_rows, log, out.problems);
            hash_rows(hash, rows);
            out.truncated += encode_rows(into, rows, nullptr, tokenizer, max_length);
        };
        side(ds.dev_path, out.dev);
        side(ds.test_path, out.test);
    } else {
        // One stratum: a seeded random split with exact largest-remainder counts.
        out.split = data::stratified_split(std::vector<int>(main.examples.size(), 0),
                                           {ds.train_fraction, ds.dev_fraction, ds.test_fraction},
                                           config.training.seed);
        out.truncated += encode_rows(out.train, main, &out.split.train, tokenizer, max_length);
        out.truncated += encode_rows(out.dev, main, &out.split.dev, tokenizer, max_length);
        out.truncated += encode_rows(out.test, main, &out.split.test, tokenizer, max_length);
    }
    if (out.train.size() == 0)
        throw Error("the training split is empty", SourceLocation{main_path, 0, 0, "dataset"});
    out.data_hash = hash_hex(hash);
    return out;
}

EncodedSplit encode_regression_file(const io::ExperimentConfig& config, const std::string& path,
                                    const text::Tokenizer& tokenizer,
                                    std::vector<data::DataProblem>& problems) {
    EncodedSplit out;
    const auto rows = load_rows(config, path, LogFn{});
    problems.insert(problems.end(), rows.problems.begin(), rows.problems.end());
    encode_rows(out, rows, nullptr, tokenizer, static_cast<std::size_t>(config.model.max_length));
    return out;
}

}  // namespace tb::train
