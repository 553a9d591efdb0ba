// Image model folders: config.json validation, the model library's description (parameter
// count, source format), loading with a new head, and TorchScript files as backbones (checked
// against PyTorch's own output, tests/reference/vision/torchscript_reference.py).

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <fstream>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/image_model_config.h"
#include "model/model_library.h"
#include "model/vision/image_model_factory.h"
#include "model/vision/image_model_folder.h"
#include "model/vision/torchscript_backbone.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace tb;
using namespace tb::model;
using namespace tb::model::vision;
using json = nlohmann::json;

namespace {

const std::string kScript = TB_SOURCE_DIR "/tests/reference/vision/torchscript_reference.py";

void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

class TestVisionLibrary : public QObject {
    Q_OBJECT

private slots:
    void resnet_folder_is_listed_and_loads();
    void bad_configs_are_named();
    void torchscript_backbone_matches_pytorch_and_fine_tunes();
};

void TestVisionLibrary::resnet_folder_is_listed_and_loads() {
    QTemporaryDir root;
    const std::string dir = root.path().toStdString() + "/resnet";
    std::filesystem::create_directories(dir);
    ImageModelSpec spec;
    spec.architecture = "resnet18";
    spec.num_classes = 1000;
    auto source = make_image_model(spec);
    save_module_safetensors(*source, dir + "/model.safetensors");
    write_text(dir + "/config.json", R"({"architecture": "resnet18", "num_classes": 1000})");

    const auto entries = scan_model_library({root.path().toStdString()}, false);
    QCOMPARE(entries.size(), std::size_t(1));
    const ModelLibraryEntry& e = entries[0];
    QVERIFY2(e.supported, e.reason.c_str());
    QCOMPARE(QString::fromStdString(e.kind), QString("image"));
    QCOMPARE(QString::fromStdString(e.architecture), QString("resnet18"));
    QCOMPARE(QString::fromStdString(e.family), QString("ResNet-18"));
    QCOMPARE(QString::fromStdString(e.source_format), QString("torchvision safetensors"));
    QCOMPARE(e.parameter_count, std::int64_t(11689512));  // torchvision's count
    QCOMPARE(e.feature_size, std::int64_t(512));

    // A 4-class model from the 1000-class folder: backbone loaded, new head.
    LoadedImageModel loaded = load_image_model_folder(dir, 4);
    QCOMPARE(loaded.model->num_classes(), std::int64_t(4));
    QVERIFY(loaded.report.missing.empty());
    QVERIFY(loaded.preprocessing == default_preprocessing("resnet18"));
    source->eval();
    loaded.model->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::randn({1, 3, 64, 64});
    QVERIFY(torch::equal(loaded.model->features(x), source->features(x)));
    QCOMPARE(loaded.model->forward(x).size(1), std::int64_t(4));
}

void TestVisionLibrary::bad_configs_are_named() {
    QTemporaryDir root;
    const std::string dir = root.path().toStdString();
    auto config_error = [&](const std::string& text) {
        write_text(dir + "/config.json", text);
        return error_of([&] { load_image_model_config(dir); });
    };
    std::string m = config_error(R"({"architecture": "vgg16"})");
    QVERIFY2(m.find("vgg16") != std::string::npos && m.find("resnet50") != std::string::npos,
             m.c_str());
    m = config_error(R"({"architecture": "resnet18", "classes": 3})");
    QVERIFY2(m.find("[classes]") != std::string::npos, m.c_str());
    m = config_error(R"({"architecture": "resnet18", "input_shape": [3, 224]})");
    QVERIFY2(m.find("input_shape") != std::string::npos, m.c_str());
    m = config_error(R"({"architecture": "mlp", "num_classes": 2, "class_names": ["a"]})");
    QVERIFY2(m.find("class_names") != std::string::npos, m.c_str());

    // The library lists such folders as unsupported with the reason; a missing weights file
    // is named.
    write_text(dir + "/config.json", R"({"architecture": "mobilenet_v2"})");
    ModelLibraryEntry e = describe_model_folder(dir);
    QCOMPARE(QString::fromStdString(e.kind), QString("image"));
    QVERIFY(!e.supported);
    QVERIFY2(e.reason.find("model.safetensors") != std::string::npos, e.reason.c_str());
    m = error_of([&] { load_image_model_folder(dir, 3); });
    QVERIFY2(m.find("model.safetensors") != std::string::npos, m.c_str());

    // A non-TorchScript file named as TorchScript.
    write_text(dir + "/config.json", R"({"architecture": "torchscript", "num_classes": 2})");
    write_text(dir + "/model.pt", "not a zip archive");
    m = error_of([&] { load_image_model_folder(dir); });
    QVERIFY2(m.find("TorchScript") != std::string::npos && m.find("model.pt") != std::string::npos,
             m.c_str());
}

void TestVisionLibrary::torchscript_backbone_matches_pytorch_and_fine_tunes() {
    QTemporaryDir root;
    const std::string dir = root.path().toStdString() + "/scripted";
    QProcess python;
    python.start(QStringLiteral(TB_SYSTEM_PYTHON),
                 {QString::fromStdString(kScript), QString::fromStdString(dir)});
    if (!python.waitForFinished(120000) || python.exitCode() != 0)
        QSKIP(qPrintable("python3 with torch is unavailable: " +
                         QString::fromLocal8Bit(python.readAllStandardError()).right(400)));

    const ModelLibraryEntry e = describe_model_folder(dir);
    QVERIFY2(e.supported, e.reason.c_str());
    QCOMPARE(QString::fromStdString(e.source_format), QString("TorchScript"));
    QVERIFY(!e.notes.empty() && e.notes[0].find("trust") != std::string::npos);

    LoadedImageModel loaded = load_image_model_folder(dir, 3);
    QCOMPARE(loaded.warnings.size(), std::size_t(1));
    QCOMPARE(loaded.model->feature_size(), std::int64_t(12));  // probed
    QCOMPARE(parameter_count(*loaded.model),
             std::int64_t(8 * 3 * 9 + 8 + 8 + 8 + 12 * 8 * 9 + 12 + 12 * 3 + 3));
    // The library counted the scripted module from the archive without loading it: the loaded
    // module's parameters less the new head.
    QCOMPARE(e.parameter_count, parameter_count(*loaded.model) - (12 * 3 + 3));

    std::ifstream in(dir + "/reference.json");
    const json ref = json::parse(in);
    const torch::Tensor x = torch::tensor(ref["input"].get<std::vector<float>>())
                                .view(ref["input_shape"].get<std::vector<std::int64_t>>());
    const torch::Tensor want = torch::tensor(ref["features"].get<std::vector<float>>())
                                   .view(ref["features_shape"].get<std::vector<std::int64_t>>());
    loaded.model->eval();
    {
        torch::NoGradGuard no_grad;
        const double diff = (loaded.model->features(x) - want).abs().max().item<double>();
        qInfo("TorchScript backbone vs PyTorch: features max|diff| = %.3g", diff);
        QVERIFY(diff <= 1e-5);
    }

    // Fine-tuning reaches the scripted weights: the loss falls and conv1 changes.
    torch::manual_seed(0);
    const torch::Tensor images = torch::randn({12, 3, 20, 20});
    const torch::Tensor labels = torch::arange(12) % 3;
    const torch::Tensor conv1_before =
        loaded.model->named_parameters()["script_conv1_weight"].clone();
    torch::optim::Adam optimizer(loaded.model->parameters(), torch::optim::AdamOptions(1e-2));
    loaded.model->train();
    double first = 0, last = 0;
    for (int step = 0; step < 30; ++step) {
        optimizer.zero_grad();
        torch::Tensor loss =
            torch::nn::functional::cross_entropy(loaded.model->forward(images), labels);
        loss.backward();
        optimizer.step();
        (step == 0 ? first : last) = loss.item<double>();
    }
    qInfo("TorchScript fine-tune: loss %.3f -> %.3f", first, last);
    QVERIFY(last < 0.7 * first);
    QVERIFY(!torch::equal(loaded.model->named_parameters()["script_conv1_weight"], conv1_before));
}

QTEST_APPLESS_MAIN(TestVisionLibrary)
#include "tst_vision_library.moc"
