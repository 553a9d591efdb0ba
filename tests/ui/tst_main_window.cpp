// Main window and page tests: four pages, loading an experiment fills every page, data and model
// problems show in place, edits reach the document, save/load round trip.
#include <QComboBox>
#include <QListWidget>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "main_window.h"
#include "pages/data_page.h"
#include "pages/model_page.h"
#include "pages/table_preview_model.h"
#include "pages/train_page.h"
#include "test_support.h"
#include "widgets/error_banner.h"
#include "widgets/label_bar_chart.h"

using namespace tb::ui;

namespace {

QString fixture(const char* name) {
    return QStringLiteral(TB_FIXTURES_DIR "/ui/") + QLatin1String(name);
}

// The Data page reads and checks data on a worker thread: wait until it is idle.
bool waitIdle(DataPage* page) {
    return QTest::qWaitFor([page] { return !page->isBusy(); }, 30000);
}

bool writeFile(const QString& path, const QByteArray& text) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void opensWithFourPages();
    void navigationSwitchesPages();
    void loadingFillsPages();
    void dataProblemsAreListed();
    void fatalParseErrorShowsBanner();
    void badModelFolderShowsBanner();
    void editsReachDocument();
    void saveAsKeepsPathsValid();
    void invalidExperimentIsReported();
    void loadsTheBundledDemoExperiment();

private:
    QTemporaryDir m_dir;
    QString m_experiment;
};

void TestMainWindow::initTestCase() {
    QVERIFY(m_dir.isValid());
    const QString model = m_dir.filePath(QStringLiteral("model"));
    tb::testing::make_tiny_model(model.toStdString(), fixture("separable.csv").toStdString());
    m_experiment = m_dir.filePath(QStringLiteral("exp.yaml"));
    const QByteArray yaml =
        "name: ui-test\n"
        "dataset:\n"
        "  path: " +
        fixture("separable.csv").toUtf8() +
        "\n"
        "  text_column: text\n"
        "  label_column: label\n"
        "model:\n"
        "  path: model\n"
        "  max_length: 32\n"
        "training:\n"
        "  epochs: 2\n"
        "  batch_size: 8\n";
    QVERIFY(writeFile(m_experiment, yaml));
}

void TestMainWindow::opensWithFourPages() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.navigation()->count(), 5);
    QCOMPARE(window.pages()->count(), 5);
    QCOMPARE(window.navigation()->item(0)->text(), QStringLiteral("Data"));
    QCOMPARE(window.navigation()->item(3)->text(), QStringLiteral("Evaluate"));
    QCOMPARE(window.currentPage(), MainWindow::DataPageIndex);
    QVERIFY(window.windowTitle().contains(QStringLiteral("Untitled")));
    QCOMPARE(window.size(), QSize(1200, 800));
}

void TestMainWindow::navigationSwitchesPages() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QListWidget* nav = window.navigation();
    const QRect rect = nav->visualItemRect(nav->item(MainWindow::TrainPageIndex));
    QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(window.pages()->currentWidget(), static_cast<QWidget*>(window.trainPage()));
    window.showPage(MainWindow::ModelPageIndex);
    QCOMPARE(window.pages()->currentWidget(), static_cast<QWidget*>(window.modelPage()));
}

void TestMainWindow::loadingFillsPages() {
    MainWindow window;
    window.show();
    QVERIFY2(window.openExperiment(m_experiment), qPrintable(window.lastError()));
    QVERIFY(window.windowTitle().contains(QStringLiteral("exp.yaml")));
    QVERIFY(!window.document()->isModified());

    DataPage* data = window.dataPage();
    QVERIFY(waitIdle(data));
    QVERIFY(data->errorBanner()->isHidden());
    QCOMPARE(data->previewModel()->rowCount(), 60);
    QCOMPARE(data->previewModel()->columnCount(), 3);
    QCOMPARE(data->previewModel()->headerData(1, Qt::Horizontal).toString(),
             QStringLiteral("text"));
    QCOMPARE(data->previewModel()->headerData(0, Qt::Vertical).toLongLong(), 2LL);  // file line
    QCOMPARE(data->textColumnCombo()->currentData().toString(), QStringLiteral("text"));
    QCOMPARE(data->labelColumnCombo()->currentData().toString(), QStringLiteral("label"));
    QCOMPARE(data->textColumnCombo()->count(), 3);
    QCOMPARE(data->labelChart()->barCount(), 2);
    QCOMPARE(data->labelChart()->count(0) + data->labelChart()->count(1), qint64(60));
    QCOMPARE(data->problemList()->count(), 0);

    ModelPage* model = window.modelPage();
    QVERIFY(model->errorBanner()->isHidden());
    QVERIFY(model->folderInfo().has_value());
    QCOMPARE(model->summaryValue(QStringLiteral("Type")), QStringLiteral("bert"));
    QCOMPARE(model->summaryValue(QStringLiteral("Layers")), QStringLiteral("1"));
    QCOMPARE(model->summaryValue(QStringLiteral("Hidden size")), QStringLiteral("32"));
    QCOMPARE(model->summaryValue(QStringLiteral("Attention heads")), QStringLiteral("2"));
    QCOMPARE(model->summaryValue(QStringLiteral("Max positions")), QStringLiteral("64"));
    QVERIFY(model->summaryValue(QStringLiteral("Parameters")).contains(QLatin1Char('k')));
    QVERIFY(model->summaryValue(QStringLiteral("Weights"))
                .startsWith(QStringLiteral("model.safetensors")));

    auto* epochs = window.trainPage()->findChild<QSpinBox*>(QStringLiteral("epochs"));
    QVERIFY(epochs);
    QCOMPARE(epochs->value(), 2);
    auto* batch = window.trainPage()->findChild<QSpinBox*>(QStringLiteral("batchSize"));
    QVERIFY(batch);
    QCOMPARE(batch->value(), 8);
}

void TestMainWindow::dataProblemsAreListed() {
    MainWindow window;
    DataPage* data = window.dataPage();
    data->setDataFile(fixture("with_problems.csv"));
    QVERIFY(waitIdle(data));
    QVERIFY(data->errorBanner()->isHidden());
    QCOMPARE(data->previewModel()->rowCount(), 5);
    QCOMPARE(data->labelChart()->barCount(), 2);
    // Two bad rows, then two warnings: both labels are rarer than 5 examples.
    QCOMPARE(data->problemList()->count(), 4);
    QVERIFY(data->problemList()->item(2)->text().startsWith(QStringLiteral("⚠")));
    QVERIFY(data->problemList()->item(3)->text().contains(QStringLiteral("rarer")) ||
            data->problemList()->item(3)->text().contains(QStringLiteral("only")));
    // "file:line:column: message", with the line of the offending row.
    const QString first = data->problemList()->item(0)->text();
    QVERIFY2(first.contains(QStringLiteral("with_problems.csv:3")), qPrintable(first));
    const QString second = data->problemList()->item(1)->text();
    QVERIFY2(second.contains(QStringLiteral("with_problems.csv:4")), qPrintable(second));
    QVERIFY(window.document()->isModified());
}

void TestMainWindow::fatalParseErrorShowsBanner() {
    MainWindow window;
    window.show();
    DataPage* data = window.dataPage();
    data->setDataFile(fixture("broken.csv"));
    QVERIFY(waitIdle(data));
    QVERIFY(!data->errorBanner()->isHidden());
    const QString text = data->errorBanner()->text();
    QVERIFY2(text.contains(QStringLiteral("broken.csv:3")), qPrintable(text));
    QCOMPARE(data->previewModel()->rowCount(), 0);
    // A good file clears it.
    data->setDataFile(fixture("separable.csv"));
    QVERIFY(waitIdle(data));
    QVERIFY(data->errorBanner()->isHidden());
    QCOMPARE(data->previewModel()->rowCount(), 60);
}

void TestMainWindow::badModelFolderShowsBanner() {
    MainWindow window;
    window.show();
    const QString empty = m_dir.filePath(QStringLiteral("not-a-model"));
    QVERIFY(QDir().mkpath(empty));
    window.modelPage()->setModelFolder(empty);
    QVERIFY(!window.modelPage()->errorBanner()->isHidden());
    QVERIFY(window.modelPage()->errorBanner()->text().contains(QStringLiteral("config.json")));
    QVERIFY(!window.modelPage()->folderInfo().has_value());
    QCOMPARE(window.modelPage()->summaryValue(QStringLiteral("Layers")), QStringLiteral("–"));
}

void TestMainWindow::editsReachDocument() {
    MainWindow window;
    QVERIFY(window.openExperiment(m_experiment));
    auto* epochs = window.trainPage()->findChild<QSpinBox*>(QStringLiteral("epochs"));
    QVERIFY(epochs);
    QCOMPARE(epochs->value(), 2);
    epochs->setValue(5);
    QCOMPARE(window.document()->config().training.epochs, 5);
    QVERIFY(window.document()->isModified());
    QVERIFY(window.isWindowModified());
    // Choosing another label column updates the document and the label chart.
    DataPage* data = window.dataPage();
    QVERIFY(waitIdle(data));
    const int idIndex = data->labelColumnCombo()->findData(QStringLiteral("id"));
    QVERIFY(idIndex >= 0);
    data->labelColumnCombo()->setCurrentIndex(idIndex);
    emit data->labelColumnCombo()->activated(idIndex);
    QCOMPARE(window.document()->config().dataset.label_column, std::string("id"));
    QVERIFY(waitIdle(data));
    QCOMPARE(data->labelChart()->barCount(), 40);  // the 40 largest of 60 classes
}

void TestMainWindow::saveAsKeepsPathsValid() {
    ExperimentDocument doc;
    QVERIFY(doc.load(m_experiment));
    const QString modelBefore = doc.resolvedPath(doc.config().model.path);
    const QString copy = m_dir.filePath(QStringLiteral("elsewhere/copy.yaml"));
    QVERIFY(QDir().mkpath(QFileInfo(copy).absolutePath()));
    QVERIFY2(doc.save(copy), qPrintable(doc.errorString()));
    QCOMPARE(doc.filePath(), copy);
    QVERIFY(!doc.isModified());
    ExperimentDocument reloaded;
    QVERIFY2(reloaded.load(copy), qPrintable(reloaded.errorString()));
    QCOMPARE(reloaded.resolvedPath(reloaded.config().model.path), modelBefore);
    QCOMPARE(reloaded.config().training.epochs, 2);
}

void TestMainWindow::invalidExperimentIsReported() {
    const QString bad = m_dir.filePath(QStringLiteral("bad.yaml"));
    QVERIFY(writeFile(bad,
                      "name: x\ndataset:\n  path: a.csv\nmodel:\n  path: m\ntraining:\n"
                      "  epochs: many\n"));
    MainWindow window;
    QVERIFY(!window.openExperiment(bad));
    QVERIFY2(window.lastError().contains(QStringLiteral("bad.yaml:7")),
             qPrintable(window.lastError()));
    QVERIFY(window.windowTitle().contains(QStringLiteral("Untitled")));
}

// The demo experiment as shipped (its model folder is made by set-up, so a tiny stand-in model is
// put in its place in a copy of the experiment): every page fills from the real demo data.
void TestMainWindow::loadsTheBundledDemoExperiment() {
    auto config = tb::io::load_experiment(TB_SOURCE_DIR "/resources/demo/demo_experiment.yaml");
    config.dataset.path = config.resolve(config.dataset.path);
    config.model.path = m_dir.filePath(QStringLiteral("model")).toStdString();
    const QString path = m_dir.filePath(QStringLiteral("demo.yaml"));
    tb::io::save_experiment(config, path.toStdString());

    MainWindow window;
    window.show();
    QVERIFY2(window.openExperiment(path), qPrintable(window.lastError()));
    DataPage* data = window.dataPage();
    QVERIFY(waitIdle(data));
    QVERIFY(data->errorBanner()->isHidden());
    QCOMPARE(data->previewModel()->rowCount(), 100);  // a preview, not the whole file
    QCOMPARE(data->labelColumnCombo()->currentData().toString(), QStringLiteral("label"));
    QCOMPARE(data->labelChart()->barCount(), 2);
    QCOMPARE(data->labelChart()->count(0) + data->labelChart()->count(1), qint64(6046));
    QCOMPARE(std::max(data->labelChart()->count(0), data->labelChart()->count(1)), qint64(4150));
    QCOMPARE(data->summaryValue(QStringLiteral("Bad rows")), QStringLiteral("0"));
    QCOMPARE(data->summaryValue(QStringLiteral("Rows")), QStringLiteral("6046"));
    QVERIFY(window.modelPage()->errorBanner()->isHidden());
    auto* epochs = window.trainPage()->findChild<QSpinBox*>(QStringLiteral("epochs"));
    QVERIFY(epochs);
    QCOMPARE(epochs->value(), config.training.epochs);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
