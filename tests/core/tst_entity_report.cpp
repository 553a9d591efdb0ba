// Entity-level NER metrics against seqeval-semantics fixtures (tests/reference/metrics/
// make_entity_fixtures.py) and hand-checked cases.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "metrics/entity_report.h"

using namespace tb::metrics;
using Tags = std::vector<std::vector<std::string>>;

namespace {

constexpr double kTolerance = 1e-12;

nlohmann::json load_cases() {
    const std::string path = std::string(TB_FIXTURES_DIR) + "/metrics/entity_cases.json";
    std::ifstream in(path);
    if (!in)
        qFatal("cannot open %s", path.c_str());
    return nlohmann::json::parse(in)["cases"];
}

bool close(double a, double b) {
    return std::fabs(a - b) <= kTolerance;
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

EntityOptions options_of(const nlohmann::json& c) {
    return EntityOptions{mode_from_name(c["mode"].get<std::string>()),
                         scheme_from_name(c["scheme"].get<std::string>())};
}

}  // namespace

class TestEntityReport : public QObject {
    Q_OBJECT

private slots:
    void matches_reference_fixtures_data() {
        QTest::addColumn<int>("index");
        const auto cases = load_cases();
        QVERIFY(cases.size() >= 15);
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::newRow(cases[i]["name"].get<std::string>().c_str()) << static_cast<int>(i);
    }

    void matches_reference_fixtures() {
        QFETCH(int, index);
        const auto c = load_cases()[static_cast<std::size_t>(index)];
        const auto y_true = c["y_true"].get<Tags>();
        const auto y_pred = c["y_pred"].get<Tags>();
        const auto options = options_of(c);
        const auto& want = c["expected"];

        // Entities: same spans as the reference.
        for (const char* side : {"true", "pred"}) {
            const auto got =
                extract_entities(std::string(side) == "true" ? y_true : y_pred, options);
            std::vector<Entity> sorted_got(got.begin(), got.end());
            std::sort(sorted_got.begin(), sorted_got.end());
            std::vector<Entity> expected;
            for (const auto& e : want["entities"][side])
                expected.push_back(Entity{e[0].get<std::size_t>(), e[1].get<std::string>(),
                                          e[2].get<std::size_t>(), e[3].get<std::size_t>()});
            std::sort(expected.begin(), expected.end());
            QCOMPARE(sorted_got.size(), expected.size());
            for (std::size_t k = 0; k < expected.size(); ++k)
                QVERIFY2(sorted_got[k] == expected[k],
                         qPrintable(QStringLiteral("%1 entity %2: got %3 [%4,%5)")
                                        .arg(side)
                                        .arg(k)
                                        .arg(QString::fromStdString(sorted_got[k].type))
                                        .arg(sorted_got[k].start)
                                        .arg(sorted_got[k].end)));
        }

        const auto report = entity_report(y_true, y_pred, options);
        QCOMPARE(report.per_type.size(), want["per_type"].size());
        for (std::size_t k = 0; k < report.per_type.size(); ++k) {
            const auto& w = want["per_type"][k];
            QCOMPARE(report.per_type[k].label, w["type"].get<std::string>());
            QVERIFY(close(report.per_type[k].precision, w["precision"].get<double>()));
            QVERIFY(close(report.per_type[k].recall, w["recall"].get<double>()));
            QVERIFY(close(report.per_type[k].f1, w["f1"].get<double>()));
            QCOMPARE(report.per_type[k].support, w["support"].get<std::int64_t>());
            QCOMPARE(report.counts[k].predicted_entities, w["predicted"].get<std::int64_t>());
            QCOMPARE(report.counts[k].correct_entities, w["correct"].get<std::int64_t>());
        }
        const std::pair<const ClassScores*, const char*> averages[] = {
            {&report.micro, "micro avg"},
            {&report.macro, "macro avg"},
            {&report.weighted, "weighted avg"}};
        for (const auto& [got, key] : averages) {
            const auto& w = want[key];
            QVERIFY2(close(got->precision, w["precision"].get<double>()), key);
            QVERIFY2(close(got->recall, w["recall"].get<double>()), key);
            QVERIFY2(close(got->f1, w["f1"].get<double>()), key);
            QCOMPARE(got->support, w["support"].get<std::int64_t>());
        }
        QCOMPARE(entity_report_to_text(report, 2), want["text_2"].get<std::string>());
        QCOMPARE(entity_report_to_text(report, 4), want["text_4"].get<std::string>());
    }

    // seqeval's documented example (README / classification_report docstring), by hand.
    void readme_example_by_hand() {
        const Tags y_true{{"O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"},
                          {"B-PER", "I-PER", "O"}};
        const Tags y_pred{{"O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"},
                          {"B-PER", "I-PER", "O"}};
        const auto r = entity_report(y_true, y_pred);
        QCOMPARE(r.per_type.size(), std::size_t(2));
        QCOMPARE(r.per_type[0].label, std::string("MISC"));
        QCOMPARE(r.per_type[0].f1, 0.0);
        QCOMPARE(r.per_type[1].f1, 1.0);
        QCOMPARE(r.micro.precision, 0.5);
        QCOMPARE(r.micro.recall, 0.5);
        QCOMPARE(r.macro.f1, 0.5);
        QCOMPARE(r.weighted.support, std::int64_t(2));
        const std::string expected =
            "              precision    recall  f1-score   support\n"
            "\n"
            "        MISC       0.00      0.00      0.00         1\n"
            "         PER       1.00      1.00      1.00         1\n"
            "\n"
            "   micro avg       0.50      0.50      0.50         2\n"
            "   macro avg       0.50      0.50      0.50         2\n"
            "weighted avg       0.50      0.50      0.50         2\n";
        QCOMPARE(entity_report_to_text(r), expected);
    }

    // Default mode is lenient (I- without B- starts an entity); strict IOB2 is not.
    void lenient_versus_strict_by_hand() {
        const Tags tags{{"I-PER", "I-PER", "O", "B-LOC", "I-LOC", "I-PER"}};
        const auto lenient = extract_entities(tags);
        QCOMPARE(lenient.size(), std::size_t(3));
        QCOMPARE(lenient[0].type, std::string("PER"));
        QCOMPARE(lenient[0].start, std::size_t(0));
        QCOMPARE(lenient[0].end, std::size_t(2));
        QCOMPARE(lenient[1].type, std::string("LOC"));
        QCOMPARE(lenient[1].end, std::size_t(5));
        QCOMPARE(lenient[2].start, std::size_t(5));  // type change opens a new entity
        const auto strict = extract_entities(tags, {EntityMode::Strict, TaggingScheme::IOB2});
        QCOMPARE(strict.size(), std::size_t(1));
        QCOMPARE(strict[0].type, std::string("LOC"));
        QCOMPARE(strict[0].start, std::size_t(3));
        QCOMPARE(strict[0].end, std::size_t(5));
        // IOBES: a B- run that never reaches E- is no entity in strict mode.
        const Tags iobes{{"B-PER", "I-PER", "O", "S-LOC", "B-ORG", "E-ORG"}};
        const auto s = extract_entities(iobes, {EntityMode::Strict, TaggingScheme::IOBES});
        QCOMPARE(s.size(), std::size_t(2));
        QCOMPARE(s[0].type, std::string("LOC"));
        QCOMPARE(s[1].type, std::string("ORG"));
        QCOMPARE(s[1].end, std::size_t(6));
    }

    void entities_never_cross_sentences() {
        const Tags tags{{"O", "B-PER"}, {"I-PER", "O"}};
        const auto e = extract_entities(tags);
        QCOMPARE(e.size(), std::size_t(2));
        QCOMPARE(e[0].sentence, std::size_t(0));
        QCOMPARE(e[1].sentence, std::size_t(1));
        QCOMPARE(e[1].start, std::size_t(0));
    }

    void no_entities_gives_zeros() {
        const auto r = entity_report(Tags{{"O", "O"}}, Tags{{"O", "O"}});
        QVERIFY(r.per_type.empty());
        QCOMPARE(r.micro.f1, 0.0);
        QCOMPARE(r.macro.f1, 0.0);
        QCOMPARE(r.weighted.support, std::int64_t(0));
    }

    void errors_name_the_place() {
        std::string message;
        QVERIFY(throws_error([] { entity_report(Tags{{"O"}}, Tags{{"O", "O"}}); }, &message));
        QVERIFY(message.find("sentence 1") != std::string::npos);
        QVERIFY(throws_error([] { entity_report(Tags{{"O"}}, Tags{}); }));
        QVERIFY(throws_error(
            [] {
                extract_entities(Tags{{"O", "E-PER"}}, {EntityMode::Strict, TaggingScheme::IOB2});
            },
            &message));
        QVERIFY(message.find("E-PER") != std::string::npos);
        QVERIFY(message.find("token 2") != std::string::npos);
        QVERIFY(throws_error([] { extract_entities(Tags{{""}}); }));
        QVERIFY(throws_error([] { scheme_from_name("IOB9"); }));
        QCOMPARE(scheme_from_name("iobes"), TaggingScheme::IOBES);
    }

    void json_has_counts() {
        const auto r = entity_report(Tags{{"B-A", "O"}}, Tags{{"B-A", "B-A"}});
        const auto j = entity_report_to_json(r);
        QCOMPARE(j["per_type"][0]["predicted"].get<int>(), 2);
        QCOMPARE(j["per_type"][0]["correct"].get<int>(), 1);
        QCOMPARE(j["micro avg"]["precision"].get<double>(), 0.5);
        QCOMPARE(j["mode"].get<std::string>(), std::string("default"));
    }
};

QTEST_MAIN(TestEntityReport)
#include "tst_entity_report.moc"
