// Chunked pass over a sentence index: each chunk of sentences is parsed by the in-memory reader
// and checked by build_token_dataset with the scheme detected so far; only per-sentence numbers,
// tag counts and the first problems are kept.
#include "data/token_summary.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <future>
#include <memory>
#include <unordered_map>

#include "common/error.h"

namespace tb::data {
namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Reads chunks of sentences of one index through one open file.
class ChunkReader {
public:
    explicit ChunkReader(const SentenceIndex& index) : index_(index) {
        file_.reset(std::fopen(index.path.c_str(), "rb"));
        if (!file_) {
            throw Error(std::string("cannot open the file: ") + std::strerror(errno),
                        SourceLocation{index.path, 0, 0, {}});
        }
    }

    TokenFile read(std::size_t first, std::size_t last, const ConllOptions& conll) {
        const std::uint64_t begin = index_.offsets[first];
        const std::uint64_t end =
            last < index_.sentences() ? index_.offsets[last] : index_.data_end;
        bytes_.resize(static_cast<std::size_t>(end - begin));
        if (!bytes_.empty() &&
            (fseeko(file_.get(), static_cast<off_t>(begin), SEEK_SET) != 0 ||
             std::fread(&bytes_[0], 1, bytes_.size(), file_.get()) != bytes_.size())) {
            throw Error("error while reading the file (was it changed since it was indexed?)",
                        SourceLocation{index_.path, 0, 0, {}});
        }
        return parse_indexed_sentences(index_, first, bytes_, conll);
    }

private:
    const SentenceIndex& index_;
    File file_;
    std::string bytes_;
};

class Summarizer {
public:
    Summarizer(const SentenceIndex& index, const TokenSummaryOptions& options)
        : index_(index), options_(options) {}

    TokenSummary run(const TokenSummaryProgress& progress) {
        const bool detect = options_.dataset.scheme == TagScheme::Auto;
        TagScheme scheme = detect ? TagSchemeEvidence().scheme() : options_.dataset.scheme;
        std::size_t passes = 0;
        ChunkReader reader(index_);
        // A pass ends early when a chunk changes the detected scheme: the sentences read so far
        // were checked against another one, so the file is read again with the new scheme.
        for (;;) {
            ++passes;
            const TagScheme next = pass(reader, scheme, progress);
            if (next == scheme)
                break;
            scheme = next;
        }
        out_.passes = passes;
        finish();
        return std::move(out_);
    }

private:
    // One pass with `scheme`; returns the scheme to read again with, or `scheme` when done.
    TagScheme pass(ChunkReader& reader, TagScheme scheme, const TokenSummaryProgress& progress) {
        const bool detect = options_.dataset.scheme == TagScheme::Auto;
        const std::size_t n = index_.sentences();
        const std::size_t chunk = std::max<std::size_t>(options_.chunk_sentences, 1);
        // Sentences [first, first + chunk) parsed, here or on a worker thread while the
        // previous chunk is checked (options.read_ahead). One read at a time uses `reader`.
        auto parse = [&](std::size_t first) {
            return reader.read(first, std::min(n, first + chunk), options_.conll);
        };
        const bool ahead_on = options_.read_ahead && n > chunk;
        reset(scheme);
        std::future<TokenFile> ahead;  // its destructor waits for the worker on every return
        if (ahead_on)
            ahead = std::async(std::launch::async, parse, std::size_t{0});
        for (std::size_t first = 0; first < n; first += chunk) {
            const std::size_t last = std::min(n, first + chunk);
            TokenFile file = ahead_on ? ahead.get() : parse(first);
            if (ahead_on && last < n)
                ahead = std::async(std::launch::async, parse, last);
            // Chunks are the same on every pass: a chunk is either wholly folded in or not.
            if (detect && last > evidence_until_) {
                for (const RawTokenSentence& s : file.sentences)
                    evidence_.add(s.tags);
                evidence_until_ = last;
                if (evidence_.scheme() != scheme)
                    return evidence_.scheme();
            }
            add_chunk(file, first, last, scheme);
            out_.indexed = last;
            if (progress && !progress(last, n)) {
                out_.cancelled = true;
                break;
            }
        }
        return scheme;
    }

    void reset(TagScheme scheme) {
        out_ = TokenSummary{};
        out_.source = index_.path;
        out_.format = index_.format;
        out_.scheme = scheme;
        out_.converted_to_bio = options_.dataset.convert_to_bio && scheme != TagScheme::Plain;
        // Sized once for every sentence (an upper bound of the valid ones): no doubling.
        const std::size_t n = index_.sentences();
        out_.sentence_rows.reserve(n);
        out_.lengths.reserve(n);
        out_.split_groups.reserve(n);
        if (options_.count_tokens)
            out_.counted_lengths.reserve(n);
        tag_slots_.clear();
        tag_names_.clear();
        tag_counts_.clear();
        tag_first_.clear();
        group_slots_.clear();
        length_sum_ = 0;
    }

    int tag_slot(const std::string& name) {
        const auto [it, added] = tag_slots_.emplace(name, static_cast<int>(tag_names_.size()));
        if (added) {
            tag_names_.push_back(name);
            tag_counts_.push_back(0);
            tag_first_.push_back(0);
        }
        return it->second;
    }

    void add_chunk(const TokenFile& file, std::size_t first, std::size_t last, TagScheme scheme) {
        if (file.sentences.empty() && file.problems.empty())
            return;  // only entries without tokens (e.g. JSONL `"tokens": []`)
        TokenDatasetOptions dataset_options = options_.dataset;
        dataset_options.scheme = scheme;
        const TokenDataset d = build_token_dataset(file, dataset_options, options_.known_tags);
        for (const DataProblem& p : d.problems) {
            ++out_.problem_count;
            if (out_.problems.size() < options_.max_listed_problems)
                out_.problems.push_back(p);
        }
        std::vector<int> slot(static_cast<std::size_t>(d.tags.size()), -1);
        std::size_t row = first;
        std::vector<std::string> texts;
        for (std::size_t i = 0; i < d.sentences.size(); ++i) {
            const TokenSentence& s = d.sentences[i];
            while (row + 1 < last && index_.lines[row + 1] <= static_cast<std::uint64_t>(s.line))
                ++row;
            out_.sentence_rows.push_back(static_cast<std::uint32_t>(row));
            out_.lengths.push_back(static_cast<std::uint32_t>(s.tokens.size()));
            out_.tokens += s.tokens.size();
            length_sum_ += s.tokens.size();
            const auto [group, added] = group_slots_.emplace(
                sentence_split_group(d, i), static_cast<int>(out_.split_group_names.size()));
            if (added)
                out_.split_group_names.push_back(group->first);
            out_.split_groups.push_back(group->second);
            for (int tag : s.tags) {
                int& g = slot[static_cast<std::size_t>(tag)];
                if (g < 0)
                    g = tag_slot(d.tags.name(tag));
                ++tag_counts_[static_cast<std::size_t>(g)];
                if (tag_first_[static_cast<std::size_t>(g)] == 0)
                    tag_first_[static_cast<std::size_t>(g)] = s.line;
            }
            if (options_.count_tokens) {
                std::string joined;
                for (const std::string& t : s.tokens)
                    joined += (joined.empty() ? "" : " ") + t;
                texts.push_back(std::move(joined));
            }
        }
        out_.sentences += d.sentences.size();
        if (options_.count_tokens && !texts.empty()) {
            const std::vector<int> counts = options_.count_tokens(texts);
            out_.counted_lengths.insert(out_.counted_lengths.end(), counts.begin(), counts.end());
        }
    }

    void finish() {
        if (!out_.cancelled && out_.sentences == 0 && out_.problem_count == 0) {
            TokenFile empty;
            empty.source = index_.path;
            build_token_dataset(empty);  // throws the in-memory path's "no tagged sentence" error
        }
        out_.tags = options_.known_tags != nullptr && options_.known_tags->size() > 0
                        ? *options_.known_tags
                        : tag_map_from_names(tag_names_);
        out_.tag_counts.assign(static_cast<std::size_t>(out_.tags.size()), 0);
        out_.tag_first_lines.assign(static_cast<std::size_t>(out_.tags.size()), 0);
        for (std::size_t g = 0; g < tag_names_.size(); ++g) {
            const int id = out_.tags.index_of(tag_names_[g]);
            if (id < 0)
                continue;
            out_.tag_counts[static_cast<std::size_t>(id)] = tag_counts_[g];
            out_.tag_first_lines[static_cast<std::size_t>(id)] = tag_first_[g];
        }
        if (!out_.lengths.empty()) {
            const auto [lo, hi] = std::minmax_element(out_.lengths.begin(), out_.lengths.end());
            out_.min_length = *lo;
            out_.max_length = *hi;
            out_.mean_length = double(length_sum_) / double(out_.lengths.size());
        }
    }

    const SentenceIndex& index_;
    const TokenSummaryOptions& options_;
    TokenSummary out_;
    std::unordered_map<std::string, int> tag_slots_;  // tag name -> slot, first-seen order
    std::vector<std::string> tag_names_;
    std::vector<std::size_t> tag_counts_;
    std::vector<long> tag_first_;
    std::unordered_map<std::string, int> group_slots_;
    std::size_t length_sum_ = 0;
    // Tags of sentences [0, evidence_until_) folded in; kept across passes (it only grows).
    TagSchemeEvidence evidence_;
    std::size_t evidence_until_ = 0;
};

}  // namespace

std::size_t TokenSummary::memory_bytes() const {
    return sentence_rows.capacity() * sizeof(std::uint32_t) +
           lengths.capacity() * sizeof(std::uint32_t) + counted_lengths.capacity() * sizeof(int) +
           split_groups.capacity() * sizeof(int);
}

TokenSummary summarize_sentences(const SentenceIndex& index, const TokenSummaryOptions& options,
                                 const TokenSummaryProgress& progress) {
    return Summarizer(index, options).run(progress);
}

SplitIndices split_summary_sentences(const TokenSummary& summary, const SplitFractions& fractions,
                                     std::uint64_t seed) {
    return split_sentence_groups(summary.split_groups, summary.split_group_names, fractions, seed);
}

std::vector<std::array<std::size_t, 3>> count_split_tags(const SentenceIndex& index,
                                                         const TokenSummary& summary,
                                                         const SplitIndices& split,
                                                         const TokenSummaryOptions& options,
                                                         const TokenSummaryProgress& progress) {
    std::vector<std::array<std::size_t, 3>> counts(static_cast<std::size_t>(summary.tags.size()),
                                                   {0, 0, 0});
    std::vector<std::uint8_t> part(summary.sentences, 3);
    const std::vector<std::size_t>* parts[3] = {&split.train, &split.dev, &split.test};
    for (std::uint8_t p = 0; p < 3; ++p) {
        for (std::size_t i : *parts[p]) {
            if (i < part.size())
                part[i] = p;
        }
    }
    TokenDatasetOptions dataset_options = options.dataset;
    dataset_options.scheme = summary.scheme;
    const std::size_t n = std::min(index.sentences(), summary.indexed);
    const std::size_t chunk = std::max<std::size_t>(options.chunk_sentences, 1);
    ChunkReader reader(index);
    std::size_t valid = 0;  // valid sentences before this chunk
    for (std::size_t first = 0; first < n; first += chunk) {
        const std::size_t last = std::min(n, first + chunk);
        const TokenFile file = reader.read(first, last, options.conll);
        if (!file.sentences.empty() || !file.problems.empty()) {
            // The summary's tags: ids match, and every tag of the file is in it.
            const TokenDataset d = build_token_dataset(file, dataset_options, &summary.tags);
            for (const TokenSentence& s : d.sentences) {
                const std::uint8_t p = valid < part.size() ? part[valid] : 3;
                ++valid;
                if (p > 2)
                    continue;
                for (int tag : s.tags)
                    ++counts[static_cast<std::size_t>(tag)][p];
            }
        }
        if (progress && !progress(last, n))
            break;
    }
    return counts;
}

std::uint64_t token_memory_estimate(const SentenceIndex& index, std::size_t chunk_sentences,
                                    bool count_tokens) {
    const std::uint64_t n = index.sentences();
    const std::uint64_t per_sentence = count_tokens ? 16 : 12;
    const std::uint64_t index_bytes =
        (index.offsets.capacity() + index.lines.capacity()) * sizeof(std::uint64_t);
    const std::uint64_t average = n > 0 ? index.data_end / n : 0;
    const std::uint64_t chunk = std::min<std::uint64_t>(chunk_sentences, n) * average * 40;
    return index_bytes + n * per_sentence + chunk;
}

}  // namespace tb::data
