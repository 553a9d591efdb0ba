// Multi-label metrics with scikit-learn's definitions (classification_report on a
// multilabel-indicator matrix, zero_division=0): per label, micro, macro, weighted and samples.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "metrics/classification_report.h"

namespace tb::metrics {

struct MultiLabelReport {
    std::vector<std::string> labels;
    std::vector<ClassScores> per_label;  // one per label; support = examples with the label
    ClassScores micro;                   // label "micro avg": TP/FP/FN summed over labels
    ClassScores macro;                   // label "macro avg": unweighted mean over labels
    ClassScores weighted;                // label "weighted avg": weighted by support
    ClassScores samples;                 // label "samples avg": mean over examples
    double subset_accuracy = 0.0;        // exact-match ratio (sklearn accuracy_score)
    double hamming_loss = 0.0;           // wrong label decisions / (examples x labels)
    std::int64_t examples = 0;
};

// y_true / y_pred: one 0/1 row of labels.size() per example (anything non-zero counts as 1).
// Throws tb::Error when the lists differ in length or a row has another width. Empty input
// gives all zeros. Averages' support is the total number of true labels, as sklearn prints.
MultiLabelReport multilabel_report(const std::vector<std::vector<int>>& y_true,
                                   const std::vector<std::vector<int>>& y_pred,
                                   const std::vector<std::string>& labels);

// The same numbers in a ClassificationReport (per_class, micro, macro, weighted; accuracy =
// subset accuracy; total = examples; no confusion matrix), so places that show or select on
// single-label reports (dev_macro_f1, per-class tables) work unchanged.
ClassificationReport as_classification_report(const MultiLabelReport& report);

}  // namespace tb::metrics
