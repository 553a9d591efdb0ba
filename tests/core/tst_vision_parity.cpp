// ResNet-18/34/50 and MobileNetV2 against torchvision: same tensor names and parameter counts,
// and the same eval-mode outputs for torchvision's weights loaded from safetensors. The
// reference (tests/reference/vision/torchvision_reference.py) runs at test time into a
// temporary folder, so the ~230 MB of weights never enter the repository.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <torch/torch.h>

#include "common/error.h"
#include "model/safetensors.h"
#include "model/vision/image_model_factory.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace tb;
using namespace tb::model;
using namespace tb::model::vision;

namespace {

const std::string kReferenceScript =
    TB_SOURCE_DIR "/tests/reference/vision/torchvision_reference.py";
constexpr double kTolerance = 1e-4;
constexpr std::int64_t kClasses = 10;

torch::Tensor read_tensor(const std::string& path, const std::string& name) {
    return to_torch(SafetensorsFile::open(path).read(name));
}

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

std::vector<std::string> names_of(torch::nn::Module& m) {
    std::vector<std::string> names;
    for (const auto& p : m.named_parameters())
        names.push_back(p.key());
    for (const auto& b : m.named_buffers())
        names.push_back(b.key());
    return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

class TestVisionParity : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void names_and_counts_match_torchvision_data();
    void names_and_counts_match_torchvision();
    void outputs_match_torchvision_data();
    void outputs_match_torchvision();
    void backbone_weights_take_a_new_head();

private:
    QTemporaryDir dir_;
    bool reference_ok_ = false;
    QString reference_error_;
    std::string path(const std::string& file) const {
        return dir_.path().toStdString() + "/" + file;
    }
};

void TestVisionParity::initTestCase() {
    QVERIFY(dir_.isValid());
    QProcess python;
    python.start(QStringLiteral(TB_SYSTEM_PYTHON),
                 {QString::fromStdString(kReferenceScript), dir_.path(), "--size", "64", "--batch",
                  "2", "--classes", QString::number(kClasses)});
    reference_ok_ = python.waitForFinished(240000) && python.exitStatus() == QProcess::NormalExit &&
                    python.exitCode() == 0;
    if (!reference_ok_)
        reference_error_ = QString::fromLocal8Bit(python.readAllStandardError()).right(600);
}

void TestVisionParity::names_and_counts_match_torchvision_data() {
    QTest::addColumn<QString>("arch");
    QTest::addColumn<qlonglong>("parameters");  // torchvision 0.14, 1000 classes
    QTest::addColumn<int>("state_entries");     // len(model.state_dict())
    QTest::addColumn<QStringList>("names");
    QTest::newRow("resnet18") << "resnet18" << 11689512LL << 122
                              << QStringList{"conv1.weight",
                                             "bn1.running_mean",
                                             "layer1.0.conv1.weight",
                                             "layer2.0.downsample.0.weight",
                                             "layer4.1.bn2.num_batches_tracked",
                                             "fc.weight"};
    QTest::newRow("resnet34") << "resnet34" << 21797672LL << 218
                              << QStringList{"layer3.5.conv2.weight", "fc.bias"};
    QTest::newRow("resnet50") << "resnet50" << 25557032LL << 320
                              << QStringList{"layer1.0.downsample.0.weight",
                                             "layer1.0.downsample.1.running_var",
                                             "layer4.2.conv3.weight", "layer4.2.bn3.bias"};
    QTest::newRow("mobilenet_v2") << "mobilenet_v2" << 3504872LL << 314
                                  << QStringList{
                                         "features.0.0.weight",        "features.0.1.running_mean",
                                         "features.1.conv.0.0.weight", "features.1.conv.1.weight",
                                         "features.2.conv.3.bias",     "features.18.1.running_var",
                                         "classifier.1.weight"};
}

void TestVisionParity::names_and_counts_match_torchvision() {
    QFETCH(QString, arch);
    QFETCH(qlonglong, parameters);
    QFETCH(int, state_entries);
    QFETCH(QStringList, names);
    ImageModelSpec spec;
    spec.architecture = arch.toStdString();
    spec.num_classes = 1000;
    auto model = make_image_model(spec);
    QCOMPARE(static_cast<qlonglong>(parameter_count(*model)), parameters);
    const auto all = names_of(*model);
    QCOMPARE(static_cast<int>(all.size()), state_entries);
    for (const auto& n : names)
        QVERIFY2(contains(all, n.toStdString()), qPrintable("no tensor named " + n));
}

void TestVisionParity::outputs_match_torchvision_data() {
    QTest::addColumn<QString>("arch");
    for (const char* a : {"resnet18", "resnet34", "resnet50", "mobilenet_v2"})
        QTest::newRow(a) << a;
}

void TestVisionParity::outputs_match_torchvision() {
    if (!reference_ok_)
        QSKIP(qPrintable("torchvision reference unavailable (install python3-torchvision): " +
                         reference_error_));
    QFETCH(QString, arch);
    const std::string a = arch.toStdString();
    ImageModelSpec spec;
    spec.architecture = a;
    spec.num_classes = kClasses;
    auto model = make_image_model(spec);
    const LoadReport report = load_image_weights(*model, {path(a + ".safetensors")});
    QVERIFY2(report.missing.empty() && report.unexpected.empty() && report.mismatched.empty(),
             report.summary().c_str());
    model->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor input = read_tensor(path("input.safetensors"), "input");
    const torch::Tensor features = model->features(input);
    const torch::Tensor logits = model->forward(input);
    const torch::Tensor want_features = read_tensor(path("expected.safetensors"), a + ".features");
    const torch::Tensor want_logits = read_tensor(path("expected.safetensors"), a + ".logits");
    QCOMPARE(features.sizes().vec(), want_features.sizes().vec());
    QCOMPARE(logits.sizes().vec(), want_logits.sizes().vec());
    QCOMPARE(model->feature_size(), want_features.size(1));
    const double logit_diff = max_abs_diff(logits, want_logits);
    const double feature_diff = max_abs_diff(features, want_features);
    qInfo(
        "%s vs torchvision (eval, 2x3x64x64): logits max|diff| = %.3g, features max|diff| = "
        "%.3g",
        a.c_str(), logit_diff, feature_diff);
    QVERIFY(logit_diff <= kTolerance);
    QVERIFY(feature_diff <= kTolerance);
    // The comparison has teeth: outputs are O(1) and differ between the two images.
    QVERIFY(want_logits.abs().max().item<double>() > 0.5);
    QVERIFY(max_abs_diff(want_logits[0], want_logits[1]) > 1e-2);
}

// A backbone trained for 10 classes fine-tunes for 3: the head is re-initialised and reported,
// the backbone's features are torchvision's.
void TestVisionParity::backbone_weights_take_a_new_head() {
    if (!reference_ok_)
        QSKIP(qPrintable("torchvision reference unavailable (install python3-torchvision): " +
                         reference_error_));
    ImageModelSpec spec;
    spec.architecture = "resnet18";
    spec.num_classes = 3;
    auto model = make_image_model(spec);
    const LoadReport report = load_image_weights(*model, {path("resnet18.safetensors")});
    QCOMPARE(report.mismatched.size(), std::size_t(2));
    QVERIFY(report.mismatched[0].rfind("fc.", 0) == 0);
    QVERIFY(report.missing.empty());
    model->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor input = read_tensor(path("input.safetensors"), "input");
    QCOMPARE(model->forward(input).size(1), std::int64_t(3));
    const double diff = max_abs_diff(
        model->features(input), read_tensor(path("expected.safetensors"), "resnet18.features"));
    QVERIFY(diff <= kTolerance);
}

QTEST_APPLESS_MAIN(TestVisionParity)
#include "tst_vision_parity.moc"
