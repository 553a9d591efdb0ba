// The pretraining dialog (Tools > Pretrain a language model): a tiny run driven through its
// widgets writes the model folder with the chosen settings and reports progress; the command
// line it shows, run by tunebench-cli, trains the same model; cancel leaves what the core
// documents (the folder, marked as stopped early); unusable options show the core's error.
#include <QtTest>

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include "document/experiment_document.h"
#include "main_window.h"
#include "pages/model_library_panel.h"
#include "pages/model_page.h"
#include "pretrain/pretrain_command_line.h"
#include "pretrain/pretrain_dialog.h"
#include "views/loss_plot.h"
#include "widgets/error_banner.h"

using namespace tb::ui;
using nlohmann::json;

namespace {

json readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return json();
    return json::parse(f.readAll().toStdString(), nullptr, false);
}

// The safetensors header's __metadata__ (8-byte little-endian length, then JSON), read here
// without the core's reader.
json safetensorsMetadata(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return json();
    const QByteArray head = f.read(8);
    if (head.size() != 8)
        return json();
    quint64 length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | static_cast<unsigned char>(head[i]);
    const json header = json::parse(f.read(static_cast<qint64>(length)).toStdString());
    return header.value("__metadata__", json::object());
}

// Settings of pretraining.json that a rerun of the same options must repeat.
json settingsOf(const json& info) {
    json s;
    for (const char* key :
         {"objective", "completed", "steps", "blocks_per_epoch", "corpus_word_pieces", "max_length",
          "batch_size", "learning_rate", "weight_decay", "warmup_ratio", "seed", "mask_probability",
          "whole_word_mask", "device", "corpus_files"})
        s[key] = info.value(key, json());
    return s;
}

}  // namespace

class TestPretrainDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void defaultsAreTheCoreDefaults();
    void tinyRunWritesTheChosenModel();
    void shownCommandLineRepeatsTheRun();
    void cancelWritesTheModelMarkedStoppedEarly();
    void closingWhileRunningCancelsFirst();
    void unusableOptionsShowTheError();
    void mainWindowActionAndUseModel();

private:
    // The tiny model of these tests, set through the widgets.
    void setTinyModel(PretrainDialog& dialog, const QString& out, int steps);
    bool runToEnd(PretrainDialog& dialog);

    QTemporaryDir m_dir;
    QString m_corpus;
    QString m_model;  // written by tinyRunWritesTheChosenModel
};

void TestPretrainDialog::initTestCase() {
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("tunebench-test-pretrain-dialog"));
    qputenv("HF_HOME", m_dir.filePath(QStringLiteral("hf")).toUtf8());
    qputenv("HF_HUB_CACHE", m_dir.filePath(QStringLiteral("hf/hub")).toUtf8());
    // A few dozen lines of text, one text per line.
    m_corpus = m_dir.filePath(QStringLiteral("corpus.txt"));
    QFile f(m_corpus);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const char* subjects[] = {"the cat",        "a dog",       "my neighbour",
                              "the old farmer", "our teacher", "the little bird"};
    const char* verbs[] = {"watches", "follows", "paints", "remembers", "greets", "carries"};
    const char* objects[] = {"the river",   "a red kite",   "the mountains",
                             "an umbrella", "the children", "a basket of apples"};
    for (int i = 0; i < 36; ++i)
        f.write(QByteArray(subjects[i % 6]) + ' ' + verbs[(i / 6) % 6] + ' ' +
                objects[(i + 3) % 6] + " every morning before breakfast.\n");
}

void TestPretrainDialog::defaultsAreTheCoreDefaults() {
    PretrainDialog dialog;
    const tb::pretrain::PretrainOptions core;
    const auto o = dialog.options();
    QVERIFY(o.corpus_files.empty());
    QCOMPARE(o.text_column, core.text_column);
    QCOMPARE(o.vocab_size, core.vocab_size);
    QCOMPARE(o.min_frequency, core.min_frequency);
    QCOMPARE(o.limit_alphabet, core.limit_alphabet);
    QCOMPARE(o.lowercase, core.lowercase);
    QCOMPARE(o.layers, core.layers);
    QCOMPARE(o.hidden, core.hidden);
    QCOMPARE(o.heads, core.heads);
    QCOMPARE(o.intermediate, core.intermediate);
    QCOMPARE(o.max_length, core.max_length);
    QCOMPARE(o.epochs, core.epochs);
    QCOMPARE(o.steps, core.steps);
    QCOMPARE(o.batch_size, core.batch_size);
    QCOMPARE(o.learning_rate, core.learning_rate);
    QCOMPARE(o.warmup_ratio, core.warmup_ratio);
    QCOMPARE(o.weight_decay, core.weight_decay);
    QCOMPARE(o.masking.mask_probability, core.masking.mask_probability);
    QCOMPARE(o.masking.whole_word, core.masking.whole_word);
    QCOMPARE(o.seed, core.seed);
    QCOMPARE(o.device, core.device);
    QCOMPARE(o.log_every, core.log_every);
    QCOMPARE(o.init_only, core.init_only);
    QVERIFY(o.from_dir.empty());
    QVERIFY(dialog.commandLineEdit()->isReadOnly());
    QVERIFY(dialog.commandLineEdit()->text().startsWith(QStringLiteral("tunebench-cli pretrain ")));

    // Continuing a model leaves out what the continued model keeps.
    dialog.continueRadio()->setChecked(true);
    dialog.fromDirEdit()->setText(QStringLiteral("/models/my bert"));
    const QString line = dialog.commandLineEdit()->text();
    QVERIFY2(line.contains(QStringLiteral("--from '/models/my bert'")), qPrintable(line));
    QVERIFY(!line.contains(QStringLiteral("--vocab-size")));
    QVERIFY(!dialog.vocabSizeSpin()->isEnabled());
}

void TestPretrainDialog::setTinyModel(PretrainDialog& dialog, const QString& out, int steps) {
    dialog.setCorpusFiles({m_corpus});
    dialog.newModelRadio()->setChecked(true);
    dialog.vocabSizeSpin()->setValue(100);
    dialog.layersSpin()->setValue(1);
    dialog.hiddenSpin()->setValue(16);
    dialog.headsSpin()->setValue(2);
    dialog.intermediateSpin()->setValue(32);
    dialog.maxLengthSpin()->setValue(32);
    dialog.byStepsRadio()->setChecked(true);
    dialog.stepsSpin()->setValue(steps);
    dialog.batchSizeSpin()->setValue(4);
    dialog.learningRateSpin()->setValue(3e-3);
    dialog.wholeWordCheck()->setChecked(true);
    dialog.seedSpin()->setValue(7);
    dialog.logEverySpin()->setValue(2);
    dialog.deviceCombo()->setCurrentText(QStringLiteral("cpu"));
    dialog.outDirEdit()->setText(out);
}

bool TestPretrainDialog::runToEnd(PretrainDialog& dialog) {
    QSignalSpy finished(dialog.runner(), &PretrainRunner::finished);
    QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
    return finished.wait(60000) && !dialog.runner()->isRunning();
}

void TestPretrainDialog::tinyRunWritesTheChosenModel() {
    PretrainDialog dialog;
    dialog.show();
    m_model = m_dir.filePath(QStringLiteral("tiny-bert"));
    setTinyModel(dialog, m_model, 6);
    QVERIFY(runToEnd(dialog));
    QVERIFY2(dialog.errorBanner()->text().isEmpty(), qPrintable(dialog.errorBanner()->text()));

    for (const char* file : {"config.json", "model.safetensors", "vocab.txt", "pretraining.json"})
        QVERIFY2(QFile::exists(QDir(m_model).filePath(QLatin1String(file))), file);
    const json config = readJson(QDir(m_model).filePath(QStringLiteral("config.json")));
    QCOMPARE(config["hidden_size"].get<int>(), 16);
    QCOMPARE(config["num_hidden_layers"].get<int>(), 1);
    QCOMPARE(config["num_attention_heads"].get<int>(), 2);
    QCOMPARE(config["intermediate_size"].get<int>(), 32);
    QFile vocab(QDir(m_model).filePath(QStringLiteral("vocab.txt")));
    QVERIFY(vocab.open(QIODevice::ReadOnly));
    const int vocabLines = static_cast<int>(vocab.readAll().count('\n'));
    QVERIFY(vocabLines <= 100 && vocabLines > 5);
    QCOMPARE(config["vocab_size"].get<int>(), vocabLines);

    const json info = readJson(QDir(m_model).filePath(QStringLiteral("pretraining.json")));
    QCOMPARE(info["completed"].get<bool>(), true);
    QCOMPARE(info["steps"].get<int>(), 6);
    QCOMPARE(info["batch_size"].get<int>(), 4);
    QCOMPARE(info["max_length"].get<int>(), 32);
    QCOMPARE(info["seed"].get<int>(), 7);
    QCOMPARE(info["whole_word_mask"].get<bool>(), true);
    QCOMPARE(info["learning_rate"].get<double>(), 3e-3);
    QCOMPARE(info["device"].get<std::string>(), std::string("cpu"));
    QCOMPARE(info["corpus_files"][0].get<std::string>(), m_corpus.toStdString());
    QCOMPARE(info["loss_history"].size(), std::size_t{3});  // every 2 of 6 steps

    // Progress: every report reached the dialog, the bar, the status and the loss curve.
    QCOMPARE(dialog.progressReports(), 3);
    QCOMPARE(dialog.progressBar()->maximum(), 6);
    QCOMPARE(dialog.progressBar()->value(), 6);
    QTRY_COMPARE(dialog.lossPlot()->trainPointCount(), 3);
    QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("Pretrained")),
             qPrintable(dialog.statusLabel()->text()));
    QVERIFY(dialog.useModelButton()->isEnabled());
    QCOMPARE(dialog.lastOutputDir(), m_model);
    QVERIFY(!dialog.lastRunCancelled());
    QVERIFY(dialog.startButton()->isEnabled());
    QVERIFY(!dialog.cancelButton()->isEnabled());
    if (const QByteArray shots = qgetenv("TB_PRETRAIN_SCREENSHOT"); !shots.isEmpty())
        dialog.grab().save(QString::fromLocal8Bit(shots));
}

void TestPretrainDialog::shownCommandLineRepeatsTheRun() {
    QVERIFY(!m_model.isEmpty());
    PretrainDialog dialog;
    const QString again = m_dir.filePath(QStringLiteral("tiny-bert-cli"));
    setTinyModel(dialog, again, 6);
    // The shown line is the arguments, shell-quoted.
    QCOMPARE(dialog.commandLineEdit()->text(),
             shellCommandLine(QStringLiteral("tunebench-cli"), dialog.commandArguments()));
    QProcess cli;
    cli.start(QStringLiteral(TB_BINARY_DIR "/app/tunebench-cli"), dialog.commandArguments());
    QVERIFY(cli.waitForFinished(60000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    // Same settings, same model: the configuration, vocabulary and loss history match the run
    // the dialog made.
    const json gui = readJson(QDir(m_model).filePath(QStringLiteral("pretraining.json")));
    const json cmd = readJson(QDir(again).filePath(QStringLiteral("pretraining.json")));
    QCOMPARE(QString::fromStdString(settingsOf(cmd).dump()),
             QString::fromStdString(settingsOf(gui).dump()));
    QCOMPARE(readJson(QDir(again).filePath(QStringLiteral("config.json"))),
             readJson(QDir(m_model).filePath(QStringLiteral("config.json"))));
    QFile a(QDir(m_model).filePath(QStringLiteral("vocab.txt")));
    QFile b(QDir(again).filePath(QStringLiteral("vocab.txt")));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(b.readAll(), a.readAll());
    const auto& lossGui = gui["loss_history"];
    const auto& lossCli = cmd["loss_history"];
    QCOMPARE(lossCli.size(), lossGui.size());
    for (std::size_t i = 0; i < lossGui.size(); ++i)
        QVERIFY(std::abs(lossCli[i]["loss"].get<double>() - lossGui[i]["loss"].get<double>()) <
                1e-4);
}

void TestPretrainDialog::cancelWritesTheModelMarkedStoppedEarly() {
    PretrainDialog dialog;
    dialog.show();
    const QString out = m_dir.filePath(QStringLiteral("cancelled"));
    setTinyModel(dialog, out, 1000000);
    dialog.logEverySpin()->setValue(1);
    QSignalSpy finished(dialog.runner(), &PretrainRunner::finished);
    QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
    QVERIFY(dialog.runner()->isRunning());
    QVERIFY(!dialog.startButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.progressReports() >= 2, 30000);
    QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
    QVERIFY(dialog.statusLabel()->text().contains(QStringLiteral("Stopping")));
    QVERIFY(finished.wait(30000));

    // The core's contract: a cancelled run still writes the folder, as trained so far,
    // marked as not completed (pretraining.json) and stopped early (weights' metadata).
    QVERIFY(dialog.lastRunCancelled());
    const json info = readJson(QDir(out).filePath(QStringLiteral("pretraining.json")));
    QCOMPARE(info["completed"].get<bool>(), false);
    const int steps = info["steps"].get<int>();
    QVERIFY(steps >= 2 && steps < 1000000);
    const json meta = safetensorsMetadata(QDir(out).filePath(QStringLiteral("model.safetensors")));
    QVERIFY2(meta.value("tunebench_pretraining", std::string()).find("stopped early") !=
                 std::string::npos,
             meta.dump().c_str());
    const QString status = dialog.statusLabel()->text();
    QVERIFY2(status.contains(QStringLiteral("Cancelled after %1 steps").arg(steps)) &&
                 status.contains(QStringLiteral("\"completed\": false")),
             qPrintable(status));
    QVERIFY(dialog.useModelButton()->isEnabled());
    QVERIFY(dialog.startButton()->isEnabled());
}

void TestPretrainDialog::closingWhileRunningCancelsFirst() {
    PretrainDialog dialog;
    dialog.show();
    const QString out = m_dir.filePath(QStringLiteral("closed"));
    setTinyModel(dialog, out, 1000000);
    dialog.logEverySpin()->setValue(1);
    QSignalSpy finished(dialog.runner(), &PretrainRunner::finished);
    QVERIFY(dialog.start());
    QVERIFY(!dialog.start());  // one run at a time
    QTRY_VERIFY_WITH_TIMEOUT(dialog.progressReports() >= 1, 30000);
    dialog.reject();
    QVERIFY(dialog.isVisible());  // stays until the core has stopped and written the folder
    QVERIFY(finished.wait(30000));
    QVERIFY(!dialog.isVisible());
    QCOMPARE(readJson(QDir(out).filePath(QStringLiteral("pretraining.json")))["completed"], false);
}

void TestPretrainDialog::unusableOptionsShowTheError() {
    PretrainDialog dialog;
    dialog.show();
    // An empty corpus file: the core's error, shown; nothing written; ready for another try.
    const QString empty = m_dir.filePath(QStringLiteral("empty.txt"));
    QFile f(empty);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const QString out = m_dir.filePath(QStringLiteral("never"));
    setTinyModel(dialog, out, 4);
    dialog.setCorpusFiles({empty});
    QVERIFY(runToEnd(dialog));
    QVERIFY2(dialog.errorBanner()->isVisible(), "the error banner is not shown");
    QVERIFY2(dialog.errorBanner()->text().contains(QStringLiteral("the corpus has no text")) &&
                 dialog.errorBanner()->text().contains(empty),
             qPrintable(dialog.errorBanner()->text()));
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(dialog.startButton()->isEnabled());
    QVERIFY(!dialog.useModelButton()->isEnabled());
    QCOMPARE(dialog.progressReports(), 0);

    // Heads that do not divide the hidden size: the core refuses, the dialog says so.
    dialog.setCorpusFiles({m_corpus});
    dialog.headsSpin()->setValue(3);
    QVERIFY(runToEnd(dialog));
    QVERIFY2(dialog.errorBanner()->text().contains(QStringLiteral("multiple")),
             qPrintable(dialog.errorBanner()->text()));
    QVERIFY(!QFileInfo::exists(out));

    // No corpus file at all.
    dialog.setCorpusFiles({});
    dialog.headsSpin()->setValue(2);
    QVERIFY(runToEnd(dialog));
    QVERIFY2(dialog.errorBanner()->text().contains(QStringLiteral("corpus")),
             qPrintable(dialog.errorBanner()->text()));
}

void TestPretrainDialog::mainWindowActionAndUseModel() {
    QVERIFY(!m_model.isEmpty());
    MainWindow window;
    window.show();
    auto* action = window.findChild<QAction*>(QStringLiteral("pretrainAction"));
    QVERIFY(action);
    action->trigger();
    PretrainDialog* dialog = window.pretrainDialog();
    QVERIFY(dialog->isVisible());
    dialog->hide();
    // The Model page's button opens the same dialog.
    auto* button = window.modelPage()->findChild<QPushButton*>(QStringLiteral("pretrainButton"));
    QVERIFY(button);
    button->click();
    QVERIFY(dialog->isVisible());
    QCOMPARE(window.pretrainDialog(), dialog);

    // "Add to model library and use it": listed in the library, chosen as the model.
    emit dialog->useModelRequested(m_model);
    QCOMPARE(window.currentPage(), MainWindow::ModelPageIndex);
    ModelLibraryPanel* library = window.modelPage()->library();
    QVERIFY(library->folders().contains(m_model));
    library->waitUntilScanned();
    bool listed = false;
    for (const auto& e : library->entries())
        listed = listed || (e.path == m_model && e.supported);
    QVERIFY(listed);
    QCOMPARE(window.document()->resolvedPath(window.document()->config().model.path), m_model);
    QCOMPARE(window.modelPage()->summaryValue(QStringLiteral("Hidden size")), QStringLiteral("16"));
    library->removeFolder(m_model);
}

QTEST_MAIN(TestPretrainDialog)
#include "tst_pretrain_dialog.moc"
