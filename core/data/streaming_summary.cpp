// One streaming pass over a row index: each chunk is parsed and checked by the same functions as
// the in-memory path (build_text_dataset / build_multilabel_*), and only per-example numbers are
// kept. Label ids are assigned in first-seen order during the pass and renumbered at the end
// when another order is asked for.
#include "data/streaming_summary.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "common/error.h"
#include "data/dataset_checks.h"
#include "data/multilabel_dataset.h"
#include "data/text_encoding.h"

namespace tb::data {
namespace {

// Characters (UTF-8 lead bytes) of `text`, eight bytes at a time: a byte is a continuation
// byte when its top bits are 10, so the lead bytes are those whose bit 7 is clear or bit 6 set.
std::size_t count_chars(const std::string& text) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    std::size_t continuation = 0;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        // Bit 7 of each byte: set for a continuation byte (10xxxxxx).
        const std::uint64_t marks = word & ~(word << 1) & 0x8080808080808080ull;
        // (marks >> 7) holds a 0/1 per byte; the multiplication sums them into the top byte
        // (no popcount instruction is assumed: the build targets baseline x86-64).
        continuation += static_cast<std::size_t>(((marks >> 7) * 0x0101010101010101ull) >> 56);
    }
    for (; i < size; ++i)
        continuation += starts_character(static_cast<char>(p[i])) ? 0 : 1;
    return size - continuation;
}

// 0 train, 1 dev, 2 test, 3 none — the values split_from_column accepts.
std::uint8_t split_code(const std::string& cell) {
    std::string value = trim_blank(cell);
    for (char& c : value)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (value == "train")
        return 0;
    if (value == "dev" || value == "validation" || value == "valid" || value == "val")
        return 1;
    if (value == "test")
        return 2;
    return 3;
}

// JSONL chunks have the keys of their own rows as columns: a chosen column missing from a
// chunk is a column of empty cells there, as in a table read whole.
void add_missing_columns(Table& chunk, const std::vector<std::string>& wanted) {
    for (const std::string& name : wanted) {
        if (name.empty() ||
            std::find(chunk.columns.begin(), chunk.columns.end(), name) != chunk.columns.end())
            continue;
        chunk.columns.push_back(name);
        for (auto& row : chunk.rows)
            row.emplace_back();
    }
}

// 12 bytes (packed): what the duplicate pass keeps per example.
#pragma pack(push, 4)
struct HashedText {
    std::uint64_t hash;
    std::uint32_t example;
};
#pragma pack(pop)
static_assert(sizeof(HashedText) == 12, "the stated memory bound counts 12 B per example");

// The hash of duplicate_key(text, pair, paired), without building the key for a single text.
std::uint64_t duplicate_hash(const std::string& text, const std::string& pair, bool paired) {
    if (paired)
        return std::hash<std::string>{}(duplicate_key(text, pair, paired));
    return std::hash<std::string_view>{}(trimmed_view(text));
}

class Summarizer {
public:
    Summarizer(const RowIndex& index, const StreamingSummaryOptions& options)
        : index_(index), options_(options) {
        out_.source = index.path;
        // Sized once for every row (an upper bound of the examples): no doubling on growth, so
        // the stated bytes per row hold exactly.
        out_.example_rows.reserve(index.rows());
        out_.lengths.reserve(index.rows());
        if (options.multi_label) {
            out_.label_offsets.reserve(index.rows());
        } else {
            out_.example_labels.reserve(index.rows());
            if (options.find_duplicates)
                hashes_.reserve(index.rows());
        }
        if (!options.split_column.empty())
            out_.example_split.reserve(index.rows());
        // Fixed label lists keep their order: known labels, or the 0/1 columns.
        if (options.known_labels != nullptr)
            for (const std::string& name : options.known_labels->names())
                global_id(name);
        if (options.multi_label)
            for (const std::string& name : options.label_columns)
                global_id(name);
    }

    void add_chunk(Table& chunk, std::size_t first_row) {
        if (index_.format == TableFormat::Jsonl)
            add_missing_columns(chunk, wanted_columns());
        if (options_.deidentify) {
            std::vector<std::size_t> text_columns{chunk.column_index(options_.columns.text)};
            if (!options_.columns.text_pair.empty())
                text_columns.push_back(chunk.column_index(options_.columns.text_pair));
            out_.masked += deidentify_rows(chunk.rows, text_columns);
        }
        const std::size_t split_index = options_.split_column.empty()
                                            ? chunk.columns.size()
                                            : chunk.column_index(options_.split_column);
        std::vector<std::string> texts;  // for the token counter
        std::vector<DataProblem> problems;
        if (options_.multi_label) {
            const MultiLabelDataset ds =
                options_.label_columns.empty()
                    ? build_multilabel_dataset(chunk, options_.columns.text, options_.columns.label,
                                               options_.separator, LabelOrder::FirstSeen)
                    : build_multilabel_from_columns(chunk, options_.columns.text,
                                                    options_.label_columns);
            problems = ds.problems;
            for (const MultiLabelExample& ex : ds.examples) {
                std::vector<int> ids;
                for (int l : ex.labels)
                    ids.push_back(add_label(ds.labels.name(l), ex.line));
                std::sort(ids.begin(), ids.end());
                out_.label_ids.insert(out_.label_ids.end(), ids.begin(), ids.end());
                out_.label_offsets.push_back(static_cast<std::uint32_t>(out_.label_ids.size()));
                add_example(first_row + ex.row, ex.text, std::string(), chunk, split_index, ex.row,
                            texts);
            }
        } else {
            const TextDataset ds = build_text_dataset(chunk, options_.columns,
                                                      LabelOrder::FirstSeen, options_.known_labels);
            problems = ds.problems;
            for (const TextExample& ex : ds.examples) {
                out_.example_labels.push_back(add_label(ds.labels.name(ex.label), ex.line));
                if (options_.find_duplicates)
                    hashes_.push_back(HashedText{
                        duplicate_hash(ex.text, ex.text_pair, !options_.columns.text_pair.empty()),
                        static_cast<std::uint32_t>(out_.example_rows.size())});
                add_example(first_row + ex.row, ex.text, ex.text_pair, chunk, split_index, ex.row,
                            texts);
            }
        }
        for (DataProblem& p : problems) {
            if (p.kind == "empty_text")
                ++out_.empty_text;
            else if (p.kind == "missing_label")
                ++out_.missing_label;
            else
                ++out_.other_invalid;
            ++out_.problem_count;
            if (out_.problems.size() < options_.max_listed_problems)
                out_.problems.push_back(std::move(p));
        }
        if (options_.count_tokens && !texts.empty()) {
            const std::vector<int> counts = options_.count_tokens(texts);
            if (counts.size() != texts.size())
                throw Error("the token counter returned " + std::to_string(counts.size()) +
                                " counts for " + std::to_string(texts.size()) + " texts",
                            SourceLocation{index_.path, 0, 0, {}});
            out_.lengths.insert(out_.lengths.end(), counts.begin(), counts.end());
        }
        out_.rows += chunk.rows.size();
    }

    StreamingSummary finish() {
        out_.examples = out_.example_rows.size();
        out_.lengths_in_tokens = static_cast<bool>(options_.count_tokens);
        out_.mean_chars = out_.examples ? double(total_chars_) / double(out_.examples) : 0.0;
        renumber_labels();
        out_.class_counts.assign(names_.size(), 0);
        for (std::size_t i = 0; i < out_.examples; ++i)
            for (int l : out_.labels_of(i))
                ++out_.class_counts[static_cast<std::size_t>(l)];
        if (!options_.multi_label && options_.find_duplicates)
            add_duplicates();
        for (auto& p : find_rare_labels(out_.labels, out_.class_counts, out_.first_lines,
                                        options_.rare_min, out_.source))
            out_.warnings.push_back(std::move(p));
        for (std::size_t c = 0; c < out_.class_counts.size(); ++c)
            if (out_.class_counts[c] > 0 && out_.class_counts[c] < options_.rare_min)
                out_.rare_labels.push_back(out_.labels.name(static_cast<int>(c)));
        std::stable_sort(
            out_.warnings.begin(), out_.warnings.end(),
            [](const DataProblem& a, const DataProblem& b) { return a.line < b.line; });
        if (out_.warnings.size() > options_.max_listed_problems)
            out_.warnings.resize(options_.max_listed_problems);
        out_.problems.insert(out_.problems.end(), split_problems_.begin(), split_problems_.end());
        return std::move(out_);
    }

    StreamingSummary& summary() { return out_; }

private:
    std::vector<std::string> wanted_columns() const {
        std::vector<std::string> wanted{options_.columns.text, options_.columns.text_pair,
                                        options_.split_column};
        if (options_.multi_label && !options_.label_columns.empty())
            wanted.insert(wanted.end(), options_.label_columns.begin(),
                          options_.label_columns.end());
        else
            wanted.push_back(options_.columns.label);
        return wanted;
    }

    int global_id(const std::string& name) {
        const auto found = ids_.find(name);
        if (found != ids_.end())
            return found->second;
        const int id = static_cast<int>(names_.size());
        ids_.emplace(name, id);
        names_.push_back(name);
        first_lines_.push_back(0);
        return id;
    }

    int add_label(const std::string& name, long line) {
        const int id = global_id(name);
        if (first_lines_[static_cast<std::size_t>(id)] == 0)
            first_lines_[static_cast<std::size_t>(id)] = line;
        return id;
    }

    void add_example(std::size_t row, const std::string& text, const std::string& pair,
                     const Table& chunk, std::size_t split_index, std::size_t chunk_row,
                     std::vector<std::string>& texts) {
        if (row > UINT32_MAX)
            throw Error("the file has more than 4 billion rows; split it into smaller files",
                        SourceLocation{index_.path, 0, 0, {}});
        out_.example_rows.push_back(static_cast<std::uint32_t>(row));
        const std::size_t chars = count_chars(text) + count_chars(pair);
        total_chars_ += chars;
        out_.min_chars = out_.example_rows.size() == 1 ? chars : std::min(out_.min_chars, chars);
        out_.max_chars = std::max(out_.max_chars, chars);
        if (options_.count_tokens)
            texts.push_back(pair.empty() && options_.columns.text_pair.empty()
                                ? text
                                : text + " [SEP] " + pair);  // a special token: one piece
        else
            out_.lengths.push_back(static_cast<int>(std::min<std::size_t>(chars, INT32_MAX)));
        if (split_index < chunk.columns.size()) {
            const std::string& cell = chunk.rows[chunk_row][split_index];
            const std::uint8_t code = split_code(cell);
            out_.example_split.push_back(code);
            if (code == 3)
                ++out_.problem_count;
            if (code == 3 && split_problems_.size() < options_.max_listed_problems) {
                const long line = chunk.row_lines[chunk_row];
                split_problems_.push_back(DataProblem{
                    "unknown_split", out_.source, line, static_cast<long>(split_index) + 1,
                    "the split column '" + options_.split_column + "' holds '" + cell +
                        "'; expected train, dev (or validation) or test; the row is in no "
                        "split"});
            }
        }
    }

    // First-seen ids -> ids of the requested order (or of known_labels, which are first).
    void renumber_labels() {
        if (options_.known_labels != nullptr && options_.known_labels->size() > 0) {
            out_.labels = *options_.known_labels;
        } else if (options_.multi_label && !options_.label_columns.empty()) {
            out_.labels = LabelMap(names_);
        } else {
            out_.labels = LabelMap::from_values(names_, options_.order);
        }
        std::vector<int> to_final(names_.size());
        out_.first_lines.assign(names_.size(), 0);
        for (std::size_t i = 0; i < names_.size(); ++i) {
            to_final[i] = out_.labels.index_of(names_[i]);
            out_.first_lines[static_cast<std::size_t>(to_final[i])] = first_lines_[i];
        }
        for (int& l : out_.example_labels)
            l = to_final[static_cast<std::size_t>(l)];
        for (int& l : out_.label_ids)
            l = to_final[static_cast<std::size_t>(l)];
        if (options_.multi_label && options_.order != LabelOrder::FirstSeen) {
            std::uint32_t begin = 0;
            for (std::uint32_t end : out_.label_offsets) {
                std::sort(out_.label_ids.begin() + begin, out_.label_ids.begin() + end);
                begin = end;
            }
        }
    }

    // Examples whose hashed text repeats an earlier one: the same problems as find_duplicates.
    void add_duplicates() {
        // Sorted in place by (hash, example), not through a permutation of indices: the sort
        // then reads memory in order, which made it several times faster on millions of rows.
        std::sort(hashes_.begin(), hashes_.end(), [](const HashedText& a, const HashedText& b) {
            return a.hash != b.hash ? a.hash < b.hash : a.example < b.example;
        });
        std::vector<std::pair<std::uint32_t, std::uint32_t>> repeats;  // (later, first)
        // The first of each run of equal hashes is the first occurrence, which every later one
        // names.
        std::size_t first = 0;
        for (std::size_t i = 1; i < hashes_.size(); ++i) {
            if (hashes_[i].hash != hashes_[first].hash) {
                first = i;
                continue;
            }
            ++out_.duplicates;
            if (repeats.size() < options_.max_listed_problems)
                repeats.emplace_back(hashes_[i].example, hashes_[first].example);
        }
        std::vector<HashedText>().swap(hashes_);
        std::sort(repeats.begin(), repeats.end());
        for (const auto& [later, first] : repeats) {
            const long line = static_cast<long>(index_.lines[out_.example_rows[later]]);
            const long first_line = static_cast<long>(index_.lines[out_.example_rows[first]]);
            const std::string& label = out_.labels.name(out_.example_labels[later]);
            const std::string& first_label = out_.labels.name(out_.example_labels[first]);
            out_.warnings.push_back(duplicate_problem(out_.source, line, first_line,
                                                      !options_.columns.text_pair.empty(),
                                                      DuplicateTarget::Label, label, first_label));
        }
    }

    const RowIndex& index_;
    const StreamingSummaryOptions& options_;
    StreamingSummary out_;
    std::unordered_map<std::string, int> ids_;  // first-seen label ids
    std::vector<std::string> names_;
    std::vector<long> first_lines_;
    std::vector<HashedText> hashes_;  // per example (single-label duplicates)
    std::vector<DataProblem> split_problems_;
    std::uint64_t total_chars_ = 0;
};

}  // namespace

std::vector<int> StreamingSummary::labels_of(std::size_t i) const {
    if (!label_offsets.empty() || example_labels.empty()) {
        const std::uint32_t begin = i == 0 ? 0 : label_offsets[i - 1];
        return std::vector<int>(label_ids.begin() + begin, label_ids.begin() + label_offsets[i]);
    }
    return {example_labels[i]};
}

std::size_t StreamingSummary::memory_bytes() const {
    return example_rows.capacity() * sizeof(std::uint32_t) +
           example_labels.capacity() * sizeof(int) +
           label_offsets.capacity() * sizeof(std::uint32_t) + label_ids.capacity() * sizeof(int) +
           example_split.capacity() + lengths.capacity() * sizeof(int);
}

StreamingSummary summarize_rows(const RowIndex& index, const StreamingSummaryOptions& options,
                                const SummaryProgress& progress) {
    Summarizer summarizer(index, options);
    const std::size_t step = std::max<std::size_t>(options.chunk_rows, 1);
    const std::size_t rows = index.rows();
    // The first chunk is read here: unknown columns are reported before any other work (also
    // for a header-only file), like the in-memory path.
    Table chunk = read_rows(index, 0, step);
    chunk.column_index(options.columns.text);
    if (!options.columns.text_pair.empty())
        chunk.column_index(options.columns.text_pair);
    if (options.multi_label && !options.label_columns.empty())
        for (const std::string& c : options.label_columns)
            chunk.column_index(c);
    else
        chunk.column_index(options.columns.label);
    if (!options.split_column.empty())
        chunk.column_index(options.split_column);

    // Later chunks are read and parsed on worker threads, `read_ahead` chunks ahead, while this
    // thread checks the current one; they are consumed in file order, so the results (and the
    // first error thrown) are the same as reading one chunk after the other. Destroying the
    // futures (cancel, error) waits for the reads in flight.
    std::deque<std::future<Table>> ahead;
    std::size_t next = step;
    auto read_more = [&] {
        while (ahead.size() < options.read_ahead && next < rows) {
            const std::size_t first = next;
            ahead.push_back(std::async(std::launch::async, [&index, first, step] {
                return read_rows(index, first, step);
            }));
            next += step;
        }
    };
    for (std::size_t first = 0;;) {
        read_more();
        summarizer.add_chunk(chunk, first);
        first += step;
        if (progress && !progress(std::min(first, rows), rows)) {
            StreamingSummary partial = std::move(summarizer.summary());
            partial.cancelled = true;
            return partial;
        }
        if (first >= rows)
            break;
        if (ahead.empty()) {
            chunk = read_rows(index, first, step);
        } else {
            chunk = ahead.front().get();
            ahead.pop_front();
        }
    }
    return summarizer.finish();
}

std::uint64_t streaming_memory_estimate(const RowIndex& index, std::size_t chunk_rows,
                                        std::size_t read_ahead) {
    const std::uint64_t rows = index.rows();
    const std::uint64_t row_bytes = rows ? index.data_end / rows : 0;
    // The index as allocated (its vectors may hold spare capacity), then 24 B per row for the
    // summary's arrays and the duplicate pass's permutation, then the parsed chunks in memory
    // (the current one and those read ahead).
    const std::uint64_t index_bytes = (index.offsets.capacity() + index.lines.capacity()) * 8;
    return index_bytes + rows * 24 + row_bytes * chunk_rows * 3 * (read_ahead + 1);
}

}  // namespace tb::data
