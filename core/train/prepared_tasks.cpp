#include "train/prepared_tasks.h"

#include "common/error.h"
#include "data/iterative_split.h"
#include "data/multilabel_dataset.h"
#include "data/table.h"
#include "data/token_dataset.h"
#include "model/label_alignment.h"

namespace tb::train {
namespace {

data::SplitFractions fractions(const io::DatasetConfig& ds) {
    return {ds.train_fraction, ds.dev_fraction, ds.test_fraction};
}

// The file's examples (de-identified with dataset.deidentify). With `split`, also the split of
// dataset.split_column, its unknown values appended to `unknown`.
data::MultiLabelDataset load_multilabel(const io::ExperimentConfig& config, const std::string& path,
                                        const data::LabelMap* labels, const LogFn& log,
                                        data::SplitIndices* split = nullptr,
                                        std::vector<data::DataProblem>* unknown = nullptr) {
    const auto& ds = config.dataset;
    data::Table table = data::read_table(path, data::table_format_from_name(ds.format));
    deidentify_training_table(config, table, path, log);
    data::MultiLabelDataset d =
        !ds.label_columns.empty()
            ? data::build_multilabel_from_columns(table, ds.text_column, ds.label_columns)
            : data::build_multilabel_dataset(table, ds.text_column, ds.label_column,
                                             ds.label_separator,
                                             data::label_order_from_name(ds.label_order), labels);
    if (split != nullptr) {
        std::vector<long> lines;
        for (const auto& e : d.examples)
            lines.push_back(e.line);
        *split = training_split_from_column(config, table, lines, path, log, *unknown);
    }
    return d;
}

void hash_multilabel(std::uint64_t& hash, const data::MultiLabelDataset& d) {
    for (const auto& e : d.examples) {
        fnv1a(hash, e.text.data(), e.text.size());
        for (int id : e.labels) {
            const std::string& name = d.labels.name(id);
            fnv1a(hash, "\x1f", 1);
            fnv1a(hash, name.data(), name.size());
        }
        fnv1a(hash, "\x1e", 1);
    }
}

std::int64_t encode_multilabel(EncodedSplit& out, const data::MultiLabelDataset& d,
                               const std::vector<std::size_t>* indices,
                               const text::Tokenizer& tokenizer, std::size_t max_length) {
    std::vector<std::string> texts;
    const std::size_t n = indices ? indices->size() : d.examples.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t k = indices ? (*indices)[i] : i;
        texts.push_back(d.examples[k].text);
        out.targets.push_back(d.multi_hot(k));
        out.labels.push_back(0);
        out.lines.push_back(d.examples[k].line);
    }
    return encode_texts(out, texts, {}, tokenizer, max_length);
}

void hash_tokens(std::uint64_t& hash, const data::TokenDataset& d) {
    for (const auto& s : d.sentences) {
        for (std::size_t i = 0; i < s.tokens.size(); ++i) {
            fnv1a(hash, s.tokens[i].data(), s.tokens[i].size());
            fnv1a(hash, "\x1f", 1);
            const std::string& tag = d.tags.name(s.tags[i]);
            fnv1a(hash, tag.data(), tag.size());
            fnv1a(hash, "\x1d", 1);
        }
        fnv1a(hash, "\x1e", 1);
    }
}

std::int64_t encode_sentences(EncodedSplit& out, const data::TokenDataset& d,
                              const std::vector<std::size_t>* indices,
                              const text::Tokenizer& tokenizer, std::size_t max_length) {
    text::EncodeOptions options;
    options.max_length = max_length;
    std::int64_t truncated = 0;
    const std::size_t n = indices ? indices->size() : d.sentences.size();
    for (std::size_t i = 0; i < n; ++i) {
        const auto& s = d.sentences[indices ? (*indices)[i] : i];
        auto enc = tokenizer.encode_words(s.tokens, options);
        if (enc.input_ids.size() >= max_length)
            ++truncated;
        std::vector<int> word_ids(enc.word_ids.begin(), enc.word_ids.end());
        std::vector<std::int64_t> word_labels(s.tags.begin(), s.tags.end());
        out.token_labels.push_back(model::align_word_labels(word_ids, word_labels));
        out.word_ids.push_back(std::move(word_ids));
        out.word_tags.push_back(s.tags);
        out.input_ids.push_back(std::move(enc.input_ids));
        out.labels.push_back(0);
        out.lines.push_back(s.line);
    }
    return truncated;
}

data::TokenDataset load_tokens(const io::ExperimentConfig& config, const std::string& path,
                               const data::LabelMap* tags) {
    const auto& ds = config.dataset;
    const auto file = data::read_token_file(path, data::token_format_from_name(ds.format),
                                            data::ConllOptions{ds.token_column, ds.tag_column});
    data::TokenDatasetOptions options;
    options.scheme = data::tag_scheme_from_name(ds.tag_scheme);
    options.convert_to_bio = ds.convert_to_bio;
    return data::build_token_dataset(file, options, tags);
}

}  // namespace

PreparedData prepare_multilabel_data(const io::ExperimentConfig& config,
                                     const text::Tokenizer& tokenizer, const LogFn& log) {
    const auto& ds = config.dataset;
    PreparedData out;
    const std::string main_path = config.resolve(ds.path);
    const bool column_split = !ds.split_column.empty();
    data::SplitIndices split_of_column;
    std::vector<data::DataProblem> split_problems;
    const auto main = load_multilabel(config, main_path, nullptr, log,
                                      column_split ? &split_of_column : nullptr, &split_problems);
    check_problems(main.problems, main.source, ds.skip_invalid_rows, log, out.problems);
    check_problems(split_problems, main.source, ds.skip_invalid_rows, log, out.problems);
    out.labels = main.labels;
    if (out.labels.size() < 1)
        throw Error("no labels found; a multi-label dataset needs at least one label",
                    SourceLocation{main_path, 0, 0, "dataset.label_column"});
    const auto max_length = static_cast<std::size_t>(config.model.max_length);
    std::uint64_t hash = 1469598103934665603ULL;
    hash_multilabel(hash, main);
    if (column_split) {  // the split column wins over dev/test files, as on the Data page
        out.split = std::move(split_of_column);
        out.truncated +=
            encode_multilabel(out.train, main, &out.split.train, tokenizer, max_length);
        out.truncated += encode_multilabel(out.dev, main, &out.split.dev, tokenizer, max_length);
        out.truncated += encode_multilabel(out.test, main, &out.split.test, tokenizer, max_length);
    } else if (!ds.dev_path.empty() || !ds.test_path.empty()) {
        out.truncated += encode_multilabel(out.train, main, nullptr, tokenizer, max_length);
        for (std::size_t i = 0; i < main.examples.size(); ++i)
            out.split.train.push_back(i);
        auto side = [&](const std::string& path, EncodedSplit& into) {
            if (path.empty())
                return;
            const auto d = load_multilabel(config, config.resolve(path), &out.labels, log);
            if (d.labels.names() != out.labels.names())
                throw Error("the labels of " + path + " differ from the training file's",
                            SourceLocation{config.resolve(path), 0, 0, "dataset.label_columns"});
            check_problems(d.problems, d.source, ds.skip_invalid_rows, log, out.problems);
            hash_multilabel(hash, d);
            out.truncated += encode_multilabel(into, d, nullptr, tokenizer, max_length);
        };
        side(ds.dev_path, out.dev);
        side(ds.test_path, out.test);
    } else {
        out.split =
            data::iterative_stratified_split(main.label_sets(), static_cast<int>(out.labels.size()),
                                             fractions(ds), config.training.seed);
        out.truncated +=
            encode_multilabel(out.train, main, &out.split.train, tokenizer, max_length);
        out.truncated += encode_multilabel(out.dev, main, &out.split.dev, tokenizer, max_length);
        out.truncated += encode_multilabel(out.test, main, &out.split.test, tokenizer, max_length);
    }
    if (out.train.size() == 0)
        throw Error("the training split is empty", SourceLocation{main_path, 0, 0, "dataset"});
    out.data_hash = hash_hex(hash);
    return out;
}

PreparedData prepare_token_data(const io::ExperimentConfig& config,
                                const text::Tokenizer& tokenizer, const LogFn& log) {
    const auto& ds = config.dataset;
    PreparedData out;
    const std::string main_path = config.resolve(ds.path);
    const auto main = load_tokens(config, main_path, nullptr);
    check_problems(main.problems, main.source, ds.skip_invalid_rows, log, out.problems);
    out.labels = main.tags;
    if (out.labels.size() < 2)
        throw Error("the tag column has " + std::to_string(out.labels.size()) +
                        " distinct tag(s); token classification needs at least 2",
                    SourceLocation{main_path, 0, 0, "dataset.tag_column"});
    const auto max_length = static_cast<std::size_t>(config.model.max_length);
    std::uint64_t hash = 1469598103934665603ULL;
    hash_tokens(hash, main);
    if (!ds.dev_path.empty() || !ds.test_path.empty()) {
        out.truncated += encode_sentences(out.train, main, nullptr, tokenizer, max_length);
        for (std::size_t i = 0; i < main.sentences.size(); ++i)
            out.split.train.push_back(i);
        auto side = [&](const std::string& path, EncodedSplit& into) {
            if (path.empty())
                return;
            const auto d = load_tokens(config, config.resolve(path), &out.labels);
            check_problems(d.problems, d.source, ds.skip_invalid_rows, log, out.problems);
            hash_tokens(hash, d);
            out.truncated += encode_sentences(into, d, nullptr, tokenizer, max_length);
        };
        side(ds.dev_path, out.dev);
        side(ds.test_path, out.test);
    } else {
        out.split = data::split_sentences(main, fractions(ds), config.training.seed);
        out.truncated += encode_sentences(out.train, main, &out.split.train, tokenizer, max_length);
        out.truncated += encode_sentences(out.dev, main, &out.split.dev, tokenizer, max_length);
        out.truncated += encode_sentences(out.test, main, &out.split.test, tokenizer, max_length);
    }
    if (out.train.size() == 0)
        throw Error("the training split is empty", SourceLocation{main_path, 0, 0, "dataset"});
    out.data_hash = hash_hex(hash);
    return out;
}

EncodedSplit encode_labelled_file(const io::ExperimentConfig& config, const std::string& path,
                                  const data::LabelMap& labels, const text::Tokenizer& tokenizer,
                                  std::vector<data::DataProblem>& problems) {
    EncodedSplit out;
    const auto max_length = static_cast<std::size_t>(config.model.max_length);
    if (config.dataset.task == "regression")
        return encode_regression_file(config, path, tokenizer, problems);
    if (config.dataset.task == "multi_label") {
        const auto d = load_multilabel(config, path, &labels, LogFn{});
        if (d.labels.names() != labels.names())
            throw Error("the label columns of " + path + " differ from the run's labels",
                        SourceLocation{path, 0, 0, "dataset.label_columns"});
        problems.insert(problems.end(), d.problems.begin(), d.problems.end());
        encode_multilabel(out, d, nullptr, tokenizer, max_length);
    } else {
        const auto d = load_tokens(config, path, &labels);
        problems.insert(problems.end(), d.problems.begin(), d.problems.end());
        encode_sentences(out, d, nullptr, tokenizer, max_length);
    }
    return out;
}

}  // namespace tb::train
