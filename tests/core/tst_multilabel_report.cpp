// tb::metrics::multilabel_report against scikit-learn's classification_report for
// multilabel-indicator input (fixture from tests/reference/metrics/make_multilabel_fixtures.py).
#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "metrics/multilabel_report.h"

using namespace tb::metrics;

namespace {

void expect_row(const ClassScores& got, const nlohmann::json& want, const std::string& what) {
    const auto close = [](double a, double b) { return std::abs(a - b) <= 1e-12; };
    QVERIFY2(close(got.precision, want["precision"].get<double>()), (what + " precision").c_str());
    QVERIFY2(close(got.recall, want["recall"].get<double>()), (what + " recall").c_str());
    QVERIFY2(close(got.f1, want["f1"].get<double>()), (what + " f1").c_str());
    QCOMPARE(got.support, want["support"].get<std::int64_t>());
}

}  // namespace

class TstMultilabelReport : public QObject {
    Q_OBJECT

private slots:
    void matchesSklearn() {
        std::ifstream in(std::string(TB_FIXTURES_DIR) + "/metrics/multilabel_cases.json");
        QVERIFY(in.good());
        const auto doc = nlohmann::json::parse(in);
        int cases = 0;
        for (const auto& c : doc["cases"]) {
            const std::string name = c["name"];
            const auto labels = c["labels"].get<std::vector<std::string>>();
            const auto report =
                multilabel_report(c["y_true"].get<std::vector<std::vector<int>>>(),
                                  c["y_pred"].get<std::vector<std::vector<int>>>(), labels);
            const auto& want = c["report"];
            for (std::size_t j = 0; j < labels.size(); ++j)
                expect_row(report.per_label[j], want[labels[j]], name + " " + labels[j]);
            expect_row(report.micro, want["micro avg"], name + " micro");
            expect_row(report.macro, want["macro avg"], name + " macro");
            expect_row(report.weighted, want["weighted avg"], name + " weighted");
            expect_row(report.samples, want["samples avg"], name + " samples");
            QVERIFY(std::abs(report.subset_accuracy - c["subset_accuracy"].get<double>()) < 1e-12);
            QVERIFY(std::abs(report.hamming_loss - c["hamming_loss"].get<double>()) < 1e-12);
            ++cases;
        }
        QVERIFY(cases >= 4);
    }

    void rowWidthMustMatchLabels() {
        QVERIFY_THROWS_EXCEPTION(tb::Error, multilabel_report({{1, 0}}, {{1}}, {"a", "b"}));
        QVERIFY_THROWS_EXCEPTION(tb::Error, multilabel_report({{1, 0}}, {}, {"a", "b"}));
    }

    void classificationReportViewKeepsTheAverages() {
        const auto r = multilabel_report({{1, 0}, {1, 1}}, {{1, 0}, {1, 0}}, {"a", "b"});
        const auto c = as_classification_report(r);
        QCOMPARE(c.per_class.size(), std::size_t(2));
        QCOMPARE(c.macro.f1, r.macro.f1);
        QCOMPARE(c.accuracy, 0.5);
        QCOMPARE(c.total, std::int64_t(2));
    }
};

QTEST_APPLESS_MAIN(TstMultilabelReport)
#include "tst_multilabel_report.moc"
