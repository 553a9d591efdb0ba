// sklearn's precision_recall_fscore_support for multilabel-indicator input, zero_division=0.
#include "metrics/multilabel_report.h"

#include "common/error.h"

namespace tb::metrics {
namespace {

double safe_divide(double numerator, double denominator) {
    return denominator == 0.0 ? 0.0 : numerator / denominator;
}

// As classification_report.cpp: 2PR/(P+R), 0 when P + R = 0 (sklearn 1.2's form).
double f1_score(double precision, double recall) {
    const double denom = precision + recall;
    return denom == 0.0 ? 0.0 : 2.0 * precision * recall / denom;
}

ClassScores from_counts(const std::string& label, std::int64_t tp, std::int64_t predicted,
                        std::int64_t actual) {
    ClassScores s;
    s.label = label;
    s.precision = safe_divide(static_cast<double>(tp), static_cast<double>(predicted));
    s.recall = safe_divide(static_cast<double>(tp), static_cast<double>(actual));
    s.f1 = f1_score(s.precision, s.recall);
    s.support = actual;
    return s;
}

}  // namespace

MultiLabelReport multilabel_report(const std::vector<std::vector<int>>& y_true,
                                   const std::vector<std::vector<int>>& y_pred,
                                   const std::vector<std::string>& labels) {
    if (y_true.size() != y_pred.size())
        throw Error("y_true has " + std::to_string(y_true.size()) + " rows but y_pred has " +
                    std::to_string(y_pred.size()) + "; they must be the same length");
    const std::size_t k = labels.size();
    MultiLabelReport r;
    r.labels = labels;
    r.examples = static_cast<std::int64_t>(y_true.size());
    std::vector<std::int64_t> tp(k, 0), predicted(k, 0), actual(k, 0);
    double sample_p = 0.0, sample_r = 0.0, sample_f = 0.0;
    std::int64_t exact = 0, wrong = 0;
    for (std::size_t i = 0; i < y_true.size(); ++i) {
        if (y_true[i].size() != k || y_pred[i].size() != k)
            throw Error(
                "row " + std::to_string(i) + " has " +
                std::to_string(y_true[i].size() != k ? y_true[i].size() : y_pred[i].size()) +
                " label decisions; expected one per label (" + std::to_string(k) + ")");
        std::int64_t row_tp = 0, row_pred = 0, row_true = 0;
        bool same = true;
        for (std::size_t j = 0; j < k; ++j) {
            const bool t = y_true[i][j] != 0;
            const bool p = y_pred[i][j] != 0;
            row_tp += t && p;
            row_pred += p;
            row_true += t;
            tp[j] += t && p;
            predicted[j] += p;
            actual[j] += t;
            same = same && t == p;
            wrong += t != p;
        }
        exact += same;
        const double p = safe_divide(static_cast<double>(row_tp), static_cast<double>(row_pred));
        const double rc = safe_divide(static_cast<double>(row_tp), static_cast<double>(row_true));
        sample_p += p;
        sample_r += rc;
        sample_f += f1_score(p, rc);
    }
    std::int64_t tp_sum = 0, pred_sum = 0, true_sum = 0;
    for (std::size_t j = 0; j < k; ++j) {
        r.per_label.push_back(from_counts(labels[j], tp[j], predicted[j], actual[j]));
        tp_sum += tp[j];
        pred_sum += predicted[j];
        true_sum += actual[j];
    }
    r.micro = from_counts("micro avg", tp_sum, pred_sum, true_sum);
    r.macro.label = "macro avg";
    r.weighted.label = "weighted avg";
    r.samples.label = "samples avg";
    for (const auto& s : r.per_label) {
        r.macro.precision += s.precision / static_cast<double>(k);
        r.macro.recall += s.recall / static_cast<double>(k);
        r.macro.f1 += s.f1 / static_cast<double>(k);
        const double w = safe_divide(static_cast<double>(s.support), static_cast<double>(true_sum));
        r.weighted.precision += s.precision * w;
        r.weighted.recall += s.recall * w;
        r.weighted.f1 += s.f1 * w;
    }
    r.macro.support = r.weighted.support = r.samples.support = true_sum;
    const double n = static_cast<double>(std::max<std::int64_t>(1, r.examples));
    if (r.examples > 0) {
        r.samples.precision = sample_p / n;
        r.samples.recall = sample_r / n;
        r.samples.f1 = sample_f / n;
        r.subset_accuracy = static_cast<double>(exact) / n;
        r.hamming_loss = k == 0 ? 0.0 : static_cast<double>(wrong) / (n * static_cast<double>(k));
    }
    return r;
}

ClassificationReport as_classification_report(const MultiLabelReport& report) {
    ClassificationReport out;
    out.labels = report.labels;
    out.per_class = report.per_label;
    out.micro = report.micro;
    out.macro = report.macro;
    out.weighted = report.weighted;
    out.accuracy = report.subset_accuracy;
    out.total = report.examples;
    return out;
}

}  // namespace tb::metrics
