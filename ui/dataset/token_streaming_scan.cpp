// The import wizard's scan of large token files: index sentences, summarise them a chunk at a
// time with the in-memory checks, preview the first ones, split by sentence.
#include "dataset/token_streaming_scan.h"

#include <QFileInfo>

#include <algorithm>

#include "common/error.h"
#include "data/dataset_checks.h"
#include "data/file_bytes.h"
#include "data/sentence_index.h"
#include "data/token_summary.h"
#include "dataset/streaming_scan.h"
#include "util/format.h"

namespace tb::ui {

namespace {

void checkCancel(const ScanControl& control) {
    if (control.cancel.load())
        throw ScanCancelled{};
}

// Sentences of `file` checked with the summary's scheme and tag set (so that tag ids and the
// BIO conversion are those of the whole file).
tb::data::TokenDataset checkedSentences(const tb::data::TokenFile& file, tb::data::TagScheme scheme,
                                        const tb::data::LabelMap& tags) {
    if (file.sentences.empty() && file.problems.empty()) {
        tb::data::TokenDataset empty;
        empty.source = file.source;
        empty.format = file.format;
        empty.scheme = scheme;
        empty.tags = tags;
        return empty;
    }
    tb::data::TokenDatasetOptions options;
    options.scheme = scheme;
    return tb::data::build_token_dataset(file, options, &tags);
}

}  // namespace

tb::data::TokenFormat tokenFormat(const std::string& name) {
    if (name == "conll")
        return tb::data::TokenFormat::Conll;
    if (name == "token_jsonl")
        return tb::data::TokenFormat::Jsonl;
    if (name == "tagged")
        return tb::data::TokenFormat::Tagged;
    return tb::data::TokenFormat::Auto;
}

bool usesTokenStreamingScan(const DatasetScanRequest& request) {
    if (request.sentenceIndex)
        return true;
    // UTF-16 is converted to UTF-8 in memory: the sentence index reads UTF-8 only.
    const QFileInfo info(request.path);
    return info.isFile() && std::uint64_t(info.size()) > request.streamingThreshold &&
           !tb::data::is_utf16_file(request.path.toStdString());
}

void scanTokensStreaming(const DatasetScanRequest& request, DatasetScan& scan,
                         ScanControl& control) {
    const std::string path = request.path.toStdString();
    std::shared_ptr<const tb::data::SentenceIndex> index = request.sentenceIndex;
    if (!index) {
        control.stage = 7;
        control.permille = 0;
        auto built = tb::data::build_sentence_index(
            path, tokenFormat(request.format), [&](std::uint64_t done, std::uint64_t total) {
                if (total > 0)
                    control.permille = int(400.0 * double(done) / double(total));
                return !control.cancel.load();
            });
        if (built.cancelled)
            throw ScanCancelled{};
        index = std::make_shared<const tb::data::SentenceIndex>(std::move(built));
    }
    checkCancel(control);
    scan.sentenceIndex = index;
    scan.streamed = true;
    scan.format = tb::data::token_format_name(index->format);

    control.stage = 8;
    control.permille = 400;
    tb::data::TokenSummaryOptions options;
    options.conll.tag_column = request.conllTagColumn;
    const auto tokenizer = loadScanTokenizer(request, &scan.tokenizerError);
    if (tokenizer) {
        options.count_tokens = streamingTokenCounter(*tokenizer);
    }
    tb::data::TokenSummary summary =
        tb::data::summarize_sentences(*index, options, [&](std::size_t done, std::size_t total) {
            if (total > 0)
                control.permille = 400 + int(500.0 * double(done) / double(total));
            return !control.cancel.load();
        });
    checkCancel(control);
    if (summary.cancelled)
        throw ScanCancelled{};
    scan.memoryBytes = tb::data::token_memory_estimate(*index, options.chunk_sentences,
                                                       bool(options.count_tokens));

    // The preview: the first sentences, checked as part of the whole file.
    scan.tokens = checkedSentences(
        tb::data::read_sentences(*index, 0, kStreamingPreviewSentences, options.conll),
        summary.scheme, summary.tags);
    scan.tokens->converted_to_bio = summary.converted_to_bio;
    scan.rows = summary.sentences;
    scan.validExamples = summary.sentences;
    scan.tokenCount = summary.tokens;
    scan.problemCount = summary.problem_count;
    scan.otherInvalid = summary.problem_count;
    scan.problems = std::move(summary.problems);
    scan.classNames = summary.tags.names();
    scan.classCounts = summary.tag_counts;
    scan.minChars = summary.min_length;
    scan.maxChars = summary.max_length;
    scan.meanChars = summary.mean_length;
    const std::size_t rareMin = std::size_t(std::max(0, request.rareLabelMin));
    scan.warnings = tb::data::find_rare_labels(summary.tags, summary.tag_counts,
                                               summary.tag_first_lines, rareMin, path);
    for (std::size_t c = 0; c < scan.classCounts.size(); ++c)
        if (scan.classCounts[c] > 0 && scan.classCounts[c] < rareMin)
            scan.rareLabels.push_back(scan.classNames[c]);
    if (tokenizer) {
        scan.lengths = std::move(summary.counted_lengths);
        for (int n : scan.lengths)
            if (n > request.maxLength)
                ++scan.truncated;
    }

    control.stage = 4;
    control.permille = 900;
    scan.splitSource = QStringLiteral("fractions");
    scan.splitCounts.assign(scan.classNames.size(), SplitCounts{0, 0, 0});
    try {
        const auto split =
            tb::data::split_summary_sentences(summary, request.fractions, request.seed);
        const auto counts = tb::data::count_split_tags(
            *index, summary, split, options, [&](std::size_t done, std::size_t total) {
                if (total > 0)
                    control.permille = 900 + int(100.0 * double(done) / double(total));
                return !control.cancel.load();
            });
        checkCancel(control);
        for (std::size_t c = 0; c < counts.size() && c < scan.splitCounts.size(); ++c)
            scan.splitCounts[c] = {counts[c][0], counts[c][1], counts[c][2]};
    } catch (const tb::Error& e) {
        scan.splitError = formatError(e);
    }
}

std::optional<tb::data::TokenDataset> readStreamingSentences(const DatasetScan& scan, long line,
                                                             std::size_t count,
                                                             int conllTagColumn) {
    if (!scan.streamed || !scan.sentenceIndex || !scan.tokens)
        return std::nullopt;
    const auto& index = *scan.sentenceIndex;
    std::size_t at = index.sentence_at_line(line);
    if (at >= index.sentences())
        at = 0;
    const std::size_t first = at > 2 ? at - 2 : 0;
    tb::data::ConllOptions conll;
    conll.tag_column = conllTagColumn;
    tb::data::TokenDataset out =
        checkedSentences(tb::data::read_sentences(index, first, count, conll), scan.tokens->scheme,
                         scan.tokens->tags);
    out.converted_to_bio = scan.tokens->converted_to_bio;
    return out;
}

}  // namespace tb::ui
