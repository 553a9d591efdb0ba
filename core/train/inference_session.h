// A trained classifier loaded from a checkpoint, for `tunebench-cli predict|eval`, the GUI's
// Evaluate page on past runs and the playground. LibTorch stays behind the pimpl.
#pragma once

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

struct Prediction {
    int label = -1;                     // index into labels()
    std::vector<double> probabilities;  // softmax over labels(), sums to 1
};

struct FileEvaluation {
    double loss = 0.0;
    metrics::ClassificationReport report;
    std::vector<int> predictions;       // per valid row, in file order
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

    // One prediction per text, in order. Texts are truncated to the run's model.max_length.
    std::vector<Prediction> predict(const std::vector<std::string>& texts) const;

    // Scores a labelled file (CSV/TSV/JSONL/label_text) whose label values are the run's
    // labels; columns default to the experiment's. Rows with problems are skipped and listed.
    FileEvaluation evaluate_file(const std::string& path, const std::string& text_column = "",
                                 const std::string& label_column = "") const;

private:
    struct Impl;
    explicit InferenceSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tb::train
