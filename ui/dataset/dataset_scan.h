// What the Data page's import wizard reads and checks, and what it gets back: a plain value
// snapshot of the dataset settings in, parsed data + validation + split counts out.
#pragma once

#include <QString>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "data/deidentify.h"
#include "data/multilabel_dataset.h"
#include "data/row_index.h"
#include "data/sentence_index.h"
#include "data/split.h"
#include "data/table.h"
#include "data/text_dataset.h"
#include "data/token_dataset.h"
#include "views/image_grid_view.h"

namespace tb::ui {

// The kinds of data the wizard knows. Only text classification trains today.
enum class TaskType {
    TextClassification,
    SentencePair,
    MultiLabel,
    TokenClassification,
    Image,
    Regression
};

// Formats offered in the wizard: the table formats of the experiment file plus token files.
// Names are those of the experiment's `dataset.format` where it has them.
bool isTokenFormat(const std::string& format);  // "conll", "token_jsonl", "tagged"
bool isImageFormat(const std::string& format);  // "image_folder", "idx", "hdf5"

// Files larger than this are scanned in streaming mode (rows read on demand; see
// dataset/streaming_scan.h); DatasetScanRequest::streamingThreshold overrides it.
constexpr std::uint64_t kStreamingThresholdBytes = std::uint64_t(64) << 20;
// Rows read for the preview of a file scanned in streaming mode.
constexpr std::size_t kStreamingPreviewRows = 1000;

// Edits of single rows (indices into the table as read); applied before the dataset is built.
struct DatasetEdits {
    std::map<int, std::string> relabelled;  // row -> new label
    std::set<int> excluded;                 // rows left out
    bool isEmpty() const { return relabelled.empty() && excluded.empty(); }
};

struct DatasetScanRequest {
    QString path;                 // absolute path of the data file
    std::string format = "auto";  // auto | csv | tsv | jsonl | conll | token_jsonl | tagged
    TaskType task = TaskType::TextClassification;
    std::string textColumn = "text";
    std::string labelColumn = "label";
    std::string labelOrder = "first_seen";
    std::string textPairColumn;             // sentence pairs; optional for regression
    std::string multiLabelSeparator = "|";  // multi-label: labels in one column
    std::vector<std::string> labelColumns;  // multi-label: one 0/1 column per label (if set)
    std::string splitColumn;                // train/dev/test read from this column
    QString labelsPath;                     // idx: the labels file
    std::string imageColumn = "path";       // image tables: the path column
    std::string xDataset = "X";             // hdf5: feature array
    std::string yDataset = "y";             // hdf5: label array
    int conllTagColumn = 0;                 // 1-based; 0 = last column
    bool deidentify = false;  // mask e-mails, phones, ... in the text column (in memory)
    int rareLabelMin = 5;     // labels with fewer examples are listed as problems
    // Tokenizer for the length histogram; empty = no histogram.
    QString modelPath;
    int lowercase = -1;
    int maxLength = 128;
    // Split: user files when given, else seeded stratified fractions.
    tb::data::SplitFractions fractions;
    std::uint64_t seed = 42;
    QString devPath, testPath;
    DatasetEdits edits;
    // A table already read from `path` (same format): reading is skipped.
    std::shared_ptr<const tb::data::Table> table;
    // Token counts per table row from an earlier scan of the same table, text column and
    // tokenizer (-1 = not counted); reused instead of tokenizing again.
    std::shared_ptr<const std::vector<int>> tokenCounts;
    QString tokenCountsKey;  // identifies table + column + tokenizer of tokenCounts
    // Streaming mode for files above this size (bytes); a row index from an earlier streaming
    // scan of the same file and format is reused instead of indexing again.
    std::uint64_t streamingThreshold = kStreamingThresholdBytes;
    std::shared_ptr<const tb::data::RowIndex> rowIndex;
    // Token files: the sentence index of an earlier streaming scan of the same file and format.
    std::shared_ptr<const tb::data::SentenceIndex> sentenceIndex;
};

// Per class: examples in train, dev, test.
using SplitCounts = std::array<std::size_t, 3>;

struct DatasetScan {
    std::string format;                                // format the file was read as
    std::shared_ptr<const tb::data::Table> table;      // as read, before edits (text tasks)
    std::optional<tb::data::TextDataset> text;         // text classification, after edits
    std::optional<tb::data::MultiLabelDataset> multi;  // multi-label, after edits
    std::optional<tb::data::TokenDataset> tokens;      // token classification
    // The text/label columns are not in the file (table is set, the dataset is not); the page
    // guesses columns for a newly chosen file or shows this.
    QString columnError;
    std::vector<tb::data::DataProblem> problems;  // rows skipped or stopping the run, in order
    std::vector<tb::data::DataProblem> warnings;  // duplicates, rare labels: kept, but listed
    std::size_t rows = 0;                         // rows (text) or sentences (token) read
    std::size_t emptyText = 0, missingLabel = 0, otherInvalid = 0, duplicates = 0;
    std::vector<std::string> classNames;
    std::vector<std::size_t> classCounts;  // valid examples (tokens for token tasks) per class
    std::vector<std::string> rareLabels;
    // Length histogram (only with a tokenizer): [CLS] + pieces + [SEP] per valid example.
    std::shared_ptr<const std::vector<int>> tokenCounts;  // per table row, -1 = not counted
    QString tokenCountsKey;
    std::vector<int> lengths;  // per valid example
    std::size_t truncated = 0;
    QString tokenizerError;
    // Split.
    QString splitSource;                   // "fractions", "files"
    std::vector<SplitCounts> splitCounts;  // per class
    QString splitError;
    tb::data::DeidentifyCounts masked;
    // Image datasets: thumbnails per class and the (first) image size.
    QVector<ClassThumbnails> thumbnails;
    QString imageSize;
    // Streaming mode (large files): `table` holds only the first rows (the preview), the
    // datasets are not built; rows are read on demand through `rowIndex`.
    bool streamed = false;
    std::shared_ptr<const tb::data::RowIndex> rowIndex;
    std::uint64_t memoryBytes = 0;  // stated bound of what the index + summary hold
    std::size_t validExamples = 0;
    std::size_t problemCount = 0;            // all bad rows (the list is capped)
    std::size_t minChars = 0, maxChars = 0;  // token files: words per valid sentence
    double meanChars = 0.0;
    // Streamed token files (dataset/token_streaming_scan.h): `tokens` holds only the preview
    // sentences; the counts of the whole file are here and in the fields above.
    std::shared_ptr<const tb::data::SentenceIndex> sentenceIndex;
    std::size_t tokenCount = 0;
    // Regression: the numeric targets of the valid rows, in file order, and their statistics
    // (population standard deviation, as numpy.std). Regression files are always read in memory
    // (never streamed), so these cover every row.
    bool regression = false;
    std::vector<double> targets;
    double targetMin = 0.0, targetMax = 0.0, targetMean = 0.0, targetStd = 0.0;
    // Histogram of the targets as numpy.histogram(targets, bins) makes it: equal-width bins from
    // min to max, the last bin closed (edges: bins + 1 values).
    std::vector<double> targetBinEdges;
    std::vector<std::size_t> targetBinCounts;
};

// Progress and cancellation shared between the page and the worker thread.
struct ScanControl {
    std::atomic<bool> cancel{false};
    std::atomic<int> permille{0};
    std::atomic<int> stage{0};  // index into scanStageNames()
};
QString scanStageName(int stage);

// Thrown by runDatasetScan when ScanControl::cancel was set.
struct ScanCancelled {};

// The table with the edits applied: relabelled cells of column `labelIndex` replaced, excluded
// rows removed (row lines kept, so problems still point into the original file).
tb::data::Table applyDatasetEdits(const tb::data::Table& table, const DatasetEdits& edits,
                                  std::size_t labelIndex);

// Reads and checks the data as `request` says. Runs on a worker thread: no widgets, no Qt
// objects shared with the UI. Throws tb::Error / std::exception for a fatal problem (the file
// cannot be read or parsed, unknown columns) and ScanCancelled when cancelled.
DatasetScan runDatasetScan(const DatasetScanRequest& request, ScanControl& control);

}  // namespace tb::ui
