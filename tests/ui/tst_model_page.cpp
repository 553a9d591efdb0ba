// Model page: the library lists model folders with correct numbers, search filters, picking
// writes the document, the head list follows the dataset task, and the freeze options change the
// trainable count exactly. Expected counts come from the BERT parameter formula.
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QSlider>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include "document/experiment_document.h"
#include "pages/model_library_panel.h"
#include "pages/model_page.h"
#include "test_support.h"

using namespace tb::ui;

namespace {

// One encoder layer: q, k, v, attention output, LayerNorm, intermediate, output, LayerNorm.
qint64 bertLayer(qint64 H, qint64 I) {
    return 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H;
}
qint64 bertEmbeddings(qint64 V, qint64 H, qint64 P, qint64 T) {
    return V * H + P * H + T * H + 2 * H;
}
// BERT with a pooler: embeddings, L layers, pooler.
qint64 bertParameters(qint64 V, qint64 H, qint64 P, qint64 T, qint64 I, qint64 L) {
    return bertEmbeddings(V, H, P, T) + L * bertLayer(H, I) + H * H + H;
}

bool copyFolder(const QString& from, const QString& to) {
    QDir().mkpath(to);
    for (const QString& name : QDir(from).entryList(QDir::Files))
        if (!QFile::copy(QDir(from).filePath(name), QDir(to).filePath(name)))
            return false;
    return true;
}

}  // namespace

class TestModelPage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void libraryListsFolders();
    void searchFilters();
    void pickingWritesDocument();
    void headsFollowTask();
    void freezingChangesTrainableCount();

private:
    ModelLibraryEntry entry(ModelLibraryPanel* panel, const QString& name) const;
    bool waitScan(ModelLibraryPanel* panel) const;

    QTemporaryDir m_dir;
    QString m_models;
    qint64 m_smallVocab = 0;
};

void TestModelPage::initTestCase() {
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("tunebench-test-model-page"));
    // An empty hub cache, so the machine's own cache never shows up here.
    qputenv("HF_HOME", m_dir.filePath(QStringLiteral("hf")).toUtf8());
    qputenv("HF_HUB_CACHE", m_dir.filePath(QStringLiteral("hf/hub")).toUtf8());
    m_models = m_dir.filePath(QStringLiteral("models"));
    QVERIFY(copyFolder(QString::fromStdString(tb::testing::fixture("model/tiny_bert")),
                       QDir(m_models).filePath(QStringLiteral("tiny_bert"))));

    const QString csv = m_dir.filePath(QStringLiteral("texts.csv"));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("text,label\nthe cat sat,a\na dog ran home,b\n");
    f.close();
    const QString small = QDir(m_models).filePath(QStringLiteral("small_three_layer"));
    tb::testing::make_tiny_model(small.toStdString(), csv.toStdString(), /*hidden=*/16,
                                 /*layers=*/3, /*max_positions=*/40);
    QFile vocab(QDir(small).filePath(QStringLiteral("vocab.txt")));
    QVERIFY(vocab.open(QIODevice::ReadOnly));
    m_smallVocab = vocab.readAll().trimmed().split('\n').size();

    // Only pickled PyTorch weights: listed, but unsupported with the reason.
    const QString pickled = QDir(m_models).filePath(QStringLiteral("pickled_only"));
    QDir().mkpath(pickled);
    QFile::copy(QDir(small).filePath(QStringLiteral("config.json")),
                QDir(pickled).filePath(QStringLiteral("config.json")));
    QFile::copy(QDir(small).filePath(QStringLiteral("vocab.txt")),
                QDir(pickled).filePath(QStringLiteral("vocab.txt")));
    QFile bin(QDir(pickled).filePath(QStringLiteral("pytorch_model.bin")));
    QVERIFY(bin.open(QIODevice::WriteOnly));
    bin.write("not really a pickle");
}

bool TestModelPage::waitScan(ModelLibraryPanel* panel) const {
    return QTest::qWaitFor([panel] { return !panel->isScanning(); }, 20000);
}

ModelLibraryEntry TestModelPage::entry(ModelLibraryPanel* panel, const QString& name) const {
    for (const auto& e : panel->entries())
        if (e.name == name)
            return e;
    return {};
}

void TestModelPage::libraryListsFolders() {
    ModelLibraryPanel panel;
    panel.setFolders({m_models});
    QVERIFY(waitScan(&panel));
    QCOMPARE(panel.entries().size(), 3);
    QCOMPARE(panel.table()->rowCount(), 3);

    const auto tiny = entry(&panel, QStringLiteral("tiny_bert"));
    QVERIFY(tiny.supported);
    QCOMPARE(tiny.architecture, QStringLiteral("bert"));
    QCOMPARE(tiny.parameters, bertParameters(100, 32, 64, 2, 64, 2));
    QCOMPARE(tiny.vocabSize, 100);
    QCOMPARE(tiny.maxPositions, 64);
    QCOMPARE(tiny.hiddenSize, 32);
    QCOMPARE(tiny.layers, 2);
    QVERIFY(tiny.tokenizer);
    qint64 bytes = 0;
    for (const QFileInfo& fi : QDir(tiny.path).entryInfoList(QDir::Files))
        bytes += fi.size();
    QCOMPARE(tiny.diskBytes, bytes);

    const auto small = entry(&panel, QStringLiteral("small_three_layer"));
    QVERIFY(small.supported);
    QCOMPARE(small.layers, 3);
    QCOMPARE(small.vocabSize, m_smallVocab);
    QCOMPARE(small.parameters, bertParameters(m_smallVocab, 16, 40, 2, 32, 3));

    const auto pickled = entry(&panel, QStringLiteral("pickled_only"));
    QVERIFY(!pickled.supported);
    QVERIFY2(pickled.reason.contains(QStringLiteral("pytorch_model.bin")),
             qPrintable(pickled.reason));
    QVERIFY2(pickled.reason.contains(QStringLiteral("safetensors")), qPrintable(pickled.reason));

    // The folder list is remembered.
    ModelLibraryPanel again;
    QCOMPARE(again.folders(), QStringList{m_models});
    QVERIFY(waitScan(&again));
    again.removeFolder(m_models);
    QVERIFY(waitScan(&again));
    QCOMPARE(again.entries().size(), 0);
    QCOMPARE(ModelLibraryPanel().folders(), QStringList{});
}

void TestModelPage::searchFilters() {
    ModelLibraryPanel panel;
    panel.setFolders({m_models});
    QVERIFY(waitScan(&panel));
    QCOMPARE(panel.visibleRowCount(), 3);
    panel.setFilterText(QStringLiteral("tiny"));
    QCOMPARE(panel.visibleRowCount(), 1);
    panel.setFilterText(QStringLiteral("unsupported"));
    QCOMPARE(panel.visibleRowCount(), 1);
    panel.setFilterText(QStringLiteral("BERT"));
    QCOMPARE(panel.visibleRowCount(), 2);
    panel.setFilterText(QString());
    QCOMPARE(panel.visibleRowCount(), 3);
    panel.setFolders({});
}

void TestModelPage::pickingWritesDocument() {
    ExperimentDocument document;
    ModelPage page(&document);
    page.library()->setFolders({m_models});
    QVERIFY(waitScan(page.library()));
    QTableWidget* table = page.library()->table();
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == QStringLiteral("small_three_layer"))
            row = r;
    QVERIFY(row >= 0);
    table->selectRow(row);
    const QString expected = QDir(m_models).filePath(QStringLiteral("small_three_layer"));
    QCOMPARE(document.resolvedPath(document.config().model.path), expected);
    QVERIFY(page.folderInfo().has_value());
    QCOMPARE(page.summaryValue(QStringLiteral("Layers")), QStringLiteral("3"));
    QCOMPARE(page.freezeLayersSlider()->maximum(), 3);
    // Architecture tree: embeddings, 3 layers, pooler.
    QCOMPARE(page.architectureTree()->topLevelItemCount(), 5);
    QCOMPARE(page.architectureTree()->topLevelItem(1)->text(0), QStringLiteral("layer 0"));
    page.library()->setFolders({});
}

void TestModelPage::headsFollowTask() {
    ExperimentDocument document;
    ModelPage page(&document);
    auto heads = [&page] {
        QStringList names;
        for (int i = 0; i < page.headCombo()->count(); ++i)
            names << page.headCombo()->itemData(i).toString();
        return names;
    };
    QCOMPARE(heads(), QStringList{QStringLiteral("sequence_classification")});
    document.update([](tb::io::ExperimentConfig& c) { c.dataset.task = "token_classification"; });
    QCOMPARE(heads(), QStringList{QStringLiteral("token_classification")});
    auto* model = qobject_cast<QStandardItemModel*>(page.headCombo()->model());
    QVERIFY(model);
    QVERIFY(!model->item(0)->isEnabled());  // training cannot use it yet: shown, not offered
    QVERIFY(page.headExplanation()->text().contains(QStringLiteral("per word")));
    document.update([](tb::io::ExperimentConfig& c) { c.dataset.task = "regression"; });
    QCOMPARE(heads(), QStringList{QStringLiteral("regression")});
}

void TestModelPage::freezingChangesTrainableCount() {
    ExperimentDocument document;
    ModelPage page(&document);
    page.setModelFolder(QDir(m_models).filePath(QStringLiteral("tiny_bert")));
    const qint64 total = bertParameters(100, 32, 64, 2, 64, 2);
    QCOMPARE(page.parameterCounts().total, total);
    QCOMPARE(page.parameterCounts().trainable, total);

    page.freezeLayersSlider()->setValue(1);
    QCOMPARE(document.config().model.freeze_layers, 1);
    QCOMPARE(page.parameterCounts().trainable, total - bertLayer(32, 64));
    page.freezeEmbeddingsCheck()->setChecked(true);
    QVERIFY(document.config().model.freeze_embeddings);
    QCOMPARE(page.parameterCounts().trainable,
             total - bertLayer(32, 64) - bertEmbeddings(100, 32, 64, 2));
    page.freezeLayersSlider()->setValue(2);
    QCOMPARE(page.parameterCounts().trainable, 32 * 32 + 32);  // only the pooler
    QCOMPARE(page.freezeLayersSlider()->maximum(), 2);
}

QTEST_MAIN(TestModelPage)
#include "tst_model_page.moc"
