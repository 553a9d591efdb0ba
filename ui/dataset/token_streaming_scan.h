// The import wizard's scan of large token-classification files (CoNLL, token JSONL, tagged
// text): sentence index + chunked summary instead of reading the file whole (see
// core/data/token_summary.h for the memory bound).
#pragma once

#include <optional>

#include "dataset/dataset_scan.h"

namespace tb::ui {

// Sentences read for the preview of a token file scanned in streaming mode (the sentence view
// shows the first 60 of them).
constexpr std::size_t kStreamingPreviewSentences = 200;

// The Data page's token format name ("conll", "token_jsonl", "tagged"; anything else: auto).
tb::data::TokenFormat tokenFormat(const std::string& name);

// True when `request` is a token task or token format whose file is larger than
// request.streamingThreshold, or a sentence index from an earlier streaming scan is given.
bool usesTokenStreamingScan(const DatasetScanRequest& request);

// Streaming scan of a token file: builds (or reuses) the sentence index with progress and
// cancel (0..400 permille), summarises every sentence in chunks, counting tokens with the
// model's tokenizer when one is set (400..900), reads the first sentences as the preview
// (`scan.tokens` holds only them, checked with the file's scheme and tag set), and splits by
// sentence from the per-sentence strata, counting tags per split in a second pass (900..1000).
// Throws like runDatasetScan.
void scanTokensStreaming(const DatasetScanRequest& request, DatasetScan& scan,
                         ScanControl& control);

// The sentences around file line `line` of a streamed token scan, read from the file and
// checked like the preview (scheme and tags of `scan.tokens`): about `count` sentences starting
// a little before the one holding the line; `conllTagColumn` as in the scan's request. nullopt
// when the scan is not a streamed token scan.
std::optional<tb::data::TokenDataset> readStreamingSentences(const DatasetScan& scan, long line,
                                                             std::size_t count,
                                                             int conllTagColumn = 0);

}  // namespace tb::ui
