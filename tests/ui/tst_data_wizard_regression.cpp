// The Data page's Regression task: the picker writes dataset.task regression (round trip through
// the YAML), bad target values are problems with file, line and column (as the trainer reports
// them), and the target statistics and histogram equal numpy's (regression_reference.json, made
// by tests/fixtures/ui/make_regression_reference.py). Sentence-pair regression (STS-B style:
// two texts and a score, sts_pairs.csv): the optional second text column round-trips, the scan
// reads it in the training and the dev file, and duplicate pairs are listed at their lines.
#include <QComboBox>
#include <QFile>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "data/regression_rows.h"
#include "dataset/dataset_scan.h"
#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "pages/data_page.h"
#include "pages/table_preview_model.h"
#include "text/bert_tokenizer.h"
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

void choose(QComboBox* combo, const QString& data) {
    combo->setCurrentIndex(combo->findData(data));
    emit combo->activated(combo->currentIndex());
}

QString formLabel(QComboBox* field) {
    auto* form = qobject_cast<QFormLayout*>(field->parentWidget()->layout());
    auto* label = form ? qobject_cast<QLabel*>(form->labelForField(field)) : nullptr;
    return label ? label->text() : QString();
}

struct Finding {
    long line;
    const char* kind;
};

// What sts_pairs.csv holds (header = line 1): bad rows, and duplicates of the text pair.
const Finding kPairProblems[] = {{10, "empty_text"}, {11, "invalid_number"}};
const Finding kPairDuplicates[] = {{4, "duplicate"},
                                   {7, "conflicting_duplicate"},
                                   {9, "duplicate"},
                                   {12, "conflicting_duplicate"}};

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
    void pairRoundTrip();
    void pairScanDuplicates();
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

// Regression with a second text column: picked on the page, written as dataset.text_pair_column
// with dataset.task regression, read back the same when the experiment is opened again; "(none)"
// takes the pair away and the task stays regression.
void TestDataWizardRegression::pairRoundTrip() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString yaml = dir.filePath(QStringLiteral("sts.yaml"));
    {
        ExperimentDocument doc;
        doc.update([](tb::io::ExperimentConfig& c) { c.model.path = "bert-model"; });
        DataPage page(&doc);
        page.setDataFile(fixture(QStringLiteral("sts_pairs.csv")));
        QVERIFY(waitIdle(&page));
        auto* pair = page.pairColumnCombo();
        QVERIFY(pair->isHidden());  // text classification: no second text
        chooseRegression(page);
        QVERIFY(waitIdle(&page));
        QVERIFY(!pair->isHidden());
        QCOMPARE(formLabel(pair),
                 QStringLiteral("Second text (optional, sentence-pair regression):"));
        // Optional: "(none)" first and chosen until a column is picked.
        QCOMPARE(pair->itemData(0).toString(), QString());
        QCOMPARE(pair->currentIndex(), 0);
        QCOMPARE(doc.config().dataset.text_pair_column, std::string());
        choose(page.textColumnCombo(), QStringLiteral("sentence1"));
        choose(pair, QStringLiteral("sentence2"));
        choose(page.labelColumnCombo(), QStringLiteral("score"));
        QVERIFY(waitIdle(&page));
        QCOMPARE(doc.config().dataset.task, std::string("regression"));
        QCOMPARE(doc.config().dataset.text_column, std::string("sentence1"));
        QCOMPARE(doc.config().dataset.text_pair_column, std::string("sentence2"));
        QCOMPARE(doc.config().dataset.label_column, std::string("score"));
        QVERIFY(page.lastScan() && page.lastScan()->regression);
        QCOMPARE(page.lastScan()->targets.size(), std::size_t(17));
        QCOMPARE(page.lastScan()->duplicates, std::size_t(4));
        QVERIFY(doc.save(yaml));
    }
    const auto config = tb::io::load_experiment(yaml.toStdString());
    QCOMPARE(config.dataset.task, std::string("regression"));
    QCOMPARE(config.dataset.text_column, std::string("sentence1"));
    QCOMPARE(config.dataset.text_pair_column, std::string("sentence2"));
    QCOMPARE(config.dataset.label_column, std::string("score"));

    ExperimentDocument doc;
    QVERIFY(doc.load(yaml));
    DataPage page(&doc);
    QVERIFY(waitIdle(&page));
    QCOMPARE(TaskType(page.taskCombo()->currentData().toInt()), TaskType::Regression);
    QCOMPARE(page.textColumnCombo()->currentData().toString(), QStringLiteral("sentence1"));
    QCOMPARE(page.pairColumnCombo()->currentData().toString(), QStringLiteral("sentence2"));
    QCOMPARE(page.labelColumnCombo()->currentData().toString(), QStringLiteral("score"));
    QVERIFY(!page.pairColumnCombo()->isHidden());
    // No classes: the rare-label setting is not shown.
    auto* rare = page.findChild<QWidget*>(QStringLiteral("rareLabelRow"));
    QVERIFY(rare && rare->isHidden());
    QVERIFY(!doc.isModified());
    QVERIFY(page.lastScan() && page.lastScan()->regression);
    QCOMPARE(page.lastScan()->duplicates, std::size_t(4));
    QCOMPARE(page.summaryValue(QStringLiteral("Duplicates")), QStringLiteral("4"));
    // The preview shows both texts (and the target) in bold as chosen columns.
    auto* preview = page.previewModel();
    QCOMPARE(preview->columnCount(), 3);
    for (int c = 0; c < 3; ++c)
        QVERIFY(preview->headerData(c, Qt::Horizontal, Qt::FontRole).value<QFont>().bold());
    QCOMPARE(preview->cell(0, QStringLiteral("sentence2")),
             QStringLiteral("A man plays the guitar."));

    // Back to single texts: line 10's empty second text no longer matters, and rows that share
    // sentence1 become duplicates (lines 4, 6, 7, 9, 10, 12).
    choose(page.pairColumnCombo(), QString());
    QVERIFY(waitIdle(&page));
    QCOMPARE(doc.config().dataset.task, std::string("regression"));
    QCOMPARE(doc.config().dataset.text_pair_column, std::string());
    QCOMPARE(page.lastScan()->problems.size(), std::size_t(1));
    QCOMPARE(page.lastScan()->duplicates, std::size_t(5));

    // Sentence-pair classification keeps a chosen second column; text classification drops it.
    choose(page.pairColumnCombo(), QStringLiteral("sentence2"));
    QVERIFY(waitIdle(&page));
    auto* task = page.taskCombo();
    task->setCurrentIndex(task->findData(int(TaskType::TextClassification)));
    emit task->activated(task->currentIndex());
    QVERIFY(waitIdle(&page));
    QCOMPARE(doc.config().dataset.text_pair_column, std::string());
    QVERIFY(page.pairColumnCombo()->isHidden());
    QVERIFY(!rare->isHidden());
}

// The scan on its own: problems and duplicate warnings with file and line, in line order; the dev
// file is read with the same pair column (its empty second text is a problem of that file).
void TestDataWizardRegression::pairScanDuplicates() {
    DatasetScanRequest request;
    request.path = fixture(QStringLiteral("sts_pairs.csv"));
    request.task = TaskType::Regression;
    request.textColumn = "sentence1";
    request.textPairColumn = "sentence2";
    request.labelColumn = "score";
    request.devPath = fixture(QStringLiteral("sts_pairs_dev.csv"));
    request.modelPath = QStringLiteral(TB_FIXTURES_DIR "/model/tiny_bert");
    request.maxLength = 12;
    ScanControl control;
    const DatasetScan scan = runDatasetScan(request, control);
    QVERIFY(scan.columnError.isEmpty());
    QVERIFY(scan.regression);
    QCOMPARE(scan.rows, std::size_t(19));
    QCOMPARE(scan.targets.size(), std::size_t(17));

    QCOMPARE(scan.problems.size(), std::size_t(3));
    for (std::size_t i = 0; i < 2; ++i) {
        QCOMPARE(scan.problems[i].line, kPairProblems[i].line);
        QCOMPARE(QString::fromStdString(scan.problems[i].kind),
                 QString::fromLatin1(kPairProblems[i].kind));
        QVERIFY(QString::fromStdString(scan.problems[i].file).endsWith("/sts_pairs.csv"));
    }
    QCOMPARE(scan.problems[0].column, 2L);  // the empty second text
    QCOMPARE(scan.problems[1].column, 3L);  // "abc"
    QCOMPARE(scan.emptyText, std::size_t(1));
    QCOMPARE(scan.otherInvalid, std::size_t(1));
    const auto& dev = scan.problems[2];
    QVERIFY(QString::fromStdString(dev.file).endsWith("/sts_pairs_dev.csv"));
    QCOMPARE(dev.line, 3L);
    QCOMPARE(dev.column, 2L);
    QCOMPARE(QString::fromStdString(dev.kind), QStringLiteral("empty_text"));

    QCOMPARE(scan.duplicates, std::size_t(4));
    QCOMPARE(scan.warnings.size(), std::size_t(4));
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& w = scan.warnings[i];
        QCOMPARE(w.line, kPairDuplicates[i].line);
        QCOMPARE(QString::fromStdString(w.kind), QString::fromLatin1(kPairDuplicates[i].kind));
        QVERIFY(QString::fromStdString(w.file).endsWith("/sts_pairs.csv"));
    }
    QCOMPARE(QString::fromStdString(scan.warnings[0].message),
             QStringLiteral("the same text pair as line 2 with the same target"));
    QCOMPARE(QString::fromStdString(scan.warnings[1].message),
             QStringLiteral("the same text pair as line 3 but with the target 3 (line 3 has 4.2)"));
    QCOMPARE(QString::fromStdString(scan.warnings[2].message),
             QStringLiteral("the same text pair as line 5 with the same target"));
    QCOMPARE(QString::fromStdString(scan.warnings[3].message),
             QStringLiteral("the same text pair as line 2 but with the target 5 (line 2 has 4.8)"));

    // Lengths in tokens of each valid pair, as the trainer encodes it: [CLS] a [SEP] b [SEP].
    QVERIFY2(scan.tokenizerError.isEmpty(), qPrintable(scan.tokenizerError));
    QCOMPARE(scan.lengths.size(), std::size_t(17));
    const auto tokenizer = tb::text::BertTokenizer::from_model_dir(request.modelPath.toStdString());
    const auto first =
        tokenizer.encode_pair("A man is playing a guitar.", "A man plays the guitar.");
    QCOMPARE(scan.lengths[0], int(first.input_ids.size()));
    std::size_t longer = 0;
    for (int n : scan.lengths)
        longer += n > 12 ? 1 : 0;
    QCOMPARE(scan.truncated, longer);
    QVERIFY(longer > 0 && longer < 17);

    // Split from files: every valid training row, the dev file's two valid pairs.
    QCOMPARE(scan.splitSource, QStringLiteral("files"));
    QCOMPARE(scan.splitCounts.size(), std::size_t(1));
    QCOMPARE(scan.splitCounts[0][0], std::size_t(17));
    QCOMPARE(scan.splitCounts[0][1], std::size_t(2));
    QCOMPARE(scan.splitCounts[0][2], std::size_t(0));

    // On the page: the list shows them with file and line, and the caption counts them.
    ExperimentDocument doc;
    doc.update([](tb::io::ExperimentConfig& c) {
        c.dataset.task = "regression";
        c.dataset.text_column = "sentence1";
        c.dataset.text_pair_column = "sentence2";
        c.dataset.label_column = "score";
    });
    DataPage page(&doc);
    page.setDataFile(fixture(QStringLiteral("sts_pairs.csv")));
    QVERIFY(waitIdle(&page));
    QCOMPARE(page.problemList()->count(), 6);
    QCOMPARE(
        page.problemList()->item(2)->text(),
        QStringLiteral("⚠ sts_pairs.csv:4: the same text pair as line 2 with the same target"));
}

QTEST_MAIN(TestDataWizardRegression)
#include "tst_data_wizard_regression.moc"
