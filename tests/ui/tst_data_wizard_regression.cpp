// The Data page's Regression task: the picker writes dataset.task regression (round trip through
// the YAML), bad target values are problems with file, line and column (as the trainer reports
// them), and the target statistics and histogram equal numpy's (regression_reference.json, made
// by tests/fixtures/ui/make_regression_reference.py).
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "data/regression_rows.h"
#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "pages/data_page.h"
#include "widgets/label_bar_chart.h"

using namespace tb::ui;

namespace {

QString fixture(const QString& name) {
    return QStringLiteral(TB_FIXTURES_DIR "/ui/") + name;
}

bool waitIdle(DataPage* page) {
    return QTest::qWaitFor([page] { return !page->isBusy(); }, 60000);
}

void chooseRegression(DataPage& page) {
    auto* task = page.taskCombo();
    task->setCurrentIndex(task->findData(int(TaskType::Regression)));
    emit task->activated(task->currentIndex());
}

QJsonObject reference() {
    QFile f(fixture(QStringLiteral("regression_reference.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

bool near(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

}  // namespace

class TestDataWizardRegression : public QObject {
    Q_OBJECT

private slots:
    void numberRules();
    void pickerRoundTrip();
    void badValuesAndStatistics();
    void stopOnBadRows();
};

// The shared parser (the trainer reads targets with it too).
void TestDataWizardRegression::numberRules() {
    using tb::data::parse_number_cell;
    QCOMPARE(parse_number_cell("3").value_or(-1), 3.0);
    QCOMPARE(parse_number_cell(" -0.25\r").value_or(-1), -0.25);
    QCOMPARE(parse_number_cell("+2").value_or(-1), 2.0);
    QCOMPARE(parse_number_cell("1e-3").value_or(-1), 1e-3);
    QVERIFY(!parse_number_cell(""));
    QVERIFY(!parse_number_cell("  "));
    QVERIFY(!parse_number_cell("n/a"));
    QVERIFY(!parse_number_cell("1,5"));
    QVERIFY(!parse_number_cell("nan"));
    QVERIFY(!parse_number_cell("inf"));
    QVERIFY(!parse_number_cell("3x"));
}

void TestDataWizardRegression::pickerRoundTrip() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString yaml = dir.filePath(QStringLiteral("regression.yaml"));
    {
        ExperimentDocument doc;
        doc.update([](tb::io::ExperimentConfig& c) { c.model.path = "bert-model"; });
        DataPage page(&doc);
        page.setDataFile(fixture(QStringLiteral("regression.csv")));
        QVERIFY(waitIdle(&page));
        chooseRegression(page);
        QVERIFY(waitIdle(&page));
        auto* label = page.labelColumnCombo();
        label->setCurrentIndex(label->findData(QStringLiteral("score")));
        emit label->activated(label->currentIndex());
        QVERIFY(waitIdle(&page));
        QCOMPARE(doc.config().dataset.task, std::string("regression"));
        QCOMPARE(doc.config().dataset.label_column, std::string("score"));
        QCOMPARE(doc.config().dataset.text_column, std::string("text"));
        QVERIFY(doc.save(yaml));
    }
    const auto config = tb::io::load_experiment(yaml.toStdString());
    QCOMPARE(config.dataset.task, std::string("regression"));
    QCOMPARE(config.dataset.label_column, std::string("score"));
    ExperimentDocument doc;
    QVERIFY(doc.load(yaml));
    DataPage page(&doc);
    QVERIFY(waitIdle(&page));
    QCOMPARE(TaskType(page.taskCombo()->currentData().toInt()), TaskType::Regression);
    QCOMPARE(page.labelColumnCombo()->currentData().toString(), QStringLiteral("score"));
    QVERIFY(page.lastScan() && page.lastScan()->regression);
    QVERIFY(!doc.isModified());
}

void TestDataWizardRegression::badValuesAndStatistics() {
    const QJsonObject ref = reference();
    QVERIFY(!ref.isEmpty());
    ExperimentDocument doc;
    doc.update([](tb::io::ExperimentConfig& c) {
        c.dataset.task = "regression";
        c.dataset.label_column = "score";
        c.dataset.skip_invalid_rows = true;
        c.dataset.train_fraction = 0.8;
        c.dataset.dev_fraction = 0.1;
        c.dataset.test_fraction = 0.1;
    });
    DataPage page(&doc);
    page.setDataFile(fixture(QStringLiteral("regression.csv")));
    QVERIFY(waitIdle(&page));
    const auto scan = page.lastScan();
    QVERIFY(scan);
    QVERIFY(scan->regression);

    // The two bad rows, with the file, line and column the trainer gives.
    const QJsonArray bad = ref.value(QStringLiteral("bad")).toArray();
    QCOMPARE(int(scan->problems.size()), bad.size());
    for (int i = 0; i < bad.size(); ++i) {
        const auto& p = scan->problems[std::size_t(i)];
        const QJsonObject want = bad[i].toObject();
        QCOMPARE(p.line, long(want.value(QStringLiteral("line")).toInt()));
        QCOMPARE(p.column, long(want.value(QStringLiteral("column")).toInt()));
        QCOMPARE(QString::fromStdString(p.kind), want.value(QStringLiteral("kind")).toString());
        QVERIFY(QString::fromStdString(p.file).endsWith(QStringLiteral("regression.csv")));
    }
    QCOMPARE(page.problemList()->count(), 2);
    QVERIFY(page.problemList()->item(0)->text().contains(QStringLiteral("n/a")));

    // Statistics against numpy.
    QCOMPARE(int(scan->targets.size()), ref.value(QStringLiteral("count")).toInt());
    QVERIFY(near(scan->targetMin, ref.value(QStringLiteral("min")).toDouble()));
    QVERIFY(near(scan->targetMax, ref.value(QStringLiteral("max")).toDouble()));
    QVERIFY(near(scan->targetMean, ref.value(QStringLiteral("mean")).toDouble()));
    QVERIFY(near(scan->targetStd, ref.value(QStringLiteral("std")).toDouble()));
    const QJsonArray counts = ref.value(QStringLiteral("hist_counts")).toArray();
    const QJsonArray edges = ref.value(QStringLiteral("hist_edges")).toArray();
    QCOMPARE(int(scan->targetBinCounts.size()), counts.size());
    QCOMPARE(int(scan->targetBinEdges.size()), edges.size());
    for (int b = 0; b < counts.size(); ++b)
        QCOMPARE(qint64(scan->targetBinCounts[std::size_t(b)]), qint64(counts[b].toInt()));
    for (int b = 0; b < edges.size(); ++b)
        QVERIFY(near(scan->targetBinEdges[std::size_t(b)], edges[b].toDouble()));

    // The summary shows them, the chart is the histogram.
    QCOMPARE(page.summaryValue(QStringLiteral("Target count")), QStringLiteral("38"));
    QCOMPARE(page.summaryValue(QStringLiteral("Target mean")),
             QString::number(ref.value(QStringLiteral("mean")).toDouble(), 'g', 6));
    QCOMPARE(page.summaryValue(QStringLiteral("Target std")),
             QString::number(ref.value(QStringLiteral("std")).toDouble(), 'g', 6));
    QVERIFY(page.summaryValue(QStringLiteral("Classes")).isEmpty());
    QCOMPARE(page.labelChart()->count(0), qint64(counts[0].toInt()));
    QCOMPARE(page.labelChart()->count(5), qint64(counts[5].toInt()));

    // The trainer's split: 38 rows, 80/10/10 with exact largest-remainder counts.
    QCOMPARE(scan->splitCounts.size(), std::size_t(1));
    QCOMPARE(scan->splitCounts[0][0] + scan->splitCounts[0][1] + scan->splitCounts[0][2],
             std::size_t(38));
    QCOMPARE(scan->splitCounts[0][0], std::size_t(30));
}

// With dataset.skip_invalid_rows false the bad rows are still listed (the run would stop).
void TestDataWizardRegression::stopOnBadRows() {
    ExperimentDocument doc;
    doc.update([](tb::io::ExperimentConfig& c) {
        c.dataset.task = "regression";
        c.dataset.label_column = "score";
        c.dataset.skip_invalid_rows = false;
    });
    DataPage page(&doc);
    page.setDataFile(fixture(QStringLiteral("regression.csv")));
    QVERIFY(waitIdle(&page));
    QVERIFY(page.lastScan());
    QCOMPARE(page.lastScan()->problems.size(), std::size_t(2));
    QCOMPARE(page.lastScan()->problems[0].line, 8L);
}

QTEST_MAIN(TestDataWizardRegression)
#include "tst_data_wizard_regression.moc"
