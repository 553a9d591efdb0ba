// A trained classifier loaded from a checkpoint, for `tunebench-cli predict|eval`, the GUI's
// Evaluate page on past runs and the playground. LibTorch stays behind the pimpl.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/experiment_config.h"
#include "metrics/classification_report.h"

namespace tb::train {

struct InferenceOptions {
    std::string device = "cpu";  // cpu | cuda | cuda:N | auto
    int batch_size = 64;
};

// What one text gets, by task (InferenceSession::task()):
// sequence_classification: label + softmax probabilities;
// multi_label: label_set (every label whose sigmoid probability reaches its threshold, see
//   InferenceSession::thresholds()) + probabilities (one sigmoid per label; label = the most
//   probable one);
// regression: value (the prediction in the units of the training labels; label 0);
// token_classification: the text split at whitespace into words, one tag (index into
//   labels()) per word; words past model.max_length get tag 0.
struct Prediction {
    int label = -1;                     // index into labels()
    std::vector<double> probabilities;  // per label (softmax, or sigmoid for multi-label)
    std::vector<int> label_set;         // multi_label: indices into labels(), ascending
    std::vector<std::string> words;     // token_classification
    std::vector<int> word_tags;         // token_classification: one per word
    double value = 0.0;                 // regression
};

struct FileEvaluation {
    double loss = 0.0;
    std::string task;          // as InferenceSession::task()
    std::string details_json;  // task-specific extras (see train::EvalReport), or ""
    metrics::ClassificationReport report;
    std::vector<int> predictions;          // per valid row, in file order
    std::vector<double> values;            // regression: the prediction per valid row
    std::map<std::string, double> scores;  // headline scores (train::EvalReport::scores)
    std::int64_t skipped_rows = 0;      // empty text, missing or unknown label (reported by line)
    std::vector<std::string> problems;  // "file:line:column: message"
};

class InferenceSession {
public:
    // `run_or_checkpoint`: a checkpoint file, or a run folder (then its best checkpoint, else
    // the newest). The experiment comes from the checkpoint; the model architecture and
    // tokenizer settings from its model folder, as in training. Throws tb::Error.
    static std::unique_ptr<InferenceSession> open(const std::string& run_or_checkpoint,
                                                  const InferenceOptions& options = {});
    ~InferenceSession();

    const std::string& checkpoint_path() const;
    const std::vector<std::string>& labels() const;
    const io::ExperimentConfig& config() const;
    // The head kind: "sequence_classification", "multi_label", "token_classification" or
    // "regression".
    std::string task() const;
    // multi_label: the decision threshold per label stored in the checkpoint (0.5 each for
    // checkpoints written before thresholds were stored); empty for other tasks.
    std::vector<float> thresholds() const;

    // One prediction per text, in order. Texts are truncated to the run's model.max_length.
    // A sentence-pair run (dataset.text_pair_column) takes each input as "first<TAB>second".
    // An image run (dataset.task image_classification) takes each input as an image file path,
    // prepared with the run's dataset.image_* settings (from the checkpoint; never augmented);
    // tb::Error naming the file when one cannot be decoded.
    std::vector<Prediction> predict(const std::vector<std::string>& texts) const;

    // Scores a labelled file whose label values are the run's labels: CSV/TSV/JSONL/label_text
    // for text tasks (columns default to the experiment's), CoNLL/JSONL/tagged for token
    // classification, an image folder / path,label table / IDX / HDF5 file for image runs.
    // Rows with problems are skipped and listed.
    FileEvaluation evaluate_file(const std::string& path, const std::string& text_column = "",
                                 const std::string& label_column = "") const;

private:
    struct Impl;
    explicit InferenceSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tb::train
