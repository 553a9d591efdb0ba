// Data page's image preprocessing panel and the Model page's adoption of an image model
// folder's preprocessing: what the user sets is what the experiment (YAML) says.
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "document/experiment_document.h"
#include "io/experiment_config.h"
#include "pages/image_preprocessing_panel.h"
#include "pages/model_page.h"

using tb::ui::ExperimentDocument;
using tb::ui::ImagePreprocessingPanel;
using tb::ui::ModelPage;

class TestImagePreprocessingPanel : public QObject {
    Q_OBJECT

private slots:
    void init();
    void editsReachTheExperiment();
    void invalidNormalizationIsShownNotWritten();
    void useModelPreprocessing();
    void modelPageAdoptsFolderPreprocessing();

private:
    QString writeModelFolder(const QString& name, const QString& configJson);
    QTemporaryDir m_dir;
};

namespace {

template <typename T>
T* child(QWidget& parent, const char* name) {
    return parent.findChild<T*>(QLatin1String(name));
}

}  // namespace

void TestImagePreprocessingPanel::init() {
    QVERIFY(m_dir.isValid());
}

QString TestImagePreprocessingPanel::writeModelFolder(const QString& name,
                                                      const QString& configJson) {
    const QString path = m_dir.filePath(name);
    QDir().mkpath(path);
    QFile f(path + QStringLiteral("/config.json"));
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(configJson.toUtf8());
    return path;
}

void TestImagePreprocessingPanel::editsReachTheExperiment() {
    ExperimentDocument doc;
    doc.update([](tb::io::ExperimentConfig& c) {
        c.dataset.path = "images";
        c.dataset.task = "image_classification";
        c.model.architecture = "small_cnn";
    });
    ImagePreprocessingPanel panel(&doc);
    auto* width = child<QSpinBox>(panel, "imageWidth");
    auto* shorter = child<QSpinBox>(panel, "imageResizeShorter");
    auto* colour = child<QComboBox>(panel, "imageColour");
    auto* resize = child<QComboBox>(panel, "imageResize");
    QVERIFY(width && shorter && colour && resize);
    QCOMPARE(width->value(), 224);
    QCOMPARE(shorter->value(), 0);

    shorter->setValue(256);
    emit shorter->editingFinished();
    QCOMPARE(doc.config().dataset.image_resize_shorter, 256);
    colour->setCurrentIndex(colour->findData(QStringLiteral("BGR")));
    emit colour->activated(colour->currentIndex());
    QCOMPARE(doc.config().dataset.image_channel_order, std::string("BGR"));
    // Stretching has no shorter side: the spin box is disabled and the key goes back to 0.
    resize->setCurrentIndex(resize->findData(QStringLiteral("stretch")));
    emit resize->activated(resize->currentIndex());
    QCOMPARE(doc.config().dataset.image_resize, std::string("stretch"));
    QCOMPARE(doc.config().dataset.image_resize_shorter, 0);
    QVERIFY(!shorter->isEnabled());
    // Grey: one channel, and the statistics follow (the RGB triples no longer fit).
    colour->setCurrentIndex(colour->findData(QStringLiteral("grey")));
    emit colour->activated(colour->currentIndex());
    QCOMPARE(doc.config().dataset.image_channels, 1);
    QCOMPARE(doc.config().dataset.image_channel_order, std::string("RGB"));
    QCOMPARE(doc.config().dataset.normalize_mean, std::vector<double>{0.5});
    // The experiment written by the panel is a valid YAML experiment with the same keys.
    const auto back = tb::io::parse_experiment(tb::io::to_yaml(doc.config()));
    QCOMPARE(back.dataset.image_channels, 1);
    QCOMPARE(back.dataset.image_resize, std::string("stretch"));
}

void TestImagePreprocessingPanel::invalidNormalizationIsShownNotWritten() {
    ExperimentDocument doc;
    doc.update([](tb::io::ExperimentConfig& c) {
        c.dataset.path = "images";
        c.dataset.task = "image_classification";
    });
    ImagePreprocessingPanel panel(&doc);
    auto* mean = child<QLineEdit>(panel, "normalizeMean");
    QVERIFY(mean);
    mean->setText(QStringLiteral("0.5, 0.5"));
    emit mean->editingFinished();
    QCOMPARE(doc.config().dataset.normalize_mean, (std::vector<double>{0.485, 0.456, 0.406}));
    bool shown = false;
    for (auto* label : panel.findChildren<QLabel*>())
        shown = shown || (label->isVisibleTo(&panel) && label->text().contains("one per channel"));
    QVERIFY(shown);
    mean->setText(QStringLiteral("0.5, 0.4, 0.3"));
    emit mean->editingFinished();
    QCOMPARE(doc.config().dataset.normalize_mean, (std::vector<double>{0.5, 0.4, 0.3}));
}

void TestImagePreprocessingPanel::useModelPreprocessing() {
    const QString folder = writeModelFolder(
        QStringLiteral("bgr_model"),
        QStringLiteral(R"({"architecture": "resnet18", "preprocessing": {"width": 96,
            "height": 80, "resize_shorter": 110, "channels": 3, "channel_order": "BGR",
            "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}})"));
    ExperimentDocument doc;
    doc.update([&](tb::io::ExperimentConfig& c) {
        c.dataset.task = "image_classification";
        c.model.path = folder.toStdString();
    });
    ImagePreprocessingPanel panel(&doc);
    QVERIFY(panel.modelNote().startsWith(QStringLiteral("Differs")));
    auto* use = child<QPushButton>(panel, "useModelPreprocessing");
    QVERIFY(use && use->isEnabled());
    use->click();
    const auto& d = doc.config().dataset;
    QCOMPARE(d.image_width, 96);
    QCOMPARE(d.image_height, 80);
    QCOMPARE(d.image_resize_shorter, 110);
    QCOMPARE(d.image_channel_order, std::string("BGR"));
    QCOMPARE(d.normalize_std, (std::vector<double>{0.25, 0.25, 0.25}));
    QVERIFY(panel.modelNote().startsWith(QStringLiteral("Matches")));
    QVERIFY(!use->isEnabled());
    // No image model folder: nothing to adopt, nothing changes.
    doc.update([](tb::io::ExperimentConfig& c) { c.model.path.clear(); });
    QVERIFY(!panel.useModelPreprocessing());
    QCOMPARE(doc.config().dataset.image_width, 96);
}

void TestImagePreprocessingPanel::modelPageAdoptsFolderPreprocessing() {
    const QString folder = writeModelFolder(QStringLiteral("resnet"),
                                            QStringLiteral(R"({"architecture": "resnet18"})"));
    ExperimentDocument doc;
    doc.update([](tb::io::ExperimentConfig& c) {
        c.dataset.task = "image_classification";
        c.dataset.image_width = 64;
        c.dataset.image_height = 64;
    });
    ModelPage page(&doc);
    page.setModelFolder(folder);
    // torchvision's recipe for ResNets: resize 256, crop 224, ImageNet statistics.
    const auto& d = doc.config().dataset;
    QCOMPARE(d.image_width, 224);
    QCOMPARE(d.image_resize, std::string("shorter_side_crop"));
    QCOMPARE(d.image_resize_shorter, 256);
    // A text task keeps its dataset settings whatever the folder.
    ExperimentDocument text;
    ModelPage textPage(&text);
    textPage.setModelFolder(folder);
    QCOMPARE(text.config().dataset.image_resize_shorter, 0);
}

QTEST_MAIN(TestImagePreprocessingPanel)
#include "tst_image_preprocessing_panel.moc"
