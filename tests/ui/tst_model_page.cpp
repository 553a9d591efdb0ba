// Model page: the library lists model folders with correct numbers (unsupported ones with the
// reason), search filters, picking a BERT, RoBERTa or DistilBERT parity fixture writes the
// document and shows its summary, the head list follows the dataset task, and the freeze and
// LoRA options change the trainable count exactly and round-trip through the YAML file.
// Expected values come from each fixture's config.json (read here with QJsonDocument) and the
// parameter formulas of the architectures, never from the code under test.
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include "common/tensor_blob.h"
#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "model/builtin_models.h"
#include "model/keras/keras_import.h"
#include "model/safetensors.h"
#include "pages/model_adaptation_panel.h"
#include "pages/model_library_panel.h"
#include "pages/model_page.h"
#include "test_support.h"
#include "util/format.h"
#include "widgets/error_banner.h"

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

// DistilBERT: no token types, its own LayerNorm names, no pooler.
qint64 distilbertParameters(qint64 V, qint64 H, qint64 P, qint64 I, qint64 L) {
    return V * H + P * H + 2 * H + L * bertLayer(H, I);
}

QJsonObject readConfig(const QString& folder) {
    QFile f(QDir(folder).filePath(QStringLiteral("config.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

qint64 folderBytes(const QString& folder) {
    qint64 bytes = 0;
    const auto files = QDir(folder).entryInfoList(QDir::Files);
    for (const QFileInfo& fi : files)
        bytes += fi.size();
    return bytes;
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
    void familiesShowCorrectSummaries_data();
    void familiesShowCorrectSummaries();
    void unsupportedFolderShowsTheReason();
    void loraChangesTrainableCount();
    void choicesRoundTripThroughYaml();
    void imageTaskShowsImageModels();
    void filesAndBuiltinsAreListedAndPicked();

private:
    ModelLibraryEntry entry(ModelLibraryPanel* panel, const QString& name) const;
    bool waitScan(ModelLibraryPanel* panel) const;
    bool pickRow(ModelPage& page, const QString& name) const;

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
    for (const char* name : {"tiny_bert", "tiny_roberta", "tiny_distilbert"})
        QVERIFY(
            copyFolder(QString::fromStdString(tb::testing::fixture(std::string("model/") + name)),
                       QDir(m_models).filePath(QString::fromLatin1(name))));
    // A decoder-only model: listed as unsupported with the reason.
    const QString gpt2 = QDir(m_models).filePath(QStringLiteral("decoder_gpt2"));
    QDir().mkpath(gpt2);
    QFile gpt2Config(QDir(gpt2).filePath(QStringLiteral("config.json")));
    QVERIFY(gpt2Config.open(QIODevice::WriteOnly));
    gpt2Config.write(R"({"model_type": "gpt2", "n_layer": 2, "n_embd": 32, "vocab_size": 100})");
    gpt2Config.close();

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
    QCOMPARE(panel.entries().size(), 8 + 6);  // the folders, then the built-in architectures
    QCOMPARE(panel.table()->rowCount(), 8 + 6);

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
    QCOMPARE(again.entries().size(), 8);
    QCOMPARE(ModelLibraryPanel().folders(), QStringList{});
}

void TestModelPage::searchFilters() {
    ModelLibraryPanel panel;
    panel.setFolders({m_models});
    QVERIFY(waitScan(&panel));
    QCOMPARE(panel.visibleRowCount(), 8 + 6);
    panel.setFilterText(QStringLiteral("tiny"));
    QCOMPARE(panel.visibleRowCount(), 3);
    panel.setFilterText(QStringLiteral("unsupported"));
    QCOMPARE(panel.visibleRowCount(), 2);
    panel.setFilterText(QStringLiteral("roberta"));  // name and architecture
    QCOMPARE(panel.visibleRowCount(), 1);
    // Case-insensitive: tiny_bert, tiny_roberta, tiny_distilbert by name, small_three_layer by
    // its architecture "bert".
    panel.setFilterText(QStringLiteral("BERT"));
    QCOMPARE(panel.visibleRowCount(), 4);
    panel.setFilterText(QStringLiteral("from scratch"));  // the built-ins' status word
    QCOMPARE(panel.visibleRowCount(), 8);
    panel.setFilterText(QString());
    QCOMPARE(panel.visibleRowCount(), 8 + 6);
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
    QVERIFY(model->item(0)->isEnabled());  // trained since the task model landed
    QVERIFY(page.headExplanation()->text().contains(QStringLiteral("per word")));
    document.update([](tb::io::ExperimentConfig& c) { c.dataset.task = "regression"; });
    QCOMPARE(heads(), QStringList{QStringLiteral("regression")});
    model = qobject_cast<QStandardItemModel*>(page.headCombo()->model());
    QVERIFY(model->item(0)->isEnabled());  // trained since the regression head landed
    QVERIFY(page.headExplanation()->text().contains(QStringLiteral("mean squared error")));
    document.update([](tb::io::ExperimentConfig& c) { c.dataset.task = "sentence_pair"; });
    QCOMPARE(heads(), QStringList{QStringLiteral("sequence_classification")});
    // An image dataset: no head of a text encoder, and nothing selectable.
    document.update([](tb::io::ExperimentConfig& c) { c.dataset.task = "image_classification"; });
    QCOMPARE(heads(), QStringList{QString()});
    model = qobject_cast<QStandardItemModel*>(page.headCombo()->model());
    QVERIFY(!model->item(0)->isEnabled());
    QVERIFY(page.headExplanation()->text().contains(QStringLiteral("image_classification")));
    // Choosing the disabled entry never writes a head the experiment file would refuse.
    QCOMPARE(document.config().model.head, std::string("auto"));
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

bool TestModelPage::pickRow(ModelPage& page, const QString& name) const {
    QTableWidget* table = page.library()->table();
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == name) {
            table->selectRow(r);
            return true;
        }
    return false;
}

void TestModelPage::familiesShowCorrectSummaries_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("parameters");
    QTest::addColumn<QStringList>("tokenizerFiles");
    QTest::addColumn<QString>("pooling");
    QTest::addColumn<bool>("pooler");
    // Numbers from the fixtures' config.json: V=100, H=32, I=64; BERT P=64, T=2, L=2;
    // RoBERTa P=40, T=1, L=2; DistilBERT P=64, L=3.
    QTest::newRow("BERT") << "tiny_bert" << bertParameters(100, 32, 64, 2, 64, 2)
                          << QStringList{QStringLiteral("vocab.txt")}
                          << QStringLiteral("pooler output") << true;
    QTest::newRow("RoBERTa") << "tiny_roberta" << bertParameters(100, 32, 40, 1, 64, 2)
                             << QStringList{QStringLiteral("vocab.json"),
                                            QStringLiteral("merges.txt")}
                             << QStringLiteral("first token") << true;
    QTest::newRow("DistilBERT") << "tiny_distilbert" << distilbertParameters(100, 32, 64, 64, 3)
                                << QStringList{QStringLiteral("vocab.txt")}
                                << QStringLiteral("first token") << false;
}

void TestModelPage::familiesShowCorrectSummaries() {
    QFETCH(QString, name);
    QFETCH(qint64, parameters);
    QFETCH(QStringList, tokenizerFiles);
    QFETCH(QString, pooling);
    QFETCH(bool, pooler);
    const QString folder = QDir(m_models).filePath(name);
    const QJsonObject config = readConfig(folder);
    QVERIFY(!config.isEmpty());
    const bool distil =
        config.value(QStringLiteral("model_type")).toString() == QStringLiteral("distilbert");
    auto number = [&](const char* key, const char* distilKey) {
        return config.value(QLatin1String(distil ? distilKey : key)).toInteger();
    };
    const qint64 layers = number("num_hidden_layers", "n_layers");

    ExperimentDocument document;
    ModelPage page(&document);
    page.library()->setFolders({m_models});
    QVERIFY(waitScan(page.library()));
    QVERIFY(pickRow(page, name));
    QCOMPARE(document.resolvedPath(document.config().model.path), folder);
    QVERIFY(page.errorBanner()->text().isEmpty());
    QVERIFY(page.folderInfo().has_value());

    // bert, roberta, distilbert: the family name adds nothing, so the type stands alone.
    QCOMPARE(page.summaryValue(QStringLiteral("Type")),
             config.value(QStringLiteral("model_type")).toString());
    QCOMPARE(page.summaryValue(QStringLiteral("Layers")), QString::number(layers));
    QCOMPARE(page.summaryValue(QStringLiteral("Hidden size")),
             QString::number(number("hidden_size", "dim")));
    QCOMPARE(page.summaryValue(QStringLiteral("Attention heads")),
             QString::number(number("num_attention_heads", "n_heads")));
    QCOMPARE(page.summaryValue(QStringLiteral("Intermediate size")),
             QString::number(number("intermediate_size", "hidden_dim")));
    QCOMPARE(page.summaryValue(QStringLiteral("Vocabulary size")),
             QString::number(number("vocab_size", "vocab_size")));
    const qint64 positions = number("max_position_embeddings", "max_position_embeddings");
    QVERIFY(
        page.summaryValue(QStringLiteral("Max positions")).startsWith(QString::number(positions)));
    qint64 longest = positions;
    if (config.value(QStringLiteral("model_type")).toString() == QStringLiteral("roberta")) {
        // Position ids start after pad_token_id, so two positions are never used by tokens.
        longest = positions - config.value(QStringLiteral("pad_token_id")).toInteger() - 1;
        QVERIFY2(page.summaryValue(QStringLiteral("Max positions"))
                     .contains(QStringLiteral("up to %1 tokens").arg(longest)),
                 qPrintable(page.summaryValue(QStringLiteral("Max positions"))));
    }
    // The default max_length (128) is longer than these models take: picking one shortens it.
    QCOMPARE(qint64(document.config().model.max_length), longest);
    QCOMPARE(page.parameterCounts().total, parameters);
    QCOMPARE(page.summaryValue(QStringLiteral("Parameters")), formatCount(parameters));
    QCOMPARE(page.summaryValue(QStringLiteral("On disk")), formatBytes(folderBytes(folder)));
    for (const QString& file : tokenizerFiles)
        QVERIFY2(page.summaryValue(QStringLiteral("Tokenizer")).contains(file),
                 qPrintable(page.summaryValue(QStringLiteral("Tokenizer"))));

    // The library row says the same.
    const auto e = entry(page.library(), name);
    QVERIFY(e.supported);
    QCOMPARE(e.parameters, parameters);
    QCOMPARE(e.layers, layers);
    QCOMPARE(e.diskBytes, folderBytes(folder));
    QVERIFY(e.tokenizer);

    // Architecture: embeddings, one group per layer, the pooler where the model has one.
    QCOMPARE(page.architectureTree()->topLevelItemCount(), int(layers) + 1 + (pooler ? 1 : 0));
    qint64 treeTotal = 0;
    for (int i = 0; i < page.architectureTree()->topLevelItemCount(); ++i)
        treeTotal += page.architectureTree()->topLevelItem(i)->data(2, Qt::UserRole).toLongLong();
    QCOMPARE(treeTotal, parameters);
    QCOMPARE(page.freezeLayersSlider()->maximum(), int(layers));
    QVERIFY2(page.headExplanation()->text().contains(pooling),
             qPrintable(page.headExplanation()->text()));
    page.library()->setFolders({});
}

void TestModelPage::unsupportedFolderShowsTheReason() {
    ExperimentDocument document;
    ModelPage page(&document);
    page.library()->setFolders({m_models});
    QVERIFY(waitScan(page.library()));
    const auto gpt2 = entry(page.library(), QStringLiteral("decoder_gpt2"));
    QVERIFY(!gpt2.supported);
    QVERIFY2(gpt2.reason.contains(QStringLiteral("gpt2")), qPrintable(gpt2.reason));
    QTableWidget* table = page.library()->table();
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == QStringLiteral("decoder_gpt2"))
            row = r;
    QVERIFY(row >= 0);
    const QString status = table->item(row, ModelLibraryPanel::Status)->text();
    QVERIFY2(status.startsWith(QStringLiteral("unsupported")) && status.contains(gpt2.reason),
             qPrintable(status));
    // Picking it anyway explains in place why it cannot be used; nothing is summarised.
    table->selectRow(row);
    QVERIFY(!page.folderInfo().has_value());
    QVERIFY2(page.errorBanner()->text().contains(QStringLiteral("gpt2")),
             qPrintable(page.errorBanner()->text()));
    QCOMPARE(page.summaryValue(QStringLiteral("Layers")), QStringLiteral("–"));
    page.library()->setFolders({});
}

void TestModelPage::loraChangesTrainableCount() {
    ExperimentDocument document;
    ModelPage page(&document);
    ModelAdaptationPanel* a = page.adaptation();
    page.setModelFolder(QDir(m_models).filePath(QStringLiteral("tiny_bert")));
    const qint64 base = bertParameters(100, 32, 64, 2, 64, 2);
    QVERIFY(!a->loraRankSpin()->isEnabled());
    a->loraCheck()->setChecked(true);
    QVERIFY(document.config().model.lora);
    QVERIFY(!page.freezeLayersSlider()->isEnabled());  // LoRA freezes the whole encoder
    QVERIFY(!page.freezeEmbeddingsCheck()->isEnabled());
    // Defaults: query and value of 2 layers, rank 8: lora_A [8, 32] + lora_B [32, 8] each.
    QVERIFY(a->loraTargetCheck(QStringLiteral("query"))->isChecked());
    QVERIFY(a->loraTargetCheck(QStringLiteral("value"))->isChecked());
    QVERIFY(!a->loraTargetCheck(QStringLiteral("key"))->isChecked());
    QCOMPARE(page.parameterCounts().trainable, 2 * 2 * 8 * (32 + 32));
    QCOMPARE(page.parameterCounts().total, base + 2 * 2 * 8 * (32 + 32));
    a->loraRankSpin()->setValue(4);
    QCOMPARE(document.config().model.lora_rank, 4);
    QCOMPARE(page.parameterCounts().trainable, 2 * 2 * 4 * (32 + 32));
    // intermediate.dense is [64, 32]: 4 * (32 + 64) per layer.
    a->loraTargetCheck(QStringLiteral("intermediate.dense"))->setChecked(true);
    QCOMPARE(document.config().model.lora_target_modules,
             (std::vector<std::string>{"query", "value", "intermediate.dense"}));
    QCOMPARE(page.parameterCounts().trainable, 2 * (2 * 4 * (32 + 32) + 4 * (32 + 64)));
    // Back to the default set: stored as [] so the file suits any model family.
    a->loraTargetCheck(QStringLiteral("intermediate.dense"))->setChecked(false);
    QVERIFY(document.config().model.lora_target_modules.empty());

    // DistilBERT's attention layers are q_lin / v_lin: 3 layers, rank 4.
    page.setModelFolder(QDir(m_models).filePath(QStringLiteral("tiny_distilbert")));
    QVERIFY(a->loraTargetCheck(QStringLiteral("q_lin"))->isChecked());
    QVERIFY(a->loraTargetCheck(QStringLiteral("v_lin"))->isChecked());
    QVERIFY(a->loraTargetCheck(QStringLiteral("query")) == nullptr);
    QCOMPARE(page.parameterCounts().trainable, 3 * 2 * 4 * (32 + 32));
    a->loraCheck()->setChecked(false);
    QVERIFY(!document.config().model.lora);
    QCOMPARE(page.parameterCounts().trainable, distilbertParameters(100, 32, 64, 64, 3));
}

void TestModelPage::choicesRoundTripThroughYaml() {
    const QString yaml = m_dir.filePath(QStringLiteral("roundtrip.yaml"));
    const QString folder = QDir(m_models).filePath(QStringLiteral("tiny_roberta"));
    {
        ExperimentDocument document;
        document.update([&](tb::io::ExperimentConfig& c) {
            c.dataset.path = m_dir.filePath(QStringLiteral("texts.csv")).toStdString();
        });
        ModelPage page(&document);
        ModelAdaptationPanel* a = page.adaptation();
        page.setModelFolder(folder);
        page.freezeLayersSlider()->setValue(1);
        page.freezeEmbeddingsCheck()->setChecked(true);
        a->loraCheck()->setChecked(true);
        a->loraRankSpin()->setValue(2);
        a->loraAlphaSpin()->setValue(32.0);
        a->loraDropoutSpin()->setValue(0.2);
        a->loraTargetCheck(QStringLiteral("key"))->setChecked(true);
        QVERIFY2(document.save(yaml), qPrintable(document.errorString()));
    }
    // What another tool reads from the file.
    const tb::io::ExperimentConfig c = tb::io::load_experiment(yaml.toStdString());
    QCOMPARE(QDir(QString::fromStdString(c.resolve(c.model.path))).absolutePath(),
             QDir(folder).absolutePath());
    QCOMPARE(c.model.freeze_layers, 1);
    QVERIFY(c.model.freeze_embeddings);
    QVERIFY(c.model.lora);
    QCOMPARE(c.model.lora_rank, 2);
    QCOMPARE(c.model.lora_alpha, 32.0);
    QCOMPARE(c.model.lora_dropout, 0.2);
    QCOMPARE(c.model.lora_target_modules, (std::vector<std::string>{"query", "value", "key"}));

    // Reopened, the page shows the same choices and counts.
    QCOMPARE(c.model.max_length, 38);  // capped when the RoBERTa folder was picked
    ExperimentDocument reopened;
    QVERIFY2(reopened.load(yaml), qPrintable(reopened.errorString()));
    ModelPage page(&reopened);
    ModelAdaptationPanel* a = page.adaptation();
    QVERIFY(page.folderInfo().has_value());
    QCOMPARE(page.freezeLayersSlider()->value(), 1);
    QVERIFY(page.freezeEmbeddingsCheck()->isChecked());
    QVERIFY(a->loraCheck()->isChecked());
    QCOMPARE(a->loraRankSpin()->value(), 2);
    QCOMPARE(a->loraAlphaSpin()->value(), 32.0);
    QCOMPARE(a->loraDropoutSpin()->value(), 0.2);
    QVERIFY(a->loraTargetCheck(QStringLiteral("key"))->isChecked());
    QVERIFY(!a->loraTargetCheck(QStringLiteral("output.dense"))->isChecked());
    QCOMPARE(page.parameterCounts().trainable, 2 * 3 * 2 * (32 + 32));  // 2 layers x q, k, v
    QVERIFY(!reopened.isModified());  // showing the file changes nothing in it
    QVERIFY(page.lengthWarning()->isHidden());

    // A file asking for more tokens than the model takes is shown with a warning, not
    // silently clamped; choosing a length clears it.
    reopened.update([](tb::io::ExperimentConfig& cfg) { cfg.model.max_length = 128; });
    QVERIFY(!page.lengthWarning()->isHidden());
    QVERIFY2(page.lengthWarning()->text().contains(QStringLiteral("38")),
             qPrintable(page.lengthWarning()->text()));
    // Its link sets the longest length the model takes.
    QMetaObject::invokeMethod(page.lengthWarning(), "linkActivated", Q_ARG(QString, "use"));
    QCOMPARE(reopened.config().model.max_length, 38);
    QVERIFY(page.lengthWarning()->isHidden());
}

// An image dataset: the library lists image model folders (a small CNN, a Keras-imported model
// with its input, preprocessing, format and licence, a TorchScript file) as choosable and the
// text encoder disabled with the reason; the network picker and the freeze checkbox write
// model.architecture / model.path / model.freeze_backbone (one clears the other) and round-trip
// through the YAML file; a text dataset disables the image models instead.
void TestModelPage::imageTaskShowsImageModels() {
    const QString models = m_dir.filePath(QStringLiteral("image_models"));
    QVERIFY(copyFolder(QString::fromStdString(tb::testing::fixture("model/tiny_bert")),
                       QDir(models).filePath(QStringLiteral("tiny_bert"))));
    // A small CNN folder: config.json and a safetensors file of 3 x 16 + 3 values.
    const QString cnn = QDir(models).filePath(QStringLiteral("shapes_cnn"));
    QDir().mkpath(cnn);
    tb::TensorBlob w{"fc.weight", tb::DType::F32, {3, 16}, std::vector<std::byte>(3 * 16 * 4)};
    tb::TensorBlob b{"fc.bias", tb::DType::F32, {3}, std::vector<std::byte>(3 * 4)};
    tb::model::write_safetensors(
        QDir(cnn).filePath(QStringLiteral("model.safetensors")).toStdString(), {w, b});
    QFile cnnConfig(QDir(cnn).filePath(QStringLiteral("config.json")));
    QVERIFY(cnnConfig.open(QIODevice::WriteOnly));
    cnnConfig.write(R"({"architecture": "small_cnn", "num_classes": 3, "input_shape": [1, 12, 12],
                        "weights_format": "tunebench"})");
    cnnConfig.close();
    // The synthetic TF.js fixture imported as a Keras image model folder.
    tb::model::keras::TfjsImportOptions options;
    options.cut = "add";
    options.source = "synthetic test model";
    options.license = "MIT";
    const auto imported = tb::model::keras::import_tfjs_model(
        tb::testing::fixture("tfjs/synthetic"),
        QDir(models).filePath(QStringLiteral("keras_synthetic")).toStdString(), options);

    const QString yaml = m_dir.filePath(QStringLiteral("images.yaml"));
    {
        ExperimentDocument document;
        document.update([&](tb::io::ExperimentConfig& c) {
            c.dataset.path = m_dir.filePath(QStringLiteral("images")).toStdString();
            c.dataset.task = "image_classification";
        });
        ModelPage page(&document);
        page.library()->setFolders({models});
        QVERIFY(waitScan(page.library()));
        QVERIFY(!page.imageModelBox()->isHidden());
        QVERIFY(page.headCombo()->parentWidget()->isHidden());  // no text head for images
        QTableWidget* table = page.library()->table();
        QCOMPARE(table->rowCount(), 8 + 3);
        for (int r = 0; r < table->rowCount(); ++r) {
            const QString name = table->item(r, 0)->text();
            const bool enabled = table->item(r, 0)->flags() & Qt::ItemIsEnabled;
            // Built-ins: the image networks are choosable, the BiLSTMs not.
            QCOMPARE(enabled, name != QStringLiteral("tiny_bert") &&
                                  !name.startsWith(QStringLiteral("BiLSTM")));
            if (!enabled)
                QVERIFY2(table->item(r, ModelLibraryPanel::Status)
                             ->text()
                             .contains(QStringLiteral("text model")),
                         qPrintable(table->item(r, ModelLibraryPanel::Status)->text()));
        }
        QVERIFY(pickRow(page, QStringLiteral("tiny_bert")));  // disabled: nothing happens
        QVERIFY(document.config().model.path.empty());

        const auto keras = entry(page.library(), QStringLiteral("keras_synthetic"));
        QVERIFY(keras.supported && keras.image);
        QCOMPARE(keras.parameters, imported.parameter_count);
        QCOMPARE(keras.featureSize, imported.feature_size);
        QVERIFY2(keras.sourceFormat.contains(QStringLiteral("tfjs")),
                 qPrintable(keras.sourceFormat));
        QVERIFY(keras.notes.contains(QStringLiteral("licence: MIT")));
        QVERIFY(keras.notes.contains(QStringLiteral("source: synthetic test model")));
        QVERIFY2(keras.notes.join(QLatin1Char('|')).contains(QStringLiteral("input 3x10x12")),
                 qPrintable(keras.notes.join(QLatin1Char('|'))));
        QVERIFY(keras.notes.join(QLatin1Char('|')).contains(QStringLiteral("preprocessing: ")));
        const auto small = entry(page.library(), QStringLiteral("shapes_cnn"));
        QVERIFY(small.supported && small.image);
        QCOMPARE(small.parameters, qint64(3 * 16 + 3));

        // Picking the imported model: model.path, with its summary.
        QVERIFY(pickRow(page, QStringLiteral("keras_synthetic")));
        QVERIFY(!document.config().model.path.empty());
        QCOMPARE(page.summaryValue(QStringLiteral("Parameters")),
                 formatCount(imported.parameter_count));
        QVERIFY(page.summaryValue(QStringLiteral("Weights")).contains(QStringLiteral("tfjs")));
        QCOMPARE(page.architectureCombo()->currentData().toString(), QString());
        page.freezeBackboneCheck()->setChecked(true);
        QVERIFY(document.config().model.freeze_backbone);
        QVERIFY2(page.trainableLabel()->text().startsWith(QStringLiteral("only the new head (6 ")),
                 qPrintable(page.trainableLabel()->text()));

        // An architecture from scratch clears model.path; a library model clears it again.
        QComboBox* arch = page.architectureCombo();
        const int resnet = arch->findData(QStringLiteral("resnet18"));
        QVERIFY(resnet > 0);
        QVERIFY(arch->findData(QStringLiteral("small_cnn")) > 0);
        QVERIFY(arch->findData(QStringLiteral("mlp")) > 0);
        arch->setCurrentIndex(resnet);
        emit arch->activated(resnet);
        QCOMPARE(document.config().model.architecture, std::string("resnet18"));
        QVERIFY(document.config().model.path.empty());
        QVERIFY2(page.trainableLabel()->text().contains(formatCount(11176512)),  // torchvision's
                 qPrintable(page.trainableLabel()->text()));
        QVERIFY(pickRow(page, QStringLiteral("shapes_cnn")));
        QVERIFY(document.config().model.architecture.empty());
        QVERIFY(!document.config().model.path.empty());
        arch->setCurrentIndex(arch->findData(QStringLiteral("mobilenet_v2")));
        emit arch->activated(arch->currentIndex());
        QVERIFY2(document.save(yaml), qPrintable(document.errorString()));
    }
    const tb::io::ExperimentConfig c = tb::io::load_experiment(yaml.toStdString());
    QCOMPARE(c.model.architecture, std::string("mobilenet_v2"));
    QVERIFY(c.model.path.empty());
    QVERIFY(c.model.freeze_backbone);
    ExperimentDocument reopened;
    QVERIFY2(reopened.load(yaml), qPrintable(reopened.errorString()));
    ModelPage page(&reopened);
    QCOMPARE(page.architectureCombo()->currentData().toString(), QStringLiteral("mobilenet_v2"));
    QVERIFY(page.freezeBackboneCheck()->isChecked());
    QVERIFY(!reopened.isModified());

    // A text dataset: the image models are the disabled ones, and the image options hide.
    reopened.update([](tb::io::ExperimentConfig& c) { c.dataset.task = "text_classification"; });
    page.library()->setFolders({models});
    QVERIFY(waitScan(page.library()));
    QVERIFY(page.imageModelBox()->isHidden());
    QTableWidget* table = page.library()->table();
    for (int r = 0; r < table->rowCount(); ++r) {
        const bool enabled = table->item(r, 0)->flags() & Qt::ItemIsEnabled;
        const QString name = table->item(r, 0)->text();
        QCOMPARE(enabled,
                 name == QStringLiteral("tiny_bert") || name.startsWith(QStringLiteral("BiLSTM")));
    }
}

// Beyond model folders, a text dataset's library lists fastText and TorchScript files (the
// latter disabled: an image model), a TF.js model imported from an npm package (its licence
// from package.json) and the built-ins; picking the BiLSTM writes model.architecture and the
// sizes its box edits (which resize the library's parameter count), picking the fastText file
// writes model.path with the file's summary and licence; the file stays valid throughout.
void TestModelPage::filesAndBuiltinsAreListedAndPicked() {
    const QString lib = m_dir.filePath(QStringLiteral("file_models"));
    QVERIFY(QDir().mkpath(lib));
    QVERIFY(QFile::copy(QString::fromStdString(tb::testing::fixture("fasttext/lid.176.ftz")),
                        QDir(lib).filePath(QStringLiteral("lid.176.ftz"))));
    QProcess python;
    python.start(QStringLiteral(TB_SYSTEM_PYTHON),
                 {QStringLiteral("-c"),
                  QStringLiteral("import sys, torch\n"
                                 "m = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), "
                                 "torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())\n"
                                 "torch.jit.save(torch.jit.script(m), sys.argv[1])\n"),
                  QDir(lib).filePath(QStringLiteral("scripted.pt"))});
    const bool scripted = python.waitForFinished(120000) && python.exitCode() == 0;
    const QString pkg = m_dir.filePath(QStringLiteral("npm_pkg"));
    QVERIFY(QDir().mkpath(pkg + QStringLiteral("/dist/small")));
    QFile packageJson(pkg + QStringLiteral("/package.json"));
    QVERIFY(packageJson.open(QIODevice::WriteOnly));
    packageJson.write(R"({"name": "demo-models", "version": "1.2.3", "license": "MIT"})");
    packageJson.close();
    for (const char* f : {"model.json", "group1-shard1of1.bin"})
        QVERIFY(QFile::copy(QString::fromStdString(tb::testing::fixture("tfjs/synthetic/") + f),
                            pkg + QStringLiteral("/dist/small/") + QLatin1String(f)));
    tb::model::keras::TfjsImportOptions options;
    options.cut = "add";
    tb::model::keras::import_tfjs_model(
        (pkg + QStringLiteral("/dist/small")).toStdString(),
        QDir(lib).filePath(QStringLiteral("imported")).toStdString(), options);

    ExperimentDocument document;
    document.update([&](tb::io::ExperimentConfig& c) {
        c.dataset.path = m_dir.filePath(QStringLiteral("texts.csv")).toStdString();
    });
    ModelPage page(&document);
    page.library()->setFolders({lib});
    QVERIFY(waitScan(page.library()));
    QCOMPARE(page.library()->entries().size(), 8 + 2 + (scripted ? 1 : 0));
    QVERIFY(page.scratchTextBox()->isHidden());

    const auto ft = entry(page.library(), QStringLiteral("lid.176.ftz"));
    QVERIFY(ft.supported && !ft.image);
    QCOMPARE(ft.sourceFormat, QStringLiteral("fasttext"));
    QVERIFY2(ft.license.startsWith(QStringLiteral("CC-BY-SA-3.0")), qPrintable(ft.license));
    // Input 50000 x 16 (decoded from product-quantized codes) + output 176 x 16, as counted by
    // the independent reader tests/reference/fasttext/matrix_shapes.py.
    QFile shapesFile(QString::fromStdString(tb::testing::fixture("fasttext/matrix_shapes.json")));
    QVERIFY(shapesFile.open(QIODevice::ReadOnly));
    const qint64 ftParameters = QJsonDocument::fromJson(shapesFile.readAll())
                                    .object()[QStringLiteral("lid.176.ftz")]
                                    .toObject()[QStringLiteral("parameters")]
                                    .toInteger();
    QCOMPARE(ft.parameters, qint64(802816));
    QCOMPARE(ft.parameters, ftParameters);
    const auto imported = entry(page.library(), QStringLiteral("imported"));
    QCOMPARE(imported.license, QStringLiteral("MIT (package.json of npm demo-models@1.2.3)"));
    QVERIFY(imported.image);
    if (scripted) {
        const auto script = entry(page.library(), QStringLiteral("scripted.pt"));
        QVERIFY(script.supported && script.image);
        QCOMPARE(script.sourceFormat, QStringLiteral("TorchScript"));
        QVERIFY(script.notes.join(QLatin1Char('|')).contains(QStringLiteral("trust")));
        QCOMPARE(script.parameters, qint64(4 * 3 * 3 * 3 + 4));  // the Conv2d; read unrun
    }
    const auto resnet = entry(page.library(), QStringLiteral("ResNet-18"));
    QCOMPARE(resnet.modelArchitecture, QStringLiteral("resnet18"));
    QCOMPARE(resnet.source, QStringLiteral("built-in"));
    QTableWidget* table = page.library()->table();
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString name = table->item(r, 0)->text();
        const bool enabled = table->item(r, 0)->flags() & Qt::ItemIsEnabled;
        const bool text =
            name == QStringLiteral("lid.176.ftz") || name.startsWith(QStringLiteral("BiLSTM"));
        QCOMPARE(enabled, text);
        QVERIFY(table->item(r, ModelLibraryPanel::Name)
                    ->toolTip()
                    .contains(QStringLiteral("Licence: ")));
    }

    // The BiLSTM: model.architecture, its options box, a summary with the computed count.
    QVERIFY(pickRow(page, QStringLiteral("BiLSTM (word vocabulary)")));
    QCOMPARE(document.config().model.architecture, std::string("bilstm"));
    QVERIFY(document.config().model.path.empty());
    QVERIFY(!page.scratchTextBox()->isHidden());
    QVERIFY(page.adaptation()->isHidden());
    QVERIFY2(page.summaryValue(QStringLiteral("Type")).contains(QStringLiteral("BiLSTM")),
             qPrintable(page.summaryValue(QStringLiteral("Type"))));
    page.embeddingDimSpin()->setValue(64);
    page.lstmHiddenSizeSpin()->setValue(32);
    page.lstmLayersSpin()->setValue(2);
    page.vocabMinCountSpin()->setValue(2);
    page.vocabMaxSizeSpin()->setValue(5000);
    page.scratchPoolingCombo()->setCurrentIndex(1);
    emit page.scratchPoolingCombo()->activated(1);
    const auto& m = document.config().model;
    QCOMPARE(m.embedding_dim, 64);
    QCOMPARE(m.lstm_hidden_size, 32);
    QCOMPARE(m.lstm_layers, 2);
    QCOMPARE(m.vocab_min_count, 2);
    QCOMPARE(m.vocab_max_size, 5000);
    QCOMPARE(m.pooling, std::string("attention"));
    tb::model::BuiltinSizes sizes;
    sizes.embedding_dim = 64;
    sizes.hidden_size = 32;
    sizes.num_layers = 2;
    sizes.vocab_size = 5000;
    sizes.attention_pooling = true;
    const qint64 count = tb::model::builtin_parameter_count("bilstm", sizes);
    QCOMPARE(entry(page.library(), QStringLiteral("BiLSTM (word vocabulary)")).parameters, count);
    QVERIFY2(page.summaryValue(QStringLiteral("Parameters")).startsWith(formatCount(count)),
             qPrintable(page.summaryValue(QStringLiteral("Parameters"))));
    const QString yaml = m_dir.filePath(QStringLiteral("bilstm.yaml"));
    QVERIFY2(document.save(yaml), qPrintable(document.errorString()));
    const auto saved = tb::io::load_experiment(yaml.toStdString());
    QCOMPARE(saved.model.architecture, std::string("bilstm"));
    QCOMPARE(saved.model.lstm_layers, 2);
    QCOMPARE(saved.model.embedding_dim, 64);
    QCOMPARE(saved.model.pooling, std::string("attention"));

    // The fastText file: model.path, the file's summary and licence; BiLSTM options go away.
    QVERIFY(pickRow(page, QStringLiteral("lid.176.ftz")));
    QCOMPARE(document.resolvedPath(document.config().model.path),
             QDir(lib).filePath(QStringLiteral("lid.176.ftz")));
    QVERIFY(document.config().model.architecture.empty());
    QCOMPARE(document.config().model.pooling, std::string("auto"));
    QVERIFY(page.scratchTextBox()->isHidden());
    QVERIFY(page.errorBanner()->text().isEmpty());
    QCOMPARE(page.summaryValue(QStringLiteral("Weights")), QStringLiteral("fasttext"));
    QCOMPARE(page.summaryValue(QStringLiteral("Parameters")), formatCount(ftParameters));
    QVERIFY2(page.summaryValue(QStringLiteral("Hidden size")).startsWith(QStringLiteral("16")),
             qPrintable(page.summaryValue(QStringLiteral("Hidden size"))));
    QVERIFY(!page.freezeFastTextCheck()->isHidden());
    page.freezeFastTextCheck()->setChecked(true);
    QVERIFY(document.config().model.freeze_backbone);
    QVERIFY2(document.save(yaml), qPrintable(document.errorString()));
    const auto fasttext = tb::io::load_experiment(yaml.toStdString());
    QCOMPARE(fasttext.model.path, document.config().model.path);
    QVERIFY(fasttext.model.freeze_backbone);
    // Back to the BiLSTM: nothing to freeze there, so the key is cleared.
    QVERIFY(pickRow(page, QStringLiteral("BiLSTM (word vocabulary)")));
    QVERIFY(!document.config().model.freeze_backbone);
    QVERIFY(page.freezeFastTextCheck()->isHidden());
    QVERIFY2(document.save(yaml), qPrintable(document.errorString()));
    QCOMPARE(tb::io::load_experiment(yaml.toStdString()).model.architecture, std::string("bilstm"));

    // Another text task: the BiLSTM and fastText rows say they train text_classification only.
    document.update([](tb::io::ExperimentConfig& c) { c.dataset.task = "multi_label"; });
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text().startsWith(QStringLiteral("BiLSTM"))) {
            QVERIFY(!(table->item(r, 0)->flags() & Qt::ItemIsEnabled));
            QVERIFY(table->item(r, ModelLibraryPanel::Status)
                        ->text()
                        .contains(QStringLiteral("text_classification")));
        }
    page.library()->setFolders({});
}

QTEST_MAIN(TestModelPage)
#include "tst_model_page.moc"
