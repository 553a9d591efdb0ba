// The Data page on a CoNLL file above the streaming threshold (lowered to 1 MiB here): the
// sentence preview with entity spans, the note with the memory bound, counts / problems / split
// equal to the same file read whole, jumping to a problem far past the preview (read from the
// file), rescans reusing the sentence index, and cancel.
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "pages/data_page.h"
#include "views/token_sentence_view.h"
#include "widgets/error_banner.h"

using namespace tb::ui;

namespace {

constexpr quint64 kLowThreshold = quint64(1) << 20;

bool waitIdle(DataPage* page) {
    return QTest::qWaitFor([page] { return !page->isBusy(); }, 60000);
}

// ~2 MB: 30000 sentences with an invalid BIO transition every 997 sentences, a ragged line and a
// rare tag far past the preview. Sentence i's first token is "Anna<i>".
QByteArray problemConll() {
    QByteArray conll = "-DOCSTART- -X- O\n\n";
    for (int i = 0; i < 30000; ++i) {
        conll += "Anna" + QByteArray::number(i) + " NNP B-PER\n";
        conll += "Smith NNP I-PER\nlives VBZ O\nin IN O\n";
        conll += i % 997 == 5 ? "Berlin NNP I-ORG\n" : "Berlin NNP B-LOC\n";
        if (i == 20000)
            conll += "today NN X O\n";
        if (i == 25000)
            conll += "Acme NNP B-MISC\n";
        conll += "\n";
    }
    return conll;
}

// The CoNLL format (the page reads it as token classification).
void chooseConll(DataPage& page) {
    auto* format = page.formatCombo();
    format->setCurrentIndex(format->findData(QStringLiteral("conll")));
    emit format->activated(format->currentIndex());
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

class TestDataWizardTokenStreaming : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void reportEqualsInMemoryPath();
    void jumpPastPreviewAndRescan();
    void cancelIndexing();

private:
    QTemporaryDir m_dir;
    QString m_conll;
};

void TestDataWizardTokenStreaming::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_conll = m_dir.filePath(QStringLiteral("large.conll"));
    QFile f(m_conll);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QByteArray conll = problemConll();
    QCOMPARE(f.write(conll), qint64(conll.size()));
    QVERIFY(conll.size() > qint64(kLowThreshold));
}

void TestDataWizardTokenStreaming::reportEqualsInMemoryPath() {
    ExperimentDocument streamedDoc;
    DataPage streamed(&streamedDoc);
    streamed.setStreamingThreshold(kLowThreshold);
    QList<int> progress;
    connect(streamed.progressBar(), &QProgressBar::valueChanged, this,
            [&progress](int v) { progress << v; });
    chooseConll(streamed);
    streamed.setDataFile(m_conll);
    QVERIFY(waitIdle(&streamed));
    QVERIFY2(streamed.errorBanner()->isHidden(), qPrintable(streamed.errorBanner()->text()));
    const auto scan = streamed.lastScan();
    QVERIFY(scan);
    QVERIFY(scan->streamed);
    QVERIFY(scan->sentenceIndex);
    QVERIFY(scan->tokens);
    QVERIFY(scan->tokens->sentences.size() <= 200);  // only the preview is held
    QCOMPARE(scan->sentenceIndex->sentences(), std::size_t(30000));
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last(), 1000);

    // The note states streaming mode and the memory bound; the preview shows entity spans.
    QVERIFY(!streamed.streamingNote()->isHidden());
    QVERIFY2(streamed.streamingNote()->text().contains(QStringLiteral("sentences are read on "
                                                                      "demand")),
             qPrintable(streamed.streamingNote()->text()));
    QVERIFY(streamed.streamingNote()->text().contains(QStringLiteral("MiB in memory")));
    QVERIFY(
        streamed.summaryValue(QStringLiteral("Reading")).startsWith(QStringLiteral("streaming")));
    QCOMPARE(streamed.summaryValue(QStringLiteral("Sentence length")),
             QStringLiteral("5–6 words, mean 5.0"));
    QCOMPARE(streamed.sentenceView()->sentencesShown(), 60);
    QVERIFY(streamed.sentenceView()->entityTypes().contains(QStringLiteral("PER")));
    QVERIFY(streamed.sentenceView()->entityTypes().contains(QStringLiteral("MISC")));
    QVERIFY(streamed.sentenceView()->toPlainText().contains(QStringLiteral("Anna0 Smith")));

    // The same file read whole: the same report.
    ExperimentDocument wholeDoc;
    DataPage whole(&wholeDoc);
    chooseConll(whole);
    whole.setDataFile(m_conll);
    QVERIFY(waitIdle(&whole));
    QVERIFY(whole.lastScan());
    QVERIFY(!whole.lastScan()->streamed);
    QVERIFY(whole.streamingNote()->isHidden());
    for (const char* name : {"Sentences", "Tokens", "Tag scheme", "Valid sentences", "Tags",
                             "Bad rows", "Rare labels", "Format", "Task"}) {
        const QString key = QString::fromLatin1(name);
        QCOMPARE(streamed.summaryValue(key), whole.summaryValue(key));
    }
    QCOMPARE(streamed.summaryValue(QStringLiteral("Sentences")), QStringLiteral("29999"));
    QCOMPARE(scan->classNames, whole.lastScan()->classNames);
    QCOMPARE(scan->classCounts, whole.lastScan()->classCounts);
    QCOMPARE(problemTexts(streamed), problemTexts(whole));
    QVERIFY(streamed.problemList()->count() > 30);
    QCOMPARE(splitCells(streamed), splitCells(whole));
}

void TestDataWizardTokenStreaming::jumpPastPreviewAndRescan() {
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setStreamingThreshold(kLowThreshold);
    chooseConll(page);
    page.setDataFile(m_conll);
    QVERIFY(waitIdle(&page));
    const auto first = page.lastScan();
    QVERIFY(first && first->streamed);

    // Sentence 27921 (i % 997 == 5) has an invalid transition on its 5th line, far past the
    // preview: activating the problem reads that sentence from the file.
    // Sentence i starts at line 3 + 6i, one line later for each of the two extra lines before.
    const QString farLine = QString::number(3 + 6 * 27921 + 2 + 4);
    QListWidget* problems = page.problemList();
    int far = -1;
    for (int i = 0; i < problems->count(); ++i)
        if (problems->item(i)->text().contains(QStringLiteral("large.conll:") + farLine))
            far = i;
    QVERIFY2(far >= 0, qPrintable(problems->item(problems->count() - 2)->text()));
    QVERIFY(!page.sentenceView()->toPlainText().contains(QStringLiteral("Anna27921 ")));
    page.resize(1100, 760);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.steps()->setCurrentIndex(DataPage::ValidationStep);
    problems->scrollToItem(problems->item(far));
    QTest::qWait(20);
    const QPoint at = problems->visualItemRect(problems->item(far)).center();
    QTest::mouseClick(problems->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(problems->viewport(), Qt::LeftButton, {}, at);
    QVERIFY2(page.sentenceView()->toPlainText().contains(QStringLiteral("Anna27921 ")),
             qPrintable(page.sentenceView()->toPlainText().left(300)));

    // Another split re-checks with the same sentence index (not indexed again).
    doc.update([](tb::io::ExperimentConfig& c) {
        c.dataset.train_fraction = 0.5;
        c.dataset.dev_fraction = 0.25;
        c.dataset.test_fraction = 0.25;
    });
    QVERIFY(waitIdle(&page));
    const auto second = page.lastScan();
    QVERIFY(second && second != first);
    QVERIFY(second->streamed);
    QCOMPARE(second->sentenceIndex, first->sentenceIndex);
    const int rows = page.splitTable()->rowCount();
    const int all = page.splitTable()->item(rows - 1, 3)->text().toInt();
    QCOMPARE(std::size_t(all), second->tokenCount);
    QVERIFY(qAbs(page.splitTable()->item(rows - 1, 0)->text().toInt() - all / 2) <= all / 50);
}

void TestDataWizardTokenStreaming::cancelIndexing() {
    // ~30 MB: indexing and checking take long enough to cancel mid-way.
    const QString path = m_dir.filePath(QStringLiteral("big.conll"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray block;
        for (int i = 0; i < 1000; ++i)
            block += "Anna B-PER\nSmith I-PER\nlives O\nin O\nBerlin B-LOC\n\n";
        for (int i = 0; i < 600; ++i)
            f.write(block);
    }
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setStreamingThreshold(kLowThreshold);
    page.show();
    chooseConll(page);
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
    QVERIFY(page.lastScan() && page.lastScan()->streamed && page.lastScan()->sentenceIndex);
    QCOMPARE(page.summaryValue(QStringLiteral("Sentences")), QStringLiteral("600000"));
}

QTEST_MAIN(TestDataWizardTokenStreaming)
#include "tst_data_wizard_token_streaming.moc"
