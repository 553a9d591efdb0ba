// tb::metrics::regression_report against scikit-learn / SciPy, and tune_thresholds against
// the best per-label F1 found by scanning thresholds with scikit-learn's f1_score (fixtures
// from tests/reference/metrics/make_regression_fixtures.py).
#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "metrics/multilabel_report.h"
#include "metrics/regression_report.h"
#include "metrics/threshold_tuning.h"

using namespace tb::metrics;

namespace {

nlohmann::json fixture(const std::string& name) {
    std::ifstream in(std::string(TB_FIXTURES_DIR) + "/metrics/" + name);
    return nlohmann::json::parse(in);
}

bool close(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

}  // namespace

class TstRegressionMetrics : public QObject {
    Q_OBJECT

private slots:
    void regressionMatchesSklearn() {
        int cases = 0;
        for (const auto& c : fixture("regression_cases.json")) {
            const std::string name = c["name"];
            const auto r = regression_report(c["truth"].get<std::vector<double>>(),
                                             c["predicted"].get<std::vector<double>>());
            QCOMPARE(r.count, static_cast<std::int64_t>(c["truth"].size()));
            for (const auto& [key, got] :
                 std::vector<std::pair<std::string, double>>{{"mse", r.mse},
                                                             {"rmse", r.rmse},
                                                             {"mae", r.mae},
                                                             {"r2", r.r2},
                                                             {"pearson", r.pearson},
                                                             {"spearman", r.spearman}})
                QVERIFY2(close(got, c[key].get<double>()),
                         qPrintable(QString::fromStdString(name + " " + key) +
                                    QString(": %1 vs %2").arg(got).arg(c[key].get<double>())));
            ++cases;
        }
        QCOMPARE(cases, 6);
    }

    void regressionEdgeCases() {
        const auto empty = regression_report({}, {});
        QCOMPARE(empty.count, std::int64_t(0));
        QCOMPARE(empty.mse, 0.0);
        QVERIFY_THROWS_EXCEPTION(tb::Error, regression_report({1.0}, {1.0, 2.0}));
        QCOMPARE(average_ranks({3.0, 1.0, 3.0, 2.0}), (std::vector<double>{3.5, 1.0, 3.5, 2.0}));
        const auto j = regression_report_to_json(regression_report({1, 2, 3}, {1, 2, 4}));
        QVERIFY(j.contains("r2") && j.contains("spearman"));
    }

    void thresholdsOfAConstructedCase() {
        // Label 0: positives at 0.9 and 0.8, negatives at 0.3 and 0.2 -> any threshold in
        // (0.3, 0.8] is perfect; the midpoint 0.55 is chosen. Label 1: the positive has the
        // lowest score -> predicting every example positive is best (F1 2/5), threshold 0.05.
        const std::vector<std::vector<float>> p = {
            {0.9f, 0.7f}, {0.8f, 0.6f}, {0.3f, 0.4f}, {0.2f, 0.1f}};
        const std::vector<std::vector<int>> y = {{1, 0}, {1, 0}, {0, 0}, {0, 1}};
        const auto t = tune_thresholds(p, y, {0.5f, 0.5f});
        QCOMPARE(t.size(), std::size_t(2));
        QVERIFY(std::abs(t[0] - 0.55f) < 1e-6f);
        QVERIFY(std::abs(t[1] - 0.05f) < 1e-6f);
        // No positive example: the fallback stays.
        const auto none = tune_thresholds({{0.9f}, {0.1f}}, {{0}, {0}}, {0.4f});
        QCOMPARE(none[0], 0.4f);
        QVERIFY_THROWS_EXCEPTION(tb::Error, tune_thresholds(p, y, {0.5f}));
    }

    void thresholdsReachTheBestF1() {
        for (const auto& c : fixture("threshold_cases.json")) {
            const auto probs = c["probabilities"].get<std::vector<std::vector<float>>>();
            const auto truth = c["truth"].get<std::vector<std::vector<int>>>();
            const auto best = c["best_f1"].get<std::vector<double>>();
            const std::vector<float> fallback(best.size(), c["fallback"].get<float>());
            const auto t = tune_thresholds(probs, truth, fallback);
            std::vector<std::vector<int>> decided;
            for (const auto& row : probs) {
                decided.emplace_back();
                for (std::size_t j = 0; j < row.size(); ++j)
                    decided.back().push_back(row[j] >= t[j] ? 1 : 0);
            }
            std::vector<std::string> names;
            for (std::size_t j = 0; j < best.size(); ++j)
                names.push_back("l" + std::to_string(j));
            const auto report = multilabel_report(truth, decided, names);
            for (std::size_t j = 0; j < best.size(); ++j) {
                QVERIFY2(std::abs(report.per_label[j].f1 - best[j]) < 1e-12,
                         qPrintable(QString("label %1: F1 %2 at threshold %3, best %4")
                                        .arg(j)
                                        .arg(report.per_label[j].f1)
                                        .arg(t[j])
                                        .arg(best[j])));
                QVERIFY(t[j] > 0.0f && t[j] < 1.0f);
            }
            // The label without positives keeps the fallback; some tuned ones move far from it.
            QCOMPARE(t[3], 0.5f);
            QVERIFY(std::abs(t[1] - 0.5f) > 0.05f || std::abs(t[2] - 0.5f) > 0.05f);
        }
    }
};

QTEST_APPLESS_MAIN(TstRegressionMetrics)
#include "tst_regression_metrics.moc"
