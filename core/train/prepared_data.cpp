#include "train/prepared_data.h"

#include <cstdio>

#include "common/error.h"
#include "data/table.h"

namespace tb::train {
namespace {

data::TextDataset load_dataset(const io::ExperimentConfig& config, const std::string& path,
                               const data::LabelMap* labels) {
    const auto& ds = config.dataset;
    const data::Table table = data::read_table(path, data::table_format_from_name(ds.format));
    return data::build_text_dataset(table, ds.text_column, ds.label_column,
                                    data::label_order_from_name(ds.label_order), labels);
}

void check_problems(const data::TextDataset& dataset, bool skip, const LogFn& log,
                    std::vector<data::DataProblem>& all) {
    if (dataset.problems.empty())
        return;
    if (!skip) {
        const auto& p = dataset.problems.front();
        throw Error(p.message + " (" + std::to_string(dataset.problems.size()) +
                        " problem rows; set dataset.skip_invalid_rows to skip them)",
                    SourceLocation{p.file, p.line, p.column, {}});
    }
    log("skipping " + std::to_string(dataset.problems.size()) + " invalid rows of " +
        dataset.source + " (first: line " + std::to_string(dataset.problems.front().line) + ": " +
        dataset.problems.front().message + ")");
    all.insert(all.end(), dataset.problems.begin(), dataset.problems.end());
}

void fnv1a(std::uint64_t& hash, const void* bytes, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(bytes);
    for (std::size_t i = 0; i < n; ++i) {
        hash ^= p[i];
        hash *= 1099511628211ULL;
    }
}

void hash_examples(std::uint64_t& hash, const std::vector<data::TextExample>& examples,
                   const data::LabelMap& labels) {
    for (const auto& e : examples) {
        fnv1a(hash, e.text.data(), e.text.size());
        fnv1a(hash, "\x1f", 1);
        const std::string& label = labels.name(e.label);
        fnv1a(hash, label.data(), label.size());
        fnv1a(hash, "\x1e", 1);
    }
}

void encode_into(EncodedSplit& out, const std::vector<data::TextExample>& examples,
                 const std::vector<std::size_t>* indices, const text::BertTokenizer& tokenizer,
                 std::size_t max_length, std::int64_t& truncated) {
    std::vector<std::string> texts;
    const std::size_t n = indices ? indices->size() : examples.size();
    texts.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& e = examples[indices ? (*indices)[i] : i];
        texts.push_back(e.text);
        out.labels.push_back(e.label);
        out.lines.push_back(e.line);
    }
    for (auto& enc : tokenizer.encode_batch(texts, max_length)) {
        // Counts encodings that reach max_length: an upper bound on truncation (a text of
        // exactly max_length tokens counts too), which is what the log line says.
        if (enc.input_ids.size() >= max_length)
            ++truncated;
        out.input_ids.push_back(std::move(enc.input_ids));
    }
}

}  // namespace

PreparedData prepare_data(const io::ExperimentConfig& config, const text::BertTokenizer& tokenizer,
                          const LogFn& log) {
    const auto& ds = config.dataset;
    PreparedData out;
    const std::string main_path = config.resolve(ds.path);
    data::TextDataset main = load_dataset(config, main_path, nullptr);
    check_problems(main, ds.skip_invalid_rows, log, out.problems);
    out.labels = main.labels;
    if (out.labels.size() < 2)
        throw Error("the label column '" + ds.label_column + "' has " +
                        std::to_string(out.labels.size()) +
                        " distinct value(s); classification needs at least 2",
                    SourceLocation{main_path, 0, 0, "dataset.label_column"});

    const auto max_length = static_cast<std::size_t>(config.model.max_length);
    std::uint64_t hash = 1469598103934665603ULL;
    hash_examples(hash, main.examples, out.labels);

    const bool user_split = !ds.dev_path.empty() || !ds.test_path.empty();
    if (user_split) {
        // The main file is all training data; dev/test come from their own files, with the
        // training label map (labels unseen in training are reported, not silently added).
        encode_into(out.train, main.examples, nullptr, tokenizer, max_length, out.truncated);
        for (std::size_t i = 0; i < main.examples.size(); ++i)
            out.split.train.push_back(i);
        auto load_side = [&](const std::string& path, EncodedSplit& into) {
            if (path.empty())
                return;
            data::TextDataset side = load_dataset(config, config.resolve(path), &out.labels);
            check_problems(side, ds.skip_invalid_rows, log, out.problems);
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

    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    out.data_hash = hex;
    return out;
}

}  // namespace tb::train
