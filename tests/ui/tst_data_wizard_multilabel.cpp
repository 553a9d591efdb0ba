// The Data page's multi-label choice of one 0/1 column per label: ticking columns writes
// dataset.label_columns (round trip through the YAML), the scan counts one label per ticked
// column, and the streaming path (large files) gives the same counts.
#include <QComboBox>
#include <QFile>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "pages/data_page.h"
#include "widgets/error_banner.h"
#include "widgets/label_columns_list.h"

using namespace tb::ui;

namespace {

bool waitIdle(DataPage* page) {
    return QTest::qWaitFor([page] { return !page->isBusy(); }, 60000);
}

void chooseMultiLabel(DataPage& page) {
    auto* task = page.taskCombo();
    task->setCurrentIndex(task->findData(int(TaskType::MultiLabel)));
    emit task->activated(task->currentIndex());
}

}  // namespace

class TestDataWizardMultiLabel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void flagColumns();

private:
    QTemporaryDir m_dir;
    QString m_csv;
    int m_sports = 0, m_news = 0, m_emptyText = 0;
};

void TestDataWizardMultiLabel::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_csv = m_dir.filePath(QStringLiteral("flags.csv"));
    QFile f(m_csv);
    QVERIFY(f.open(QIODevice::WriteOnly));
    // ~1 MB, so that a 256 KiB threshold streams it.
    f.write("text,sports,news,tech\n");
    for (int i = 0; i < 20000; ++i) {
        const bool sports = i % 3 == 0, news = i % 4 == 1;
        const bool empty = i % 997 == 5;
        if (empty)
            ++m_emptyText;
        else {
            m_sports += sports;
            m_news += news;
        }
        f.write((empty ? QByteArray()
                       : "\"an article about something, number " + QByteArray::number(i) + "\"") +
                "," + QByteArray::number(sports) + "," + QByteArray::number(news) + ",0\n");
    }
}

void TestDataWizardMultiLabel::flagColumns() {
    ExperimentDocument doc;
    DataPage page(&doc);
    page.setDataFile(m_csv);
    QVERIFY(waitIdle(&page));
    chooseMultiLabel(page);
    QVERIFY(waitIdle(&page));
    LabelColumnsList* picker = page.labelColumnsList();
    QCOMPARE(picker->count(), 4);
    QVERIFY(picker->checkedColumns().isEmpty());
    QCOMPARE(doc.config().dataset.label_separator, std::string("|"));

    picker->setColumnChecked(QStringLiteral("sports"), true);
    picker->setColumnChecked(QStringLiteral("news"), true);
    QVERIFY(waitIdle(&page));
    QCOMPARE(doc.config().dataset.label_columns, (std::vector<std::string>{"sports", "news"}));
    QVERIFY(doc.config().dataset.label_separator.empty());
    const auto scan = page.lastScan();
    QVERIFY(scan && scan->multi);
    QVERIFY2(page.errorBanner()->isHidden(), "no error expected");
    QCOMPARE(scan->classNames, (std::vector<std::string>{"sports", "news"}));
    QCOMPARE(scan->classCounts,
             (std::vector<std::size_t>{std::size_t(m_sports), std::size_t(m_news)}));
    QCOMPARE(page.summaryValue(QStringLiteral("Bad rows")), QString::number(m_emptyText));
    QCOMPARE(picker->checkedColumns(), (QStringList{"sports", "news"}));

    // Round trip: the experiment file keeps the columns; loading it ticks them again.
    tb::io::ExperimentConfig config = doc.config();
    config.model.path = "model";  // required by the experiment file, not by the Data page
    const auto reloaded = tb::io::parse_experiment(tb::io::to_yaml(config), "exp.yaml");
    QCOMPARE(reloaded.dataset.label_columns, (std::vector<std::string>{"sports", "news"}));
    QCOMPARE(reloaded.dataset.task, std::string("multi_label"));

    // The same choice on the streaming path gives the same report.
    ExperimentDocument streamedDoc;
    streamedDoc.update([&](tb::io::ExperimentConfig& c) { c.dataset = doc.config().dataset; });
    DataPage streamed(&streamedDoc);
    streamed.setStreamingThreshold(quint64(256) << 10);  // the file is ~1 MB
    QVERIFY(waitIdle(&streamed));
    const auto s = streamed.lastScan();
    QVERIFY(s && s->streamed);
    QCOMPARE(s->classNames, scan->classNames);
    QCOMPARE(s->classCounts, scan->classCounts);
    QCOMPARE(streamed.labelColumnsList()->checkedColumns(), (QStringList{"sports", "news"}));
    for (const char* name : {"Rows", "Valid examples", "Classes", "Bad rows"})
        QCOMPARE(streamed.summaryValue(QString::fromLatin1(name)),
                 page.summaryValue(QString::fromLatin1(name)));
    const QTableWidget* a = page.splitTable();
    const QTableWidget* b = streamed.splitTable();
    QCOMPARE(a->rowCount(), b->rowCount());
    for (int r = 0; r < a->rowCount(); ++r)
        for (int c = 0; c < a->columnCount(); ++c)
            QCOMPARE(b->item(r, c)->text(), a->item(r, c)->text());

    // Unticking all goes back to labels in one column.
    picker->setColumnChecked(QStringLiteral("sports"), false);
    picker->setColumnChecked(QStringLiteral("news"), false);
    QVERIFY(waitIdle(&page));
    QVERIFY(doc.config().dataset.label_columns.empty());
    QCOMPARE(doc.config().dataset.label_separator, std::string("|"));
}

QTEST_MAIN(TestDataWizardMultiLabel)
#include "tst_data_wizard_multilabel.moc"
