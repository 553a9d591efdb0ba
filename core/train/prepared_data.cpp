#include "train/prepared_data.h"

#include <cstdio>

#include "common/error.h"
#include "data/dataset_checks.h"
#include "data/deidentify.h"
#include "data/table.h"
#include "train/prepared_tasks.h"
#include "train/streamed_text_data.h"

namespace tb::train {
namespace {

// The file's examples, de-identified when dataset.deidentify is set (as the Data page shows
// them). With `column_split`, also the split of dataset.split_column, its unknown values in
// `split_problems`.
data::TextDataset load_dataset(const io::ExperimentConfig& config, const std::string& path,
                               const data::LabelMap* labels, const LogFn& log,
                               data::SplitIndices* column_split = nullptr,
                               std::vector<data::DataProblem>* split_problems = nullptr) {
    const auto& ds = config.dataset;
    data::Table table = data::read_table(path, data::table_format_from_name(ds.format));
    deidentify_training_table(config, table, path, log);
    data::TextDataset dataset = data::build_text_dataset(
        table, data::TextColumns{ds.text_column, ds.text_pair_column, ds.label_column},
        data::label_order_from_name(ds.label_order), labels);
    if (column_split != nullptr) {
        std::vector<long> lines;
        for (const auto& e : dataset.examples)
            lines.push_back(e.line);
        *column_split =
            training_split_from_column(config, table, lines, path, log, *split_problems);
    }
    return dataset;
}

void hash_examples(std::uint64_t& hash, const std::vector<data::TextExample>& examples,
                   const data::LabelMap& labels) {
    for (const auto& e : examples) {
        fnv1a(hash, e.text.data(), e.text.size());
        if (!e.text_pair.empty()) {  // single-text data keeps the hash it always had
            fnv1a(hash, "\x1d", 1);
            fnv1a(hash, e.text_pair.data(), e.text_pair.size());
        }
        fnv1a(hash, "\x1f", 1);
        const std::string& label = labels.name(e.label);
        fnv1a(hash, label.data(), label.size());
        fnv1a(hash, "\x1e", 1);
    }
}

void encode_into(EncodedSplit& out, const std::vector<data::TextExample>& examples,
                 const std::vector<std::size_t>* indices, const text::Tokenizer& tokenizer,
                 std::size_t max_length, std::int64_t& truncated) {
    std::vector<std::string> texts, pairs;
    const std::size_t n = indices ? indices->size() : examples.size();
    texts.reserve(n);
    bool paired = false;
    for (std::size_t i = 0; i < n; ++i)
        paired = paired || !examples[indices ? (*indices)[i] : i].text_pair.empty();
    for (std::size_t i = 0; i < n; ++i) {
        const auto& e = examples[indices ? (*indices)[i] : i];
        texts.push_back(e.text);
        if (paired)
            pairs.push_back(e.text_pair);
        out.labels.push_back(e.label);
        out.lines.push_back(e.line);
    }
    truncated += encode_texts(out, texts, pairs, tokenizer, max_length);
}

}  // namespace

void deidentify_training_table(const io::ExperimentConfig& config, data::Table& table,
                               const std::string& path, const LogFn& log) {
    const auto& ds = config.dataset;
    if (!ds.deidentify)
        return;
    std::vector<std::size_t> columns{table.column_index(ds.text_column)};
    if (!ds.text_pair_column.empty())
        columns.push_back(table.column_index(ds.text_pair_column));
    const data::DeidentifyCounts masked = data::deidentify_rows(table.rows, columns);
    if (log)
        log("de-identified " + path + ": " + std::to_string(masked.total()) + " masked (e-mail " +
            std::to_string(masked.email) + ", URL " + std::to_string(masked.url) + ", IP " +
            std::to_string(masked.ip) + ", phone " + std::to_string(masked.phone) + ", ID " +
            std::to_string(masked.id) + ")");
}

data::SplitIndices training_split_from_column(const io::ExperimentConfig& config,
                                              const data::Table& table,
                                              const std::vector<long>& example_lines,
                                              const std::string& path, const LogFn& log,
                                              std::vector<data::DataProblem>& unknown) {
    const auto& ds = config.dataset;
    data::SplitIndices split =
        data::split_from_column(table, ds.split_column, example_lines, path, &unknown);
    if (log)
        log("split from the column '" + ds.split_column + "': " +
            std::to_string(split.train.size()) + " train, " + std::to_string(split.dev.size()) +
            " dev, " + std::to_string(split.test.size()) + " test");
    return split;
}

void check_problems(const std::vector<data::DataProblem>& problems, const std::string& source,
                    bool skip, const LogFn& log, std::vector<data::DataProblem>& all) {
    if (problems.empty())
        return;
    if (!skip) {
        const auto& p = problems.front();
        throw Error(p.message + " (" + std::to_string(problems.size()) +
                        " problem rows; set dataset.skip_invalid_rows to skip them)",
                    SourceLocation{p.file, p.line, p.column, {}});
    }
    log("skipping " + std::to_string(problems.size()) + " invalid rows of " + source +
        " (first: line " + std::to_string(problems.front().line) + ": " + problems.front().message +
        ")");
    all.insert(all.end(), problems.begin(), problems.end());
}

void fnv1a(std::uint64_t& hash, const void* bytes, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(bytes);
    for (std::size_t i = 0; i < n; ++i) {
        hash ^= p[i];
        hash *= 1099511628211ULL;
    }
}

std::string hash_hex(std::uint64_t hash) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

std::int64_t encode_texts(EncodedSplit& out, const std::vector<std::string>& texts,
                          const std::vector<std::string>& pairs, const text::Tokenizer& tokenizer,
                          std::size_t max_length) {
    text::EncodeOptions options;
    options.max_length = max_length;
    std::vector<text::Encoding> encodings;
    if (pairs.empty()) {
        encodings = tokenizer.encode_batch(texts, options);
    } else {
        std::vector<std::pair<std::string, std::string>> both;
        both.reserve(texts.size());
        for (std::size_t i = 0; i < texts.size(); ++i)
            both.emplace_back(texts[i], pairs[i]);
        encodings = tokenizer.encode_pair_batch(both, options);
    }
    std::int64_t truncated = 0;
    for (auto& enc : encodings) {
        // Counts encodings that reach max_length: an upper bound on truncation (a text of
        // exactly max_length tokens counts too), which is what the log line says.
        if (enc.input_ids.size() >= max_length)
            ++truncated;
        out.input_ids.push_back(std::move(enc.input_ids));
        if (!pairs.empty())
            out.token_type_ids.push_back(std::move(enc.token_type_ids));
    }
    return truncated;
}

PreparedData prepare_data(const io::ExperimentConfig& config, const text::Tokenizer& tokenizer,
                          const LogFn& log, bool allow_streaming) {
    const auto& ds = config.dataset;
    if (over_stream_threshold(config)) {
        if (can_stream_task(config) && allow_streaming)
            return prepare_streamed_text_data(config, tokenizer, log);
        if (log)
            log("the training file is larger than dataset.stream_threshold_mb (" +
                std::to_string(ds.stream_threshold_mb) + " MiB) but is read into memory: " +
                (ds.task != "text_classification"
                     ? "streaming covers text_classification, not " + ds.task
                 : can_stream_task(config) ? std::string("this model needs every token id up front")
                 : !ds.split_column.empty() || ds.deidentify
                     ? std::string(
                           "dataset.split_column and dataset.deidentify are applied in memory")
                     : std::string("it is UTF-16, converted in memory")));
    }
    if (ds.task == "token_classification" && (!ds.split_column.empty() || ds.deidentify) && log)
        log("note: dataset.split_column and dataset.deidentify apply to tables, not to token "
            "files; this run splits by sentence and uses the tokens as written");
    if (ds.task == "multi_label")
        return prepare_multilabel_data(config, tokenizer, log);
    if (ds.task == "token_classification")
        return prepare_token_data(config, tokenizer, log);
    if (ds.task == "regression")
        return prepare_regression_data(config, tokenizer, log);
    PreparedData out;
    const std::string main_path = config.resolve(ds.path);
    const bool column_split = !ds.split_column.empty();
    data::SplitIndices split_of_column;
    std::vector<data::DataProblem> split_problems;
    data::TextDataset main =
        load_dataset(config, main_path, nullptr, log, column_split ? &split_of_column : nullptr,
                     &split_problems);
    check_problems(main.problems, main.source, ds.skip_invalid_rows, log, out.problems);
    check_problems(split_problems, main.source, ds.skip_invalid_rows, log, out.problems);
    out.labels = main.labels;
    if (out.labels.size() < 2)
        throw Error("the label column '" + ds.label_column + "' has " +
                        std::to_string(out.labels.size()) +
                        " distinct value(s); classification needs at least 2",
                    SourceLocation{main_path, 0, 0, "dataset.label_column"});

    const auto max_length = static_cast<std::size_t>(config.model.max_length);
    std::uint64_t hash = 1469598103934665603ULL;
    hash_examples(hash, main.examples, out.labels);

    // The split column wins over dev/test files, as on the Data page.
    const bool user_split = !column_split && (!ds.dev_path.empty() || !ds.test_path.empty());
    if (column_split) {
        out.split = std::move(split_of_column);
        encode_into(out.train, main.examples, &out.split.train, tokenizer, max_length,
                    out.truncated);
        encode_into(out.dev, main.examples, &out.split.dev, tokenizer, max_length, out.truncated);
        encode_into(out.test, main.examples, &out.split.test, tokenizer, max_length, out.truncated);
    } else if (user_split) {
        // The main file is all training data; dev/test come from their own files, with the
        // training label map (labels unseen in training are reported, not silently added).
        encode_into(out.train, main.examples, nullptr, tokenizer, max_length, out.truncated);
        for (std::size_t i = 0; i < main.examples.size(); ++i)
            out.split.train.push_back(i);
        auto load_side = [&](const std::string& path, EncodedSplit& into) {
            if (path.empty())
                return;
            data::TextDataset side = load_dataset(config, config.resolve(path), &out.labels, log);
            check_problems(side.problems, side.source, ds.skip_invalid_rows, log, out.problems);
            hash_examples(hash, side.examples, out.labels);
            encode_into(into, side.examples, nullptr, tokenizer, max_length, out.truncated);
        };
        load_side(ds.dev_path, out.dev);
        load_side(ds.test_path, out.test);
    } else {
        out.split = data::stratified_split(main.label_ids(),
                                           {ds.train_fraction, ds.dev_fraction, ds.test_fraction},
                                           config.training.seed);
        encode_into(out.train, main.examples, &out.split.train, tokenizer, max_length,
                    out.truncated);
        encode_into(out.dev, main.examples, &out.split.dev, tokenizer, max_length, out.truncated);
        encode_into(out.test, main.examples, &out.split.test, tokenizer, max_length, out.truncated);
    }
    if (out.train.size() == 0)
        throw Error("the training split is empty", SourceLocation{main_path, 0, 0, "dataset"});

    out.data_hash = hash_hex(hash);
    return out;
}

}  // namespace tb::train
