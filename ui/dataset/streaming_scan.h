// The import wizard's scan of large text files: row index + streaming summary instead of reading
// the file whole (see core/data/streaming_summary.h for the memory bound).
#pragma once

#include <QString>

#include <functional>
#include <optional>

#include "dataset/dataset_scan.h"
#include "text/bert_tokenizer.h"

namespace tb::ui {

// True when `request` is scanned in streaming mode: a table format (CSV, TSV, JSONL,
// label_text) for a text task (single-label, sentence pair, multi-label) whose file is larger
// than request.streamingThreshold, or a row index from an earlier streaming scan is given.
bool usesStreamingScan(const DatasetScanRequest& request);

// Streaming scan: builds (or reuses) the row index with progress and cancel (0..400 permille),
// reads the first rows as the preview (`scan.table`), summarises every row in chunks,
// counting tokens when a tokenizer is set (400..900), and splits from the per-example labels
// (900..1000). Row edits are not applied (the page offers them for smaller files only).
// Throws like runDatasetScan.
void scanTextStreaming(const DatasetScanRequest& request, DatasetScan& scan, ScanControl& control);

// The tokenizer of request.modelPath (lowercase override applied); nullopt with `error` set
// when it cannot be loaded, nullopt with no error when no model is chosen.
std::optional<tb::text::BertTokenizer> loadScanTokenizer(const DatasetScanRequest& request,
                                                         QString* error);

// Token counts of a chunk of texts (without truncation), for the streaming summaries' length
// histograms; `tokenizer` must outlive the returned function.
std::function<std::vector<int>(const std::vector<std::string>&)> streamingTokenCounter(
    const tb::text::BertTokenizer& tokenizer);

}  // namespace tb::ui
