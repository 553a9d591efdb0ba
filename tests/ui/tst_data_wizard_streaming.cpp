// The Data page on files above the streaming threshold (lowered to 1 MiB here): progress to
// 100 %, the note with the memory bound, the preview of the first rows, counts / problems /
// split equal to the in-memory path on the same content, jumping to a problem past the preview,
// rescans reusing the row index, and cancel.
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "dataset/dataset_editor.h"
#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "pages/data_page.h"
#include "pages/table_preview_model.h"
#include "widgets/error_banner.h"

using namespace tb::ui;

namespace {

constexpr quint64 kLowThreshold = quint64(1) << 20;

bool waitIdle(DataPage* page) {
    return QTest::qWaitFor([page] { return !page->isBusy(); }, 60000);
}

// ~2.6 MB: 30000 rows with empty texts, missing labels, duplicates (same and conflicting
// label) and a rare label, some far past the preview's first 1000 rows.
QByteArray problemCsv() {
    QByteArray csv = "id,text,label\n";
    for (int i = 0; i < 30000; ++i) {
        QByteArray text = "review number " + QByteArray::number(i % 29000) +
                          " with some words to make the row longer than a few bytes";
        if (i % 4999 == 17)
            text.clear();
        QByteArray label = i % 3 ? "pos" : (i % 2 ? "neg" : "neu");
        if (i % 7919 == 3)
            label.clear();
        if (i == 25000)
            label = "rare";
        csv += QByteArray::number(i) + ",\"" + text + "\"," + label + "\n";
    }
    return csv;
}

QStringList problemTexts(const DataPage& page) {
    QStringList out;
    for (int i = 0; i < page.problemList()->count(); ++i)
        out << page.problemList()->item(i)->text();
    return out;
}

QStringList splitCells(const DataPage& page) {
    QStringList out;
    const QTableWidget* t = page.splitTable();
    for (int r = 0; r < t->rowCount(); ++r)
        for (int c = 0; c < t->columnCount(); ++c)
            out << (t->item(r, c) ? t->item(r, c)->text() : QString());
    return out;
}

}  // namespace

class TestDataWizardStreaming : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void countsEqualInMemoryPath();
    void jumpPastPreviewAndRescan();
    void cancelIndexing();

private:
    QTemporaryDir m_dir;
    QString m_csv;
};

void TestDataWizardStreaming::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_csv = m_dir.filePath(QStringLiteral("large.csv"));
    QFile f(m_csv);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QByteArray csv = problemCsv();
    QCOMPARE(f.write(csv), qint64(csv.size()));
    QVERIFY(csv.size() > qint64(2 * kLowThreshold));
}

void TestDataWizardStreaming::countsEqualInMemoryPath() {
    ExperimentDocument streamedDoc;
    DataPage streamed(&streamedDoc);
    streamed.setStreamingThreshold(kLowThreshold);
    QList<int> progress;
    connect(streamed.progressBar(), &QProgressBar::valueChanged, this,
            [&progress](int v) { progress << v; });
    streamed.setDataFile(m_csv);
    QVERIFY(waitIdle(&streamed));
    QVERIFY2(streamed.errorBanner()->isHidden(), "no error expected");
    const auto scan = streamed.lastScan();
    QVERIFY(scan);
    QVERIFY(scan->streamed);
    QVERIFY(scan->rowIndex);
    QVERIFY(!scan->text);  // the rows are not held
    QCOMPARE(scan->table->rows.size(), kStreamingPreviewRows);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last(), 1000);
    for (int i = 1; i < progress.size(); ++i)
        QVERIFY(progress[i] >= progress[i - 1]);

    // The note states streaming mode and the memory bound.
    QVERIFY(!streamed.streamingNote()->isHidden());
    QVERIFY2(streamed.streamingNote()->text().contains(QStringLiteral("read on demand")),
             qPrintable(streamed.streamingNote()->text()));
    QVERIFY(streamed.streamingNote()->text().contains(QStringLiteral("MiB in memory")));
    QVERIFY(
        streamed.summaryValue(QStringLiteral("Reading")).startsWith(QStringLiteral("streaming")));

    // Preview: the first rows of the file.
    QCOMPARE(streamed.previewModel()->headerData(0, Qt::Vertical).toLongLong(), 2LL);
    QCOMPARE(streamed.previewModel()->cell(0, QStringLiteral("id")), QStringLiteral("0"));
    QCOMPARE(streamed.previewModel()->cell(1, QStringLiteral("text")),
             QStringLiteral("review number 1 with some words to make the row longer than a few "
                            "bytes"));

    // The same file read whole: the same report.
    ExperimentDocument wholeDoc;
    DataPage whole(&wholeDoc);
    whole.setDataFile(m_csv);
    QVERIFY(waitIdle(&whole));
    QVERIFY(whole.lastScan());
    QVERIFY(!whole.lastScan()->streamed);
    QVERIFY(whole.streamingNote()->isHidden());
    for (const char* name : {"Rows", "Valid examples", "Classes", "Bad rows", "Empty text",
                             "Missing label", "Duplicates", "Rare labels", "Format"}) {
        const QString key = QString::fromLatin1(name);
        QCOMPARE(streamed.summaryValue(key), whole.summaryValue(key));
    }
    QCOMPARE(streamed.summaryValue(QStringLiteral("Rows")), QStringLiteral("30000"));
    QVERIFY(streamed.summaryValue(QStringLiteral("Duplicates")).toInt() > 900);
    QVERIFY(streamed.summaryValue(QStringLiteral("Empty text")).toInt() > 0);
    QVERIFY(streamed.summaryValue(QStringLiteral("Missing label")).toInt() > 0);
    QCOMPARE(scan->classNames, whole.lastScan()->classNames);
    QCOMPARE(scan->classCounts, whole.lastScan()->classCounts);
    QCOMPARE(problemTexts(streamed), problemTexts(whole));
    // Row edits are for files read whole: refused here, nothing recorded.
    streamed.setRowExcluded(0, true);
    streamed.relabelRow(1, QStringLiteral("neg"));
    QVERIFY(streamed.editor()->edits().isEmpty());
    QVERIFY(!streamed.isBusy());
    QCOMPARE(splitCells(streamed), splitCells(whole));
}

void TestDataWizardStreaming::jumpPastPreviewAndRescan() {
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setStreamingThreshold(kLowThreshold);
    page.setDataFile(m_csv);
    QVERIFY(waitIdle(&page));
    const auto first = page.lastScan();
    QVERIFY(first && first->streamed);

    // The last problem lies far past the preview's rows: activating it reads that region.
    QListWidget* problems = page.problemList();
    QVERIFY(problems->count() > 3);
    int far = -1;
    for (int i = 0; i < problems->count(); ++i)
        if (problems->item(i)->text().contains(QStringLiteral("large.csv:25002")))
            far = i;
    QVERIFY2(far >= 0, "the rare label at line 25002 is listed");
    QCOMPARE(page.previewModel()->rowForLine(25002), -1);
    page.resize(1100, 760);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.steps()->setCurrentIndex(DataPage::ValidationStep);
    problems->scrollToItem(problems->item(far));
    QTest::qWait(20);
    const QPoint at = problems->visualItemRect(problems->item(far)).center();
    QTest::mouseClick(problems->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(problems->viewport(), Qt::LeftButton, {}, at);
    const int row = page.previewModel()->rowForLine(25002);
    QVERIFY(row >= 0);
    QCOMPARE(page.previewModel()->cell(page.previewModel()->tableRow(row), QStringLiteral("id")),
             QStringLiteral("25000"));

    // Another split re-checks the rows with the same row index (not indexed again).
    doc.update([](tb::io::ExperimentConfig& c) {
        c.dataset.train_fraction = 0.5;
        c.dataset.dev_fraction = 0.25;
        c.dataset.test_fraction = 0.25;
    });
    QVERIFY(waitIdle(&page));
    const auto second = page.lastScan();
    QVERIFY(second && second != first);
    QVERIFY(second->streamed);
    QCOMPARE(second->rowIndex, first->rowIndex);
    const int rows = page.splitTable()->rowCount();
    const int all = page.splitTable()->item(rows - 1, 3)->text().toInt();
    QCOMPARE(all, int(second->validExamples));
    QVERIFY(qAbs(page.splitTable()->item(rows - 1, 0)->text().toInt() - all / 2) <= 4);
}

void TestDataWizardStreaming::cancelIndexing() {
    // ~24 MB: indexing and checking take long enough to cancel mid-way.
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
    page.setStreamingThreshold(kLowThreshold);
    page.show();
    QSignalSpy ended(&page, &DataPage::scanEnded);
    page.setDataFile(path);
    QTRY_VERIFY(page.cancelButton()->isVisible());
    QVERIFY(page.isBusy());
    QTest::mouseClick(page.cancelButton(), Qt::LeftButton);
    QVERIFY(!page.isBusy());
    QCOMPARE(ended.count(), 1);
    QVERIFY(!page.lastScan());
    QTest::qWait(300);
    QVERIFY(!page.lastScan());  // the worker's late result is dropped
    QVERIFY(page.errorBanner()->isHidden());

    // Reading again after a cancel works and streams.
    page.setDataFile(path);
    QVERIFY(waitIdle(&page));
    QVERIFY(page.lastScan() && page.lastScan()->streamed);
    QCOMPARE(page.summaryValue(QStringLiteral("Rows")), QStringLiteral("400000"));
}

QTEST_MAIN(TestDataWizardStreaming)
#include "tst_data_wizard_streaming.moc"
