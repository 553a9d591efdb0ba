// Unit tests of the UI views fed with fake training events: loss plot, heatmap, metrics table,
// Evaluate page report selection, label chart, formatters and the scientific spin box.
#include <QComboBox>
#include <QtTest>

#include <qcustomplot.h>

#include "controller/metatypes.h"
#include "pages/evaluate_page.h"
#include "util/format.h"
#include "views/class_metrics_table.h"
#include "views/confusion_heatmap.h"
#include "views/loss_plot.h"
#include "widgets/label_bar_chart.h"
#include "widgets/scientific_spin_box.h"

using namespace tb::ui;

namespace {

tb::train::EvalReport fakeReport(const std::string& split, int epoch, std::int64_t step) {
    tb::train::EvalReport r;
    r.split = split;
    r.epoch = epoch;
    r.step = step;
    r.loss = 0.25;
    auto& c = r.report;
    c.labels = {"bad", "good"};
    c.confusion = {{8, 2}, {1, 9}};
    c.per_class = {{"bad", 8.0 / 9.0, 0.8, 2 * (8.0 / 9.0 * 0.8) / (8.0 / 9.0 + 0.8), 10},
                   {"good", 9.0 / 11.0, 0.9, 2 * (9.0 / 11.0 * 0.9) / (9.0 / 11.0 + 0.9), 10}};
    c.accuracy = 0.85;
    c.total = 20;
    c.macro = {"macro avg", 0.853, 0.85, 0.8496, 20};
    c.weighted = {"weighted avg", 0.853, 0.85, 0.8496, 20};
    c.micro = {"micro avg", 0.85, 0.85, 0.85, 20};
    return r;
}

}  // namespace

class TestUiViews : public QObject {
    Q_OBJECT

private slots:
    void lossPlotBuffersUntilTimer();
    void lossPlotClearAndReset();
    void heatmapCounts();
    void heatmapPaintsWithManyClasses();
    void metricsTableRows();
    void evaluatePageFollowsNewReports();
    void labelChartCounts();
    void formatters();
    void scientificSpinBox();
};

void TestUiViews::lossPlotBuffersUntilTimer() {
    LossPlot plot;
    plot.resize(600, 400);
    plot.show();
    for (int step = 1; step <= 50; ++step)
        plot.addTrainLoss(step, 1.0 / step);
    plot.addDevLoss(25, 0.3);
    // Nothing is plotted per step: points wait in the buffer for the ~30 Hz flush.
    QCOMPARE(plot.trainPointCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(plot.trainPointCount(), 50, 2000);
    QCOMPARE(plot.devPointCount(), 1);
    plot.addTrainLoss(51, 0.01);
    QTRY_COMPARE_WITH_TIMEOUT(plot.trainPointCount(), 51, 2000);
    // The view follows the data: the x axis covers the last step.
    QVERIFY(plot.plot()->xAxis->range().upper >= 51);
    // Non-finite losses are dropped rather than breaking the axis range.
    plot.addTrainLoss(52, std::nan(""));
    QTest::qWait(100);
    QCOMPARE(plot.trainPointCount(), 51);
}

void TestUiViews::lossPlotClearAndReset() {
    LossPlot plot;
    plot.resize(600, 400);
    for (int step = 1; step <= 10; ++step)
        plot.addTrainLoss(step, 2.0);
    QTRY_COMPARE_WITH_TIMEOUT(plot.trainPointCount(), 10, 2000);
    plot.plot()->xAxis->setRange(100, 200);  // as if the user panned away
    plot.resetView();
    QVERIFY(plot.plot()->xAxis->range().contains(10));
    plot.clear();
    QCOMPARE(plot.trainPointCount(), 0);
    QCOMPARE(plot.devPointCount(), 0);
}

void TestUiViews::heatmapCounts() {
    ConfusionHeatmap heatmap;
    QCOMPARE(heatmap.classCount(), 0);
    heatmap.setMatrix({"a", "b", "c"}, {{5, 1, 0}, {2, 6, 2}, {0, 0, 0}});
    QCOMPARE(heatmap.classCount(), 3);
    QCOMPARE(heatmap.cellCount(0, 0), std::int64_t(5));
    QCOMPARE(heatmap.cellCount(1, 2), std::int64_t(2));
    QCOMPARE(heatmap.cellCount(3, 0), std::int64_t(0));  // out of range is 0, not a crash
    QCOMPARE(heatmap.rowShare(1, 1), 0.6);
    QCOMPARE(heatmap.rowShare(2, 2), 0.0);  // empty row
    heatmap.clear();
    QCOMPARE(heatmap.classCount(), 0);
}

void TestUiViews::heatmapPaintsWithManyClasses() {
    ConfusionHeatmap heatmap;
    QStringList labels;
    std::vector<std::vector<std::int64_t>> m(12, std::vector<std::int64_t>(12, 1));
    for (int i = 0; i < 12; ++i)
        labels << QStringLiteral("a rather long class name %1").arg(i);
    heatmap.setMatrix(labels, m);
    heatmap.resize(500, 400);
    const QImage image = heatmap.grab().toImage();
    QVERIFY(!image.isNull());
    // Small sizes must not crash either.
    heatmap.resize(60, 40);
    QVERIFY(!heatmap.grab().isNull());
}

void TestUiViews::metricsTableRows() {
    ClassMetricsTable table;
    table.setReport(fakeReport("dev", 1, 10).report);
    QCOMPARE(table.rowCount(), 5);  // 2 classes + accuracy, macro avg, weighted avg
    QCOMPARE(table.item(0, ClassMetricsTable::LabelColumn)->text(), QStringLiteral("bad"));
    QCOMPARE(table.item(0, ClassMetricsTable::PrecisionColumn)->text(), QStringLiteral("0.889"));
    QCOMPARE(table.item(0, ClassMetricsTable::RecallColumn)->text(), QStringLiteral("0.800"));
    QCOMPARE(table.item(0, ClassMetricsTable::F1Column)->text(), QStringLiteral("0.842"));
    QCOMPARE(table.item(1, ClassMetricsTable::SupportColumn)->text(), QStringLiteral("10"));
    QCOMPARE(table.item(2, ClassMetricsTable::LabelColumn)->text(), QStringLiteral("accuracy"));
    QCOMPARE(table.item(2, ClassMetricsTable::PrecisionColumn)->text(), QString());
    QCOMPARE(table.item(2, ClassMetricsTable::F1Column)->text(), QStringLiteral("0.850"));
    QCOMPARE(table.item(2, ClassMetricsTable::SupportColumn)->text(), QStringLiteral("20"));
    QCOMPARE(table.item(3, ClassMetricsTable::LabelColumn)->text(), QStringLiteral("macro avg"));
    QCOMPARE(table.item(3, ClassMetricsTable::F1Column)->text(), QStringLiteral("0.850"));
    QCOMPARE(table.item(4, ClassMetricsTable::LabelColumn)->text(), QStringLiteral("weighted avg"));
    table.clearReport();
    QCOMPARE(table.rowCount(), 0);
}

void TestUiViews::evaluatePageFollowsNewReports() {
    EvaluatePage page(nullptr);
    QCOMPARE(page.reportCount(), 0);
    QVERIFY(!page.reportCombo()->isEnabled());
    page.addReport(fakeReport("dev", 1, 4));
    auto second = fakeReport("dev", 2, 8);
    second.report.confusion = {{10, 0}, {0, 10}};
    page.addReport(second);
    page.addReport(fakeReport("test", 2, 8));
    QCOMPARE(page.reportCount(), 3);
    QCOMPARE(page.reportCombo()->count(), 3);
    QCOMPARE(page.reportCombo()->currentIndex(), 2);
    QVERIFY(page.reportCombo()->currentText().startsWith(QStringLiteral("Test")));
    QCOMPARE(page.heatmap()->cellCount(0, 1), std::int64_t(2));
    QVERIFY(page.headline().contains(QStringLiteral("0.850")));
    page.reportCombo()->setCurrentIndex(1);
    QCOMPARE(page.heatmap()->cellCount(0, 1), std::int64_t(0));
    QCOMPARE(page.heatmap()->cellCount(1, 1), std::int64_t(10));
    QCOMPARE(page.metricsTable()->rowCount(), 5);
    QVERIFY(!page.heatmap()->isHidden());
    QVERIFY(page.matrixNote()->isHidden());
    // An entity-level NER report has no class confusion matrix: a note replaces the heatmap.
    auto entities = fakeReport("test", 3, 8);
    entities.task = "token_classification";
    entities.report.confusion.clear();
    page.addReport(entities);
    QVERIFY(page.heatmap()->isHidden());
    QVERIFY(!page.matrixNote()->isHidden());
    QVERIFY(page.matrixNote()->text().contains(QStringLiteral("seqeval")));
    // Regression: no classes; the scores are in the headline and the note.
    auto regression = fakeReport("test", 3, 8);
    regression.task = "regression";
    regression.report = {};
    regression.scores = {{"mse", 0.25},  {"rmse", 0.5},    {"mae", 0.375},
                         {"r2", 0.8124}, {"pearson", 0.9}, {"spearman", 0.875}};
    page.addReport(regression);
    QVERIFY(page.heatmap()->isHidden());
    QCOMPARE(page.metricsTable()->rowCount(), 0);
    QVERIFY(page.headline().contains(QStringLiteral("0.375")));
    QVERIFY(page.headline().contains(QStringLiteral("0.812")));
    QVERIFY(page.matrixNote()->text().contains(QStringLiteral("Regression")));
    page.reportCombo()->setCurrentIndex(1);
    QVERIFY(!page.heatmap()->isHidden());
    page.clearReports();
    QCOMPARE(page.heatmap()->classCount(), 0);
    QCOMPARE(page.metricsTable()->rowCount(), 0);
}

void TestUiViews::labelChartCounts() {
    LabelBarChart chart;
    chart.setCounts({"ham", "spam"}, {40, 20});
    QCOMPARE(chart.barCount(), 2);
    QCOMPARE(chart.count(1), qint64(20));
    chart.resize(300, 100);
    QVERIFY(!chart.grab().isNull());
}

void TestUiViews::formatters() {
    QCOMPARE(formatDuration(0), QStringLiteral("0:00:00"));
    QCOMPARE(formatDuration(3725.4), QStringLiteral("1:02:05"));
    QCOMPARE(formatDuration(-1), QStringLiteral("–"));
    QCOMPARE(formatCount(850), QStringLiteral("850"));
    QCOMPARE(formatCount(4385920), QStringLiteral("4.4 M"));
    QCOMPARE(formatCount(109482240), QStringLiteral("109 M"));
    QCOMPARE(formatCount(12300), QStringLiteral("12.3 k"));
    QCOMPARE(formatBytes(512), QStringLiteral("512 B"));
    QCOMPARE(formatBytes(17543680), QStringLiteral("16.7 MB"));
    QCOMPARE(formatLocation("a.csv", 3, 7), QStringLiteral("a.csv:3:7"));
    QCOMPARE(formatLocation("a.csv", 0, 7), QStringLiteral("a.csv"));
    QCOMPARE(runStateText(tb::train::RunState::Cancelled), QStringLiteral("Cancelled"));
}

void TestUiViews::scientificSpinBox() {
    ScientificSpinBox box;
    box.setRange(1e-8, 1.0);
    box.setValue(2e-5);
    QCOMPARE(box.text(), QStringLiteral("2e-05"));
    QCOMPARE(box.valueFromText(QStringLiteral("3e-4")), 3e-4);
    QString text = QStringLiteral("1e-");
    int pos = 0;
    QCOMPARE(box.validate(text, pos), QValidator::Intermediate);
    text = QStringLiteral("abc");
    QCOMPARE(box.validate(text, pos), QValidator::Invalid);
    box.stepBy(4);
    QVERIFY(qAbs(box.value() - 2e-4) < 1e-10);
}

QTEST_MAIN(TestUiViews)
#include "tst_ui_views.moc"
