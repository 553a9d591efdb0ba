// Classification metrics with scikit-learn's definitions (classification_report, zero_division=0).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::metrics {

struct ClassScores {
    std::string label;
    double precision = 0.0;
    double recall = 0.0;
    double f1 = 0.0;
    std::int64_t support = 0;  // number of true instances
};

struct ClassificationReport {
    std::vector<std::string> labels;                   // index order of rows/columns below
    std::vector<std::vector<std::int64_t>> confusion;  // [true][predicted]
    std::vector<ClassScores> per_class;                // one per label, same order
    ClassScores micro;                                 // label "micro avg"
    ClassScores macro;                                 // label "macro avg"
    ClassScores weighted;                              // label "weighted avg"
    double accuracy = 0.0;
    std::int64_t total = 0;
};

// y_true / y_pred are indices into `labels`; an index outside [0, labels.size()) or lists of
// different lengths throw tb::Error. Empty lists are not an error: every score and count is 0
// (an empty evaluation split still yields a report, with all labels listed).
ClassificationReport classification_report(const std::vector<int>& y_true,
                                           const std::vector<int>& y_pred,
                                           const std::vector<std::string>& labels);

// For string labels (the CLI `score` command): labels are the sorted union of both lists,
// as scikit-learn does. Throws tb::Error if the lists differ in length.
ClassificationReport classification_report(const std::vector<std::string>& y_true,
                                           const std::vector<std::string>& y_pred);

}  // namespace tb::metrics
