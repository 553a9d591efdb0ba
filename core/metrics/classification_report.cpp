// Confusion matrix and precision/recall/F1 with scikit-learn's definitions (zero_division=0).
#include "metrics/classification_report.h"

#include <algorithm>
#include <cstddef>
#include <map>

#include "common/error.h"

namespace tb::metrics {
namespace {

// sklearn's _prf_divide with zero_division=0: x/0 is 0, not NaN.
double safe_divide(double numerator, double denominator) {
    return denominator == 0.0 ? 0.0 : numerator / denominator;
}

// sklearn 1.2 computes F1 as 2PR/(P+R) with a zero denominator replaced by 1, so F1 = 0 when
// P + R = 0. Kept in this form (not 2tp/(2tp+fp+fn)) so results match bit for bit.
double f1_score(double precision, double recall) {
    const double denom = precision + recall;
    return denom == 0.0 ? 0.0 : 2.0 * precision * recall / denom;
}

ClassScores scores_from_counts(std::string label, std::int64_t tp, std::int64_t predicted,
                               std::int64_t actual) {
    ClassScores s;
    s.label = std::move(label);
    s.precision = safe_divide(static_cast<double>(tp), static_cast<double>(predicted));
    s.recall = safe_divide(static_cast<double>(tp), static_cast<double>(actual));
    s.f1 = f1_score(s.precision, s.recall);
    s.support = actual;
    return s;
}

void check_same_length(std::size_t n_true, std::size_t n_pred) {
    if (n_true != n_pred) {
        throw Error("y_true has " + std::to_string(n_true) + " entries but y_pred has " +
                    std::to_string(n_pred) + "; they must be the same length");
    }
}

}  // namespace

ClassificationReport classification_report(const std::vector<int>& y_true,
                                           const std::vector<int>& y_pred,
                                           const std::vector<std::string>& labels) {
    check_same_length(y_true.size(), y_pred.size());
    const std::size_t k = labels.size();
    const int n_labels = static_cast<int>(k);

    ClassificationReport report;
    report.labels = labels;
    report.confusion.assign(k, std::vector<std::int64_t>(k, 0));
    for (std::size_t i = 0; i < y_true.size(); ++i) {
        const int t = y_true[i];
        const int p = y_pred[i];
        if (t < 0 || t >= n_labels || p < 0 || p >= n_labels) {
            const bool bad_true = t < 0 || t >= n_labels;
            throw Error(std::string(bad_true ? "y_true" : "y_pred") + "[" + std::to_string(i) +
                        "] = " + std::to_string(bad_true ? t : p) +
                        " is not a label index; expected 0.." + std::to_string(n_labels - 1) +
                        " (" + std::to_string(k) + " labels)");
        }
        ++report.confusion[t][p];
    }
    report.total = static_cast<std::int64_t>(y_true.size());

    std::vector<std::int64_t> predicted(k, 0);  // column sums
    std::vector<std::int64_t> actual(k, 0);     // row sums (support)
    std::int64_t correct = 0;
    for (std::size_t t = 0; t < k; ++t) {
        for (std::size_t p = 0; p < k; ++p) {
            predicted[p] += report.confusion[t][p];
            actual[t] += report.confusion[t][p];
        }
        correct += report.confusion[t][t];
    }

    report.per_class.reserve(k);
    for (std::size_t c = 0; c < k; ++c) {
        report.per_class.push_back(
            scores_from_counts(labels[c], report.confusion[c][c], predicted[c], actual[c]));
    }
    report.accuracy = safe_divide(static_cast<double>(correct), static_cast<double>(report.total));

    // Every sample's labels are in `labels`, so micro P = R = F1 = accuracy; computed from the
    // pooled counts anyway, as sklearn does.
    report.micro = scores_from_counts("micro avg", correct, report.total, report.total);

    // Macro: unweighted mean over every label given, including those with zero support.
    report.macro.label = "macro avg";
    report.weighted.label = "weighted avg";
    for (const ClassScores& s : report.per_class) {
        report.macro.precision += s.precision;
        report.macro.recall += s.recall;
        report.macro.f1 += s.f1;
        const double w = static_cast<double>(s.support);
        report.weighted.precision += s.precision * w;
        report.weighted.recall += s.recall * w;
        report.weighted.f1 += s.f1 * w;
    }
    const double n_classes = static_cast<double>(k);
    report.macro.precision = safe_divide(report.macro.precision, n_classes);
    report.macro.recall = safe_divide(report.macro.recall, n_classes);
    report.macro.f1 = safe_divide(report.macro.f1, n_classes);
    const double total = static_cast<double>(report.total);
    report.weighted.precision = safe_divide(report.weighted.precision, total);
    report.weighted.recall = safe_divide(report.weighted.recall, total);
    report.weighted.f1 = safe_divide(report.weighted.f1, total);
    report.macro.support = report.total;
    report.weighted.support = report.total;
    return report;
}

ClassificationReport classification_report(const std::vector<std::string>& y_true,
                                           const std::vector<std::string>& y_pred) {
    check_same_length(y_true.size(), y_pred.size());
    // std::map orders by std::string's byte comparison, which for UTF-8 is code-point order:
    // the same order numpy's sort gives sklearn's unique_labels.
    std::map<std::string, int> index;
    for (const std::string& s : y_true)
        index.emplace(s, 0);
    for (const std::string& s : y_pred)
        index.emplace(s, 0);
    std::vector<std::string> labels;
    labels.reserve(index.size());
    for (auto& [name, i] : index) {
        i = static_cast<int>(labels.size());
        labels.push_back(name);
    }
    std::vector<int> t(y_true.size());
    std::vector<int> p(y_pred.size());
    for (std::size_t i = 0; i < y_true.size(); ++i) {
        t[i] = index.at(y_true[i]);
        p[i] = index.at(y_pred[i]);
    }
    return classification_report(t, p, labels);
}

}  // namespace tb::metrics
