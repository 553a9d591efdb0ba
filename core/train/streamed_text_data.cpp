#include "train/streamed_text_data.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include "common/error.h"
#include "data/file_bytes.h"
#include "data/row_index.h"
#include "data/text_dataset.h"
#include "train/text_row_source.h"

namespace tb::train {
namespace {

// Texts encoded at once while counting tokens: bounds the encodings held (a few MB).
constexpr std::size_t kEncodeGroup = 1024;

// Per valid example of one file, in file order.
struct FileExamples {
    std::shared_ptr<TextRowSource> source;
    std::vector<std::uint32_t> rows;
    std::vector<int> labels;  // ids in `names` order (main file) or in the known map
    std::vector<std::uint16_t> lengths;
    std::vector<std::string> names;  // main file: labels in first-seen order
    std::vector<data::DataProblem> problems;
};

// JSON Lines chunks list the keys of their own rows; reorders them to the file's first-seen key
// order (what read_table gives the whole file), so problems name the same column numbers.
void align_jsonl_columns(data::Table& chunk, std::vector<std::string>& keys,
                         const std::vector<std::string>& needed) {
    for (const auto& c : chunk.columns)
        if (std::find(keys.begin(), keys.end(), c) == keys.end())
            keys.push_back(c);
    for (const auto& n : needed)
        if (!n.empty() && std::find(keys.begin(), keys.end(), n) == keys.end())
            throw Error(
                "the key '" + n + "' is not in the first rows of " + chunk.source +
                    ": a streamed JSON Lines file needs the chosen keys from its first "
                    "chunk of rows (raise dataset.stream_threshold_mb to read it into "
                    "memory instead)",
                SourceLocation{chunk.source, chunk.row_lines.empty() ? 0 : chunk.row_lines[0], 0,
                               "dataset"});
    if (chunk.columns == keys)
        return;
    std::vector<std::size_t> from(keys.size(), std::numeric_limits<std::size_t>::max());
    for (std::size_t k = 0; k < keys.size(); ++k)
        for (std::size_t c = 0; c < chunk.columns.size(); ++c)
            if (chunk.columns[c] == keys[k])
                from[k] = c;
    for (auto& row : chunk.rows) {
        std::vector<std::string> aligned(keys.size());
        for (std::size_t k = 0; k < keys.size(); ++k)
            if (from[k] < row.size())
                aligned[k] = std::move(row[from[k]]);
        row = std::move(aligned);
    }
    chunk.columns = keys;
}

// One pass over `path`: every row read once, checked as build_text_dataset checks it, hashed as
// the in-memory path hashes it (file order), and its valid examples tokenized for their length.
FileExamples stream_file(const io::ExperimentConfig& config, const std::string& path,
                         const data::LabelMap* known, const text::Tokenizer& tokenizer,
                         std::size_t chunk_rows, std::uint64_t& hash, std::int64_t& truncated) {
    const auto& ds = config.dataset;
    FileExamples out;
    auto source = std::make_shared<TextRowSource>();
    source->index = data::build_row_index(path, data::table_format_from_name(ds.format));
    source->text_column = ds.text_column;
    source->text_pair_column = ds.text_pair_column;
    source->tokenizer = &tokenizer;
    source->max_length = static_cast<std::size_t>(config.model.max_length);
    const data::RowIndex& index = source->index;
    if (index.rows() > std::numeric_limits<std::uint32_t>::max())
        throw Error(path + " has " + std::to_string(index.rows()) +
                        " rows; streamed training takes at most 4294967295 per file",
                    SourceLocation{path, 0, 0, "dataset.path"});
    // Reserved for every row up front: the arrays never double while the pass runs.
    out.rows.reserve(index.rows());
    out.labels.reserve(index.rows());
    out.lengths.reserve(index.rows());
    const data::TextColumns columns{ds.text_column, ds.text_pair_column, ds.label_column};
    const bool paired = !ds.text_pair_column.empty();
    text::EncodeOptions options;
    options.max_length = source->max_length;
    std::unordered_map<std::string, int> ids;  // main file: label -> first-seen id
    std::vector<std::string> keys;             // JSON Lines: keys in first-seen order
    std::vector<std::string> texts;
    std::vector<std::pair<std::string, std::string>> pairs;
    auto encode_group = [&]() {
        const auto encodings = paired ? tokenizer.encode_pair_batch(pairs, options)
                                      : tokenizer.encode_batch(texts, options);
        for (const auto& e : encodings) {
            if (e.input_ids.size() >= options.max_length)  // as encode_texts counts
                ++truncated;
            out.lengths.push_back(static_cast<std::uint16_t>(e.input_ids.size()));
        }
        texts.clear();
        pairs.clear();
    };
    std::size_t first = 0;
    do {  // at least once: an empty file still gets build_text_dataset's column checks
        data::Table chunk = data::read_rows(index, first, chunk_rows);
        if (index.format == data::TableFormat::Jsonl && !chunk.rows.empty())
            align_jsonl_columns(chunk, keys,
                                {ds.text_column, ds.text_pair_column, ds.label_column});
        const data::TextDataset part =
            data::build_text_dataset(chunk, columns, data::LabelOrder::FirstSeen, known);
        out.problems.insert(out.problems.end(), part.problems.begin(), part.problems.end());
        for (const auto& e : part.examples) {
            const std::string& name = part.labels.name(e.label);
            int label = e.label;
            if (!known) {
                const auto found = ids.emplace(name, static_cast<int>(out.names.size()));
                if (found.second)
                    out.names.push_back(name);
                label = found.first->second;
            }
            fnv1a(hash, e.text.data(), e.text.size());
            if (!e.text_pair.empty()) {  // as hash_examples in prepared_data.cpp
                fnv1a(hash, "\x1d", 1);
                fnv1a(hash, e.text_pair.data(), e.text_pair.size());
            }
            fnv1a(hash, "\x1f", 1);
            fnv1a(hash, name.data(), name.size());
            fnv1a(hash, "\x1e", 1);
            out.rows.push_back(static_cast<std::uint32_t>(first + e.row));
            out.labels.push_back(label);
            if (paired)
                pairs.emplace_back(e.text, e.text_pair);
            else
                texts.push_back(e.text);
            if (texts.size() + pairs.size() >= kEncodeGroup)
                encode_group();
        }
        first += chunk_rows;
    } while (first < index.rows());
    if (!texts.empty() || !pairs.empty())
        encode_group();
    source->index.offsets.shrink_to_fit();  // no spare capacity for the rest of the run
    source->index.lines.shrink_to_fit();
    out.source = std::move(source);
    return out;
}

// The examples at `picks` (indices into `all`), or all of them.
EncodedSplit make_split(const FileExamples& all, const std::vector<std::size_t>* picks) {
    EncodedSplit s;
    s.text_rows = all.source;
    const std::size_t n = picks ? picks->size() : all.rows.size();
    s.row_ids.reserve(n);
    s.labels.reserve(n);
    s.lengths.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t k = picks ? (*picks)[i] : i;
        s.row_ids.push_back(all.rows[k]);
        s.labels.push_back(all.labels[k]);
        s.lengths.push_back(all.lengths[k]);
    }
    return s;
}

std::uint64_t held_bytes(const EncodedSplit& s) {
    std::uint64_t bytes = s.row_ids.capacity() * sizeof(std::uint32_t) +
                          s.labels.capacity() * sizeof(int) +
                          s.lengths.capacity() * sizeof(std::uint16_t);
    return bytes;
}

std::uint64_t index_bytes(const TextRowSource& source) {
    return (source.index.offsets.capacity() + source.index.lines.capacity()) *
           sizeof(std::uint64_t);
}

std::string mib(std::uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

}  // namespace

std::int64_t training_file_bytes(const io::ExperimentConfig& config) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(config.resolve(config.dataset.path), ec);
    return ec ? -1 : static_cast<std::int64_t>(size);
}

bool over_stream_threshold(const io::ExperimentConfig& config) {
    const std::int64_t bytes = training_file_bytes(config);
    if (bytes < 0)
        return false;
    return bytes > static_cast<std::int64_t>(config.dataset.stream_threshold_mb) * 1024 * 1024;
}

bool can_stream_task(const io::ExperimentConfig& config) {
    // UTF-16 files are converted to UTF-8 in memory: the row index reads UTF-8 only (user dev
    // and test files are streamed with the training file, so they count too).
    const auto& ds = config.dataset;
    if (ds.task != "text_classification")
        return false;
    // The split column and de-identification are applied on the in-memory path only.
    if (!ds.split_column.empty() || ds.deidentify)
        return false;
    for (const std::string* path : {&ds.path, &ds.dev_path, &ds.test_path})
        if (!path->empty() && data::is_utf16_file(config.resolve(*path)))
            return false;
    return true;
}

PreparedData prepare_streamed_text_data(const io::ExperimentConfig& config,
                                        const text::Tokenizer& tokenizer, const LogFn& log,
                                        std::size_t chunk_rows) {
    const auto& ds = config.dataset;
    PreparedData out;
    const std::string main_path = config.resolve(ds.path);
    std::uint64_t hash = 1469598103934665603ULL;
    FileExamples main =
        stream_file(config, main_path, nullptr, tokenizer, chunk_rows, hash, out.truncated);
    check_problems(main.problems, main_path, ds.skip_invalid_rows, log, out.problems);
    main.problems = {};
    // The label order of build_text_dataset over the whole file: first seen, or sorted.
    out.labels =
        data::LabelMap::from_values(main.names, data::label_order_from_name(ds.label_order));
    if (out.labels.size() < 2)
        throw Error("the label column '" + ds.label_column + "' has " +
                        std::to_string(out.labels.size()) +
                        " distinct value(s); classification needs at least 2",
                    SourceLocation{main_path, 0, 0, "dataset.label_column"});
    if (out.labels.names() != main.names) {
        std::vector<int> to(main.names.size());
        for (std::size_t i = 0; i < main.names.size(); ++i)
            to[i] = out.labels.index_of(main.names[i]);
        for (int& label : main.labels)
            label = to[static_cast<std::size_t>(label)];
    }

    const bool user_split = !ds.dev_path.empty() || !ds.test_path.empty();
    if (user_split) {
        out.train = make_split(main, nullptr);
        for (std::size_t i = 0; i < main.rows.size(); ++i)
            out.split.train.push_back(i);
        auto load_side = [&](const std::string& path, EncodedSplit& into) {
            if (path.empty())
                return;
            const std::string resolved = config.resolve(path);
            FileExamples side = stream_file(config, resolved, &out.labels, tokenizer, chunk_rows,
                                            hash, out.truncated);
            check_problems(side.problems, resolved, ds.skip_invalid_rows, log, out.problems);
            into = make_split(side, nullptr);
        };
        main = {};  // before the side files: only the splits stay
        load_side(ds.dev_path, out.dev);
        load_side(ds.test_path, out.test);
    } else {
        out.split = data::stratified_split(main.labels,
                                           {ds.train_fraction, ds.dev_fraction, ds.test_fraction},
                                           config.training.seed);
        out.train = make_split(main, &out.split.train);
        out.dev = make_split(main, &out.split.dev);
        out.test = make_split(main, &out.split.test);
        main = {};
    }
    if (out.train.size() == 0)
        throw Error("the training split is empty", SourceLocation{main_path, 0, 0, "dataset"});
    out.data_hash = hash_hex(hash);

    if (log) {
        std::uint64_t bytes =
            held_bytes(out.train) + held_bytes(out.dev) + held_bytes(out.test) +
            index_bytes(*out.train.text_rows) +
            (out.split.train.capacity() + out.split.dev.capacity() + out.split.test.capacity()) *
                sizeof(std::size_t);
        for (const EncodedSplit* s : {&out.dev, &out.test})
            if (s->text_rows && s->text_rows != out.train.text_rows)
                bytes += index_bytes(*s->text_rows);
        const std::int64_t file = training_file_bytes(config);
        log("streaming the training file: " + std::to_string(out.train.text_rows->index.rows()) +
            " rows indexed, ~" + mib(bytes) + " MiB held for " +
            std::to_string(out.train.size() + out.dev.size() + out.test.size()) +
            " examples (file " + mib(file < 0 ? 0 : static_cast<std::uint64_t>(file)) +
            " MiB, dataset.stream_threshold_mb " + std::to_string(ds.stream_threshold_mb) +
            "); batches are read and tokenized as they are collated");
    }
    return out;
}

}  // namespace tb::train
