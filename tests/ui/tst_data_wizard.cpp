// Data page import wizard driven with Qt Test: preview and counts, split counts per class, the
// problem list jumping to rows far down a file, undo/redo of row edits, new version files (the
// original untouched), the YAML round trip, cancelling a load, token files and de-identification.
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDoubleSpinBox>
#include <QFile>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "data/table.h"
#include "dataset/dataset_editor.h"
#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "pages/data_page.h"
#include "pages/table_preview_model.h"
#include "test_support.h"
#include "views/image_grid_view.h"
#include "views/token_length_histogram.h"
#include "views/token_sentence_view.h"
#include "widgets/error_banner.h"
#include "widgets/label_bar_chart.h"

using namespace tb::ui;

namespace {

QString fixture(const QString& name) {
    return QStringLiteral(TB_FIXTURES_DIR "/") + name;
}

bool waitIdle(DataPage* page) {
    return QTest::qWaitFor([page] { return !page->isBusy(); }, 60000);
}

bool writeFile(const QString& path, const QByteArray& text) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

qint64 chartCount(const LabelBarChart* chart, int bar) {
    return chart->count(bar);
}

// Valid examples of `label` in the page's last scan (-1 when the label is unknown).
qint64 classCount(const DataPage& page, const std::string& label) {
    const auto scan = page.lastScan();
    if (!scan)
        return -1;
    for (std::size_t c = 0; c < scan->classNames.size(); ++c)
        if (scan->classNames[c] == label)
            return qint64(scan->classCounts[c]);
    return -1;
}

}  // namespace

class TestDataWizard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void previewCountsAndSplit();
    void lengthHistogramWithTokenizer();
    void problemJumpLoadsRegion();
    void relabelUndoRedo();
    void newVersionKeepsOriginal();
    void yamlRoundTrip();
    void cancelLoad();
    void tokenClassificationFile();
    void deidentificationCounts();
    void sentencePairs();
    void multiLabel();
    void splitColumn();
    void imageFolder();
    void idxImages();
    void hdf5Arrays();

private:
    QTemporaryDir m_dir;
    QString m_model;
};

void TestDataWizard::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_model = m_dir.filePath(QStringLiteral("model"));
    tb::testing::make_tiny_model(m_model.toStdString(),
                                 fixture(QStringLiteral("e2e/tiny_sentiment.csv")).toStdString());
}

void TestDataWizard::previewCountsAndSplit() {
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFile(fixture(QStringLiteral("e2e/tiny_sentiment.csv")));
    QVERIFY(waitIdle(&page));
    QVERIFY(page.errorBanner()->isHidden());
    // 120 rows: all shown (under the 100-row window? no: the first 100).
    QCOMPARE(page.previewModel()->totalRows(), 120);
    QCOMPARE(page.previewModel()->rowCount(), 100);
    QCOMPARE(page.previewModel()->headerData(0, Qt::Vertical).toLongLong(), 2LL);
    QCOMPARE(page.previewModel()->data(page.previewModel()->index(0, 1)).toString(),
             QStringLiteral("positive"));
    QCOMPARE(page.summaryValue(QStringLiteral("Rows")), QStringLiteral("120"));
    QCOMPARE(page.summaryValue(QStringLiteral("Classes")), QStringLiteral("2"));
    QCOMPARE(page.summaryValue(QStringLiteral("Bad rows")), QStringLiteral("0"));
    QCOMPARE(page.labelChart()->barCount(), 2);
    QCOMPARE(chartCount(page.labelChart(), 0) + chartCount(page.labelChart(), 1), qint64(120));
    QVERIFY(page.summaryValue(QStringLiteral("Format")).contains(QStringLiteral("CSV")));

    // Split table: per class train/dev/test adding up to the class count; 80/10/10.
    QTableWidget* split = page.splitTable();
    QCOMPARE(split->rowCount(), 3);  // two classes + "All"
    for (int c = 0; c < 2; ++c) {
        const int total = split->item(c, 3)->text().toInt();
        QCOMPARE(total, int(chartCount(page.labelChart(), c)));
        QCOMPARE(split->item(c, 0)->text().toInt() + split->item(c, 1)->text().toInt() +
                     split->item(c, 2)->text().toInt(),
                 total);
    }
    QCOMPARE(split->item(2, 0)->text().toInt(), 96);
    QCOMPARE(split->item(2, 1)->text().toInt(), 12);
    QCOMPARE(split->item(2, 2)->text().toInt(), 12);

    // Changing the fractions recomputes the split from the table already read.
    auto* train = page.findChildren<QDoubleSpinBox*>().value(0);
    QVERIFY(train);
    doc.update([](tb::io::ExperimentConfig& c) {
        c.dataset.train_fraction = 0.5;
        c.dataset.dev_fraction = 0.25;
        c.dataset.test_fraction = 0.25;
    });
    QVERIFY(waitIdle(&page));
    QCOMPARE(page.splitTable()->item(2, 0)->text().toInt(), 60);
    QCOMPARE(page.splitTable()->item(2, 1)->text().toInt(), 30);
}

void TestDataWizard::lengthHistogramWithTokenizer() {
    ExperimentDocument doc;
    doc.update([&](tb::io::ExperimentConfig& c) {
        c.model.path = m_model.toStdString();
        c.model.max_length = 8;
    });
    DataPage page(&doc);
    page.setDataFile(fixture(QStringLiteral("e2e/tiny_sentiment.csv")));
    QVERIFY(waitIdle(&page));
    auto scan = page.lastScan();
    QVERIFY(scan);
    QVERIFY2(scan->tokenizerError.isEmpty(), qPrintable(scan->tokenizerError));
    QCOMPARE(scan->lengths.size(), std::size_t(120));
    // Sentences of 6-8 words plus [CLS]/[SEP]: some pass 8 tokens, none is under 3.
    std::size_t over = 0;
    for (int n : scan->lengths) {
        QVERIFY(n >= 3);
        over += n > 8 ? 1 : 0;
    }
    QCOMPARE(scan->truncated, over);
    QVERIFY(over > 0);
    QCOMPARE(page.lengthHistogram()->examplesShown(), 120);
    QVERIFY(page.summaryValue(QStringLiteral("Truncated"))
                .startsWith(QString::number(over) + QStringLiteral(" of 120")));
    QVERIFY(page.lengthHistogram()->binCount() > 0);
}

void TestDataWizard::problemJumpLoadsRegion() {
    // 1000 rows; line 802 (row 800) has empty text, far past the first preview window.
    QByteArray csv = "text,label\n";
    for (int i = 0; i < 1000; ++i)
        csv += (i == 800 ? QByteArray() : "example number " + QByteArray::number(i)) + "," +
               (i % 2 ? "odd" : "even") + "\n";
    const QString path = m_dir.filePath(QStringLiteral("long.csv"));
    QVERIFY(writeFile(path, csv));
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFile(path);
    QVERIFY(waitIdle(&page));
    QListWidget* problems = page.problemList();
    QCOMPARE(problems->count(), 1);
    QVERIFY2(problems->item(0)->text().contains(QStringLiteral("long.csv:802")),
             qPrintable(problems->item(0)->text()));
    QCOMPARE(page.previewModel()->firstShownRow(), 0);
    QCOMPARE(page.previewModel()->rowForLine(802), -1);  // not in the first 100 rows

    page.resize(1100, 760);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.steps()->setCurrentIndex(DataPage::ValidationStep);
    QTest::qWait(20);
    const QPoint at = problems->visualItemRect(problems->item(0)).center();
    QTest::mouseClick(problems->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(problems->viewport(), Qt::LeftButton, {}, at);
    const int row = page.previewModel()->rowForLine(802);
    QVERIFY(row >= 0);
    QVERIFY(page.previewModel()->firstShownRow() > 0);
    const QModelIndexList selected = page.previewView()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(page.previewModel()->headerData(selected.first().row(), Qt::Vertical).toLongLong(),
             802LL);
}

void TestDataWizard::relabelUndoRedo() {
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFile(fixture(QStringLiteral("e2e/tiny_sentiment.csv")));
    QVERIFY(waitIdle(&page));
    const qint64 positives = classCount(page, "positive");
    QCOMPARE(page.previewModel()->data(page.previewModel()->index(0, 1)).toString(),
             QStringLiteral("positive"));

    page.relabelRow(0, QStringLiteral("negative"));
    QVERIFY(waitIdle(&page));
    QCOMPARE(classCount(page, "positive"), positives - 1);
    QCOMPARE(page.previewModel()->data(page.previewModel()->index(0, 1)).toString(),
             QStringLiteral("negative"));
    QVERIFY(page.undoAction()->isEnabled());

    // Ctrl+Z / Ctrl+Shift+Z on the page.
    page.show();
    page.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&page));
    page.previewView()->setFocus();
    QTest::keyClick(page.previewView(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(waitIdle(&page));
    QCOMPARE(classCount(page, "positive"), positives);
    QCOMPARE(page.previewModel()->data(page.previewModel()->index(0, 1)).toString(),
             QStringLiteral("positive"));
    QTest::keyClick(page.previewView(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(waitIdle(&page));
    QCOMPARE(classCount(page, "positive"), positives - 1);

    // Excluding a row is undoable too.
    page.setRowExcluded(1, true);
    QVERIFY(waitIdle(&page));
    QCOMPARE(page.summaryValue(QStringLiteral("Valid examples")), QStringLiteral("119"));
    page.undoAction()->trigger();
    QVERIFY(waitIdle(&page));
    QCOMPARE(page.summaryValue(QStringLiteral("Valid examples")), QStringLiteral("120"));
}

void TestDataWizard::newVersionKeepsOriginal() {
    const QString original = m_dir.filePath(QStringLiteral("reviews.csv"));
    QFile::remove(original);
    QFile::remove(m_dir.filePath(QStringLiteral("reviews.v2.csv")));
    QVERIFY(QFile::copy(fixture(QStringLiteral("e2e/tiny_sentiment.csv")), original));
    const QByteArray before = fileHash(original);
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFile(original);
    QVERIFY(waitIdle(&page));
    page.relabelRow(0, QStringLiteral("neutral"));
    page.setRowExcluded(2, true);
    QVERIFY(waitIdle(&page));
    const QString saved = page.saveNewVersion();
    QCOMPARE(saved, m_dir.filePath(QStringLiteral("reviews.v2.csv")));
    QVERIFY(page.errorBanner()->isHidden());
    QCOMPARE(fileHash(original), before);
    QCOMPARE(doc.resolvedPath(doc.config().dataset.path), saved);
    QVERIFY(!page.undoAction()->isEnabled());  // edits are in the file now
    QVERIFY(waitIdle(&page));
    QCOMPARE(page.summaryValue(QStringLiteral("Rows")), QStringLiteral("119"));
    QCOMPARE(page.summaryValue(QStringLiteral("Classes")), QStringLiteral("3"));
    const auto table = tb::data::read_table(saved.toStdString());
    QCOMPARE(table.rows.size(), std::size_t(119));
    QCOMPARE(table.rows[0][1], std::string("neutral"));
    // A second save never overwrites the first version.
    page.relabelRow(0, QStringLiteral("positive"));
    QVERIFY(waitIdle(&page));
    QCOMPARE(page.saveNewVersion(), m_dir.filePath(QStringLiteral("reviews.v3.csv")));
    QCOMPARE(tb::data::read_table(saved.toStdString()).rows[0][1], std::string("neutral"));
}

void TestDataWizard::yamlRoundTrip() {
    const QString yaml = m_dir.filePath(QStringLiteral("roundtrip.yaml"));
    {
        ExperimentDocument doc;
        doc.update([&](tb::io::ExperimentConfig& c) { c.model.path = m_model.toStdString(); });
        DataPage page(&doc);
        page.setDataFile(fixture(QStringLiteral("ui/separable.csv")));
        QVERIFY(waitIdle(&page));
        // The guessed columns, then choices made in the widgets.
        QCOMPARE(doc.config().dataset.text_column, std::string("text"));
        QCOMPARE(doc.config().dataset.label_column, std::string("label"));
        auto* format = page.formatCombo();
        format->setCurrentIndex(format->findData(QStringLiteral("csv")));
        emit format->activated(format->currentIndex());
        auto spins = page.findChildren<QDoubleSpinBox*>();
        QCOMPARE(spins.size(), 3);
        spins[0]->setValue(0.6);
        spins[1]->setValue(0.2);
        spins[2]->setValue(0.2);
        QVERIFY(waitIdle(&page));
        QVERIFY(doc.save(yaml));
    }
    const auto config = tb::io::load_experiment(yaml.toStdString());
    QCOMPARE(config.dataset.format, std::string("csv"));
    QCOMPARE(config.dataset.train_fraction, 0.6);
    QCOMPARE(config.dataset.dev_fraction, 0.2);
    ExperimentDocument doc;
    QVERIFY(doc.load(yaml));
    DataPage page(&doc);
    QVERIFY(waitIdle(&page));
    QCOMPARE(page.formatCombo()->currentData().toString(), QStringLiteral("csv"));
    QCOMPARE(page.textColumnCombo()->currentData().toString(), QStringLiteral("text"));
    QCOMPARE(page.previewModel()->totalRows(), 60);
    QCOMPARE(page.splitTable()->item(2, 0)->text().toInt(), 36);
    QCOMPARE(page.splitTable()->item(2, 1)->text().toInt(), 12);
    QVERIFY(!doc.isModified());  // loading does not edit the experiment
}

void TestDataWizard::cancelLoad() {
    // ~24 MB: reading and parsing take long enough to cancel mid-way on any machine, and the
    // result of a cancelled scan is dropped even if the worker finishes.
    const QString path = m_dir.filePath(QStringLiteral("big.csv"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("text,label\n");
        const QByteArray line = "a fairly long review text to make the file big enough,pos\n";
        for (int i = 0; i < 400000; ++i)
            f.write(line);
    }
    ExperimentDocument doc;
    DataPage page(&doc);
    page.show();
    QSignalSpy ended(&page, &DataPage::scanEnded);
    page.setDataFile(path);
    QTRY_VERIFY(page.cancelButton()->isVisible());
    QVERIFY(page.isBusy());
    QTest::mouseClick(page.cancelButton(), Qt::LeftButton);
    QVERIFY(!page.isBusy());
    QCOMPARE(ended.count(), 1);
    QVERIFY(!page.lastScan());
    QCOMPARE(page.previewModel()->rowCount(), 0);
    QVERIFY(!page.cancelButton()->isVisible());
    QTest::qWait(200);
    QVERIFY(!page.lastScan());  // the worker's late result is dropped
    QVERIFY(page.errorBanner()->isHidden());
}

void TestDataWizard::tokenClassificationFile() {
    ExperimentDocument doc;
    DataPage page(&doc);
    auto* format = page.formatCombo();
    format->setCurrentIndex(format->findData(QStringLiteral("conll")));
    emit format->activated(format->currentIndex());
    page.setDataFile(fixture(QStringLiteral("data/ner/conll2003_bio.conll")));
    QVERIFY(waitIdle(&page));
    QVERIFY2(page.errorBanner()->isHidden(), qPrintable(page.errorBanner()->text()));
    QCOMPARE(page.taskCombo()->currentData().toInt(), int(TaskType::TokenClassification));
    auto scan = page.lastScan();
    QVERIFY(scan && scan->tokens);
    QVERIFY(page.sentenceView()->sentencesShown() > 0);
    QVERIFY(page.sentenceView()->entityTypes().contains(QStringLiteral("PER")));
    QVERIFY(page.sentenceView()->entityTypes().contains(QStringLiteral("ORG")));
    QVERIFY(page.sentenceView()->toHtml().contains(QStringLiteral("Blackburn")));
    QVERIFY(page.summaryValue(QStringLiteral("Trains as"))
                .startsWith(QStringLiteral("token classification")));
    QCOMPARE(doc.config().dataset.format, std::string("conll"));
    QCOMPARE(doc.config().dataset.task, std::string("token_classification"));

    // Invalid transitions are listed with their lines.
    page.setDataFile(fixture(QStringLiteral("data/ner/invalid_bio.conll")));
    QVERIFY(waitIdle(&page));
    bool found = false;
    for (int i = 0; i < page.problemList()->count(); ++i)
        found = found ||
                page.problemList()->item(i)->text().contains(QStringLiteral("invalid_bio.conll:"));
    QVERIFY(found);
}

void TestDataWizard::deidentificationCounts() {
    const QString path = m_dir.filePath(QStringLiteral("contacts.csv"));
    QVERIFY(writeFile(path,
                      "text,label\n"
                      "write to ann@example.com today,a\n"
                      "see https://example.org/x or call +1 555 123 4567,b\n"
                      "nothing here,a\n"
                      "server 10.0.0.1 is down,b\n"));
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFile(path);
    QVERIFY(waitIdle(&page));
    auto* box = page.findChild<QCheckBox*>();
    QVERIFY(box);
    box->setChecked(true);
    QVERIFY(waitIdle(&page));
    const auto& masked = page.lastScan()->masked;
    QCOMPARE(masked.email, std::size_t(1));
    QCOMPARE(masked.url, std::size_t(1));
    QCOMPARE(masked.phone, std::size_t(1));
    QCOMPARE(masked.ip, std::size_t(1));
    QVERIFY(doc.config().dataset.deidentify);  // applied when the data is read for training
    // Nothing is written: the file keeps its text.
    QCOMPARE(tb::data::read_table(path.toStdString()).rows[0][0],
             std::string("write to ann@example.com today"));
}

void TestDataWizard::sentencePairs() {
    const QString path = m_dir.filePath(QStringLiteral("pairs.csv"));
    QVERIFY(writeFile(path,
                      "premise,hypothesis,label\n"
                      "a man sleeps,a person rests,entailment\n"
                      "a man sleeps,a man runs,contradiction\n"
                      "kids play,,neutral\n"
                      "kids play,children are playing,entailment\n"));
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFile(path);
    QVERIFY(waitIdle(&page));
    QCOMPARE(doc.config().dataset.text_column, std::string("premise"));  // first column
    auto* task = page.taskCombo();
    task->setCurrentIndex(task->findData(int(TaskType::SentencePair)));
    emit task->activated(task->currentIndex());
    QVERIFY(waitIdle(&page));
    QCOMPARE(doc.config().dataset.text_pair_column, std::string("hypothesis"));
    QCOMPARE(doc.config().dataset.task, std::string("text_classification"));
    auto scan = page.lastScan();
    QVERIFY(scan && scan->text);
    QCOMPARE(scan->text->examples.size(), std::size_t(3));
    QCOMPARE(scan->emptyText, std::size_t(1));  // the empty hypothesis on line 4
    QVERIFY(page.problemList()->item(0)->text().contains(QStringLiteral("pairs.csv:4")));
}

void TestDataWizard::multiLabel() {
    const QString path = m_dir.filePath(QStringLiteral("tags.csv"));
    QByteArray csv = "text,label\n";
    for (int i = 0; i < 30; ++i)
        csv += "item " + QByteArray::number(i) + "," +
               (i % 3 == 0   ? "sports|news"
                : i % 3 == 1 ? "news"
                             : "tech") +
               "\n";
    QVERIFY(writeFile(path, csv));
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFile(path);
    QVERIFY(waitIdle(&page));
    auto* task = page.taskCombo();
    task->setCurrentIndex(task->findData(int(TaskType::MultiLabel)));
    emit task->activated(task->currentIndex());
    QVERIFY(waitIdle(&page));
    QCOMPARE(doc.config().dataset.task, std::string("multi_label"));
    QCOMPARE(doc.config().dataset.label_separator, std::string("|"));
    auto scan = page.lastScan();
    QVERIFY(scan && scan->multi);
    QCOMPARE(classCount(page, "news"), qint64(20));
    QCOMPARE(classCount(page, "sports"), qint64(10));
    QCOMPARE(classCount(page, "tech"), qint64(10));
    // Per-label split counts add up to the label counts.
    for (int c = 0; c < 3; ++c) {
        const int total = page.splitTable()->item(c, 3)->text().toInt();
        QCOMPARE(qint64(total), qint64(scan->classCounts[std::size_t(c)]));
    }
}

void TestDataWizard::splitColumn() {
    const QString path = m_dir.filePath(QStringLiteral("presplit.csv"));
    QByteArray csv = "text,label,split\n";
    for (int i = 0; i < 20; ++i)
        csv += "row " + QByteArray::number(i) + "," + (i % 2 ? "a" : "b") + "," +
               (i < 14   ? "train"
                : i < 17 ? "validation"
                         : "test") +
               "\n";
    QVERIFY(writeFile(path, csv));
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFile(path);
    QVERIFY(waitIdle(&page));
    auto* combo = page.splitColumnCombo();
    combo->setCurrentIndex(combo->findData(QStringLiteral("split")));
    emit combo->activated(combo->currentIndex());
    QVERIFY(waitIdle(&page));
    QCOMPARE(doc.config().dataset.split_column, std::string("split"));
    QCOMPARE(page.lastScan()->splitSource, QStringLiteral("column"));
    const int all = page.splitTable()->rowCount() - 1;
    QCOMPARE(page.splitTable()->item(all, 0)->text().toInt(), 14);
    QCOMPARE(page.splitTable()->item(all, 1)->text().toInt(), 3);
    QCOMPARE(page.splitTable()->item(all, 2)->text().toInt(), 3);
}

void TestDataWizard::imageFolder() {
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFolder(fixture(QStringLiteral("data/images/folder")));
    QVERIFY(waitIdle(&page));
    QVERIFY2(page.errorBanner()->isHidden(), qPrintable(page.errorBanner()->text()));
    QCOMPARE(doc.config().dataset.task, std::string("image_classification"));
    QCOMPARE(doc.config().dataset.format, std::string("image_folder"));
    QCOMPARE(page.imageGrid()->classCount(), 2);  // cat, dog
    QVERIFY(page.imageGrid()->thumbnailCount() >= 4);
    QCOMPARE(classCount(page, "cat"), qint64(2));
    QVERIFY(page.summaryValue(QStringLiteral("Trains as"))
                .startsWith(QStringLiteral("image classification (softmax over 2 classes)")));
}

void TestDataWizard::idxImages() {
    ExperimentDocument doc;
    DataPage page(&doc);
    auto* format = page.formatCombo();
    format->setCurrentIndex(format->findData(QStringLiteral("idx")));
    emit format->activated(format->currentIndex());
    doc.update([&](tb::io::ExperimentConfig& c) {
        c.dataset.labels_path =
            fixture(QStringLiteral("data/images/fashion-10-labels-idx1-ubyte")).toStdString();
    });
    page.setDataFile(fixture(QStringLiteral("data/images/fashion-10-images-idx3-ubyte.gz")));
    QVERIFY(waitIdle(&page));
    QVERIFY2(page.errorBanner()->isHidden(), qPrintable(page.errorBanner()->text()));
    QCOMPARE(page.summaryValue(QStringLiteral("Images")), QStringLiteral("10"));
    QCOMPARE(page.summaryValue(QStringLiteral("Image size")), QStringLiteral("28×28×1"));
    QVERIFY(page.imageGrid()->thumbnailCount() == 10);
    // The experiment describes it: task, format and labels file survive a save and load.
    const QString yaml = m_dir.filePath(QStringLiteral("idx.yaml"));
    doc.update([&](tb::io::ExperimentConfig& c) { c.model.path = m_model.toStdString(); });
    QVERIFY2(doc.save(yaml), qPrintable(doc.errorString()));
    const auto config = tb::io::load_experiment(yaml.toStdString());
    QCOMPARE(config.dataset.task, std::string("image_classification"));
    QCOMPARE(config.dataset.format, std::string("idx"));
    QVERIFY(!config.dataset.labels_path.empty());
}

void TestDataWizard::hdf5Arrays() {
    ExperimentDocument doc;
    DataPage page(&doc);
    auto* format = page.formatCombo();
    format->setCurrentIndex(format->findData(QStringLiteral("hdf5")));
    emit format->activated(format->currentIndex());
    page.setDataFile(fixture(QStringLiteral("data/hdf5/int_labels.h5")));
    QVERIFY(waitIdle(&page));
    QVERIFY2(page.errorBanner()->isHidden(), qPrintable(page.errorBanner()->text()));
    QCOMPARE(doc.config().dataset.task, std::string("image_classification"));
    // X is 6 x 2 x 3, y = [0 2 1 2 0 2] (h5py).
    QCOMPARE(page.summaryValue(QStringLiteral("Images")), QStringLiteral("6"));
    QCOMPARE(classCount(page, "0"), qint64(2));
    QCOMPARE(classCount(page, "1"), qint64(1));
    QCOMPARE(classCount(page, "2"), qint64(3));
    QCOMPARE(page.imageGrid()->thumbnailCount(), 6);
}

QTEST_MAIN(TestDataWizard)
#include "tst_data_wizard.moc"
