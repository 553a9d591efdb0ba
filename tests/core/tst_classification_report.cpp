// Tests tb::metrics against scikit-learn fixtures (tests/reference/metrics) and edge cases.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "metrics/classification_report.h"
#include "metrics/report_json.h"

using tb::metrics::ClassificationReport;
using tb::metrics::ClassScores;

namespace {

constexpr double kTolerance = 1e-12;

nlohmann::json load_cases() {
    const std::string path = std::string(TB_FIXTURES_DIR) + "/metrics/sklearn_cases.json";
    std::ifstream in(path);
    if (!in)
        qFatal("cannot open %s", path.c_str());
    return nlohmann::json::parse(in)["cases"];
}

bool close(double a, double b) {
    return std::fabs(a - b) <= kTolerance;
}

#define COMPARE_NUM(actual, expected, what)                                                   \
    QVERIFY2(close((actual), (expected)), qPrintable(QStringLiteral("%1: got %2, sklearn %3") \
                                                         .arg(QString::fromStdString(what))   \
                                                         .arg((actual), 0, 'g', 17)           \
                                                         .arg((expected), 0, 'g', 17)))

ClassificationReport run_case(const nlohmann::json& c) {
    if (c["kind"] == "string") {
        return tb::metrics::classification_report(c["y_true"].get<std::vector<std::string>>(),
                                                  c["y_pred"].get<std::vector<std::string>>());
    }
    return tb::metrics::classification_report(c["y_true"].get<std::vector<int>>(),
                                              c["y_pred"].get<std::vector<int>>(),
                                              c["labels"].get<std::vector<std::string>>());
}

void compare_average(const ClassScores& got, const nlohmann::json& want, const std::string& what,
                     std::int64_t total) {
    COMPARE_NUM(got.precision, want["precision"].get<double>(), what + " precision");
    COMPARE_NUM(got.recall, want["recall"].get<double>(), what + " recall");
    COMPARE_NUM(got.f1, want["f1"].get<double>(), what + " f1");
    QCOMPARE(got.support, total);
}

bool throws_error(const std::function<void()>& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const tb::Error& e) {
        if (message)
            *message = e.what();
        return true;
    }
    return false;
}

}  // namespace

class TestClassificationReport : public QObject {
    Q_OBJECT

private slots:
    void matchesSklearn_data();
    void matchesSklearn();
    void textMatchesSklearn_data();
    void textMatchesSklearn();
    void fixturesCoverTheRequiredCases();
    void jsonShape();
    void emptyInputGivesZeros();
    void indexOutOfRangeThrows();
    void lengthMismatchThrows();
    void stringLabelsAreSortedByCodePoint();
    void textRejectsBadDigits();
};

void TestClassificationReport::matchesSklearn_data() {
    QTest::addColumn<int>("index");
    const nlohmann::json cases = load_cases();
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string name = cases[i]["name"];
        QTest::newRow(name.c_str()) << static_cast<int>(i);
    }
}

void TestClassificationReport::matchesSklearn() {
    QFETCH(int, index);
    const nlohmann::json c = load_cases()[index];
    const nlohmann::json& want = c["expected"];
    const ClassificationReport got = run_case(c);

    QCOMPARE(got.labels, want["labels"].get<std::vector<std::string>>());
    QCOMPARE(got.total, want["total"].get<std::int64_t>());
    QCOMPARE(got.confusion, want["confusion"].get<std::vector<std::vector<std::int64_t>>>());
    QCOMPARE(got.per_class.size(), got.labels.size());
    for (std::size_t k = 0; k < got.per_class.size(); ++k) {
        const ClassScores& s = got.per_class[k];
        const std::string what = "class " + s.label;
        QCOMPARE(s.label, got.labels[k]);
        COMPARE_NUM(s.precision, want["precision"][k].get<double>(), what + " precision");
        COMPARE_NUM(s.recall, want["recall"][k].get<double>(), what + " recall");
        COMPARE_NUM(s.f1, want["f1"][k].get<double>(), what + " f1");
        QCOMPARE(s.support, want["support"][k].get<std::int64_t>());
    }
    COMPARE_NUM(got.accuracy, want["accuracy"].get<double>(), std::string("accuracy"));
    compare_average(got.micro, want["micro"], "micro", got.total);
    compare_average(got.macro, want["macro"], "macro", got.total);
    compare_average(got.weighted, want["weighted"], "weighted", got.total);
    QCOMPARE(got.micro.label, std::string("micro avg"));
    QCOMPARE(got.macro.label, std::string("macro avg"));
    QCOMPARE(got.weighted.label, std::string("weighted avg"));
}

void TestClassificationReport::textMatchesSklearn_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("digits");
    const nlohmann::json cases = load_cases();
    for (std::size_t i = 0; i < cases.size(); ++i) {
        // sklearn 1.2 prints "2.0" supports when nothing is correct; numbers are checked above.
        if (cases[i]["expected"]["text_support_is_float"].get<bool>())
            continue;
        const std::string name = cases[i]["name"];
        for (int digits : {2, 4}) {
            QTest::newRow((name + "/" + std::to_string(digits)).c_str())
                << static_cast<int>(i) << digits;
        }
    }
}

void TestClassificationReport::textMatchesSklearn() {
    QFETCH(int, index);
    QFETCH(int, digits);
    const nlohmann::json c = load_cases()[index];
    const std::string want = c["expected"]["text_" + std::to_string(digits)];
    const std::string got = tb::metrics::report_to_text(run_case(c), digits);
    QCOMPARE(QString::fromStdString(got), QString::fromStdString(want));
}

// Guards the fixture file itself: a regenerated file that lost a case would weaken the suite.
void TestClassificationReport::fixturesCoverTheRequiredCases() {
    std::vector<std::string> names;
    for (const auto& c : load_cases())
        names.push_back(c["name"]);
    for (const char* required :
         {"binary", "multiclass", "class_never_predicted", "zero_support_in_labels", "perfect",
          "all_wrong", "string_labels_chinese", "random_seeded"}) {
        QVERIFY2(std::find(names.begin(), names.end(), required) != names.end(), required);
    }
}

void TestClassificationReport::jsonShape() {
    // true:  a a b c c c ; pred: a b b c c a
    const auto r =
        tb::metrics::classification_report({0, 0, 1, 2, 2, 2}, {0, 1, 1, 2, 2, 0}, {"a", "b", "c"});
    const nlohmann::json j = tb::metrics::report_to_json(r);
    QCOMPARE(j["labels"], nlohmann::json({"a", "b", "c"}));
    QCOMPARE(j["total"].get<int>(), 6);
    QCOMPARE(j["per_class"].size(), std::size_t(3));
    QCOMPARE(j["per_class"][0]["label"].get<std::string>(), std::string("a"));
    QCOMPARE(j["per_class"][0]["precision"].get<double>(), 0.5);
    QCOMPARE(j["per_class"][0]["recall"].get<double>(), 0.5);
    QCOMPARE(j["per_class"][1]["precision"].get<double>(), 0.5);
    QCOMPARE(j["per_class"][1]["recall"].get<double>(), 1.0);
    QCOMPARE(j["per_class"][2]["precision"].get<double>(), 1.0);
    QCOMPARE(j["per_class"][2]["support"].get<int>(), 3);
    QCOMPARE(j["accuracy"].get<double>(), 4.0 / 6.0);
    for (const char* avg : {"micro avg", "macro avg", "weighted avg"}) {
        QVERIFY2(j.contains(avg), avg);
        for (const char* field : {"precision", "recall", "f1", "support"}) {
            QVERIFY2(j[avg].contains(field), field);
        }
        QCOMPARE(j[avg]["support"].get<int>(), 6);
    }
    QCOMPARE(j["micro avg"]["f1"].get<double>(), 4.0 / 6.0);
    QCOMPARE(j["macro avg"]["precision"].get<double>(), (0.5 + 0.5 + 1.0) / 3.0);
    QCOMPARE(j["confusion_matrix"]["labels"], j["labels"]);
    QCOMPARE(j["confusion_matrix"]["matrix"], nlohmann::json({{1, 1, 0}, {0, 1, 0}, {1, 0, 2}}));
}

// Contract (classification_report.h): no samples is not an
// error; every score and count is 0 so an empty evaluation split still produces a report.
void TestClassificationReport::emptyInputGivesZeros() {
    const auto r =
        tb::metrics::classification_report(std::vector<int>{}, std::vector<int>{}, {"neg", "pos"});
    QCOMPARE(r.total, std::int64_t(0));
    QCOMPARE(r.accuracy, 0.0);
    QCOMPARE(r.labels, (std::vector<std::string>{"neg", "pos"}));
    QCOMPARE(r.confusion, (std::vector<std::vector<std::int64_t>>{{0, 0}, {0, 0}}));
    QCOMPARE(r.per_class.size(), std::size_t(2));
    for (const ClassScores& s : {r.per_class[0], r.per_class[1], r.micro, r.macro, r.weighted}) {
        QCOMPARE(s.precision, 0.0);
        QCOMPARE(s.recall, 0.0);
        QCOMPARE(s.f1, 0.0);
        QCOMPARE(s.support, std::int64_t(0));
    }
    const std::string text = tb::metrics::report_to_text(r);
    QVERIFY(text.find("   micro avg       0.00      0.00      0.00         0\n") !=
            std::string::npos);

    const auto s =
        tb::metrics::classification_report(std::vector<std::string>{}, std::vector<std::string>{});
    QVERIFY(s.labels.empty());
    QCOMPARE(s.total, std::int64_t(0));
    QCOMPARE(s.accuracy, 0.0);
}

void TestClassificationReport::indexOutOfRangeThrows() {
    const std::vector<std::string> labels{"a", "b"};
    std::string message;
    QVERIFY(throws_error(
        [&] {
            tb::metrics::classification_report({0, 2}, {0, 1}, labels);
        },
        &message));
    QVERIFY2(message.find("y_true[1] = 2") != std::string::npos, message.c_str());
    QVERIFY(throws_error(
        [&] {
            tb::metrics::classification_report({0, 1}, {-1, 1}, labels);
        },
        &message));
    QVERIFY2(message.find("y_pred[0] = -1") != std::string::npos, message.c_str());
    QVERIFY(throws_error([&] { tb::metrics::classification_report({0}, {0}, {}); }));
    // In range at both ends is fine.
    QVERIFY(!throws_error([&] { tb::metrics::classification_report({0, 1}, {1, 0}, labels); }));
}

void TestClassificationReport::lengthMismatchThrows() {
    QVERIFY(throws_error([] { tb::metrics::classification_report({0, 1}, {0}, {"a", "b"}); }));
    QVERIFY(throws_error([] {
        tb::metrics::classification_report(std::vector<std::string>{"a"},
                                           std::vector<std::string>{"a", "b"});
    }));
}

void TestClassificationReport::stringLabelsAreSortedByCodePoint() {
    const auto r =
        tb::metrics::classification_report(std::vector<std::string>{"正面", "b", "B", "10", "2"},
                                           std::vector<std::string>{"负面", "b", "a", "10", "2"});
    QCOMPARE(r.labels, (std::vector<std::string>{"10", "2", "B", "a", "b", "正面", "负面"}));
    QCOMPARE(r.per_class[2].support, std::int64_t(1));  // "B"
    QCOMPARE(r.confusion[2][3], std::int64_t(1));       // B predicted as a
    QCOMPARE(r.confusion[5][6], std::int64_t(1));       // 正面 predicted as 负面
}

void TestClassificationReport::textRejectsBadDigits() {
    const auto r = tb::metrics::classification_report({0}, {0}, {"a"});
    QVERIFY(throws_error([&] { tb::metrics::report_to_text(r, -1); }));
    QVERIFY(!throws_error([&] { tb::metrics::report_to_text(r, 0); }));
}

QTEST_APPLESS_MAIN(TestClassificationReport)
#include "tst_classification_report.moc"
