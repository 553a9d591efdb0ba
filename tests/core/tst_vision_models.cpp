// Image models without a reference: malformed weights are named, heads are replaceable, the
// small CNN and MLP learn, and preprocessing has a stable JSON form.

// Torch before Qt: Qt's `slots` macro breaks LibTorch headers included after it.
#include <filesystem>

#include <torch/torch.h>

#include "common/error.h"
#include "model/safetensors.h"
#include "model/vision/image_model_factory.h"
#include "model/vision/image_preprocessing.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tb;
using namespace tb::model;
using namespace tb::model::vision;

namespace {

std::shared_ptr<ImageModel> make(const std::string& arch, std::int64_t classes) {
    ImageModelSpec spec;
    spec.architecture = arch;
    spec.num_classes = classes;
    return make_image_model(spec);
}

// The message of the tb::Error `f` throws, or "" when it throws nothing.
template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// Synthetic 28x28 greyscale images of 3 classes (a bright block in one of three places, on
// noise), 50 / 30 / 20 % of the examples: majority baseline accuracy 0.5.
std::pair<torch::Tensor, torch::Tensor> blobs(std::int64_t n, std::uint64_t seed) {
    torch::manual_seed(seed);
    torch::Tensor x = torch::rand({n, 1, 28, 28}) * 0.5;
    torch::Tensor y = torch::empty({n}, torch::kLong);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t c = i % 10 < 5 ? 0 : (i % 10 < 8 ? 1 : 2);
        y[i] = c;
        const std::int64_t r = c == 0 ? 4 : 16, col = c == 2 ? 16 : 4;
        x[i].slice(1, r, r + 8).slice(2, col, col + 8) += 0.6;
    }
    return {x, y};
}

double accuracy(ImageModel& model, const torch::Tensor& x, const torch::Tensor& y) {
    torch::NoGradGuard no_grad;
    model.eval();
    return model.forward(x).argmax(1).eq(y).to(torch::kDouble).mean().item<double>();
}

}  // namespace

class TestVisionModels : public QObject {
    Q_OBJECT

private slots:
    void malformed_weights_are_named();
    void unknown_architecture_lists_supported();
    void heads_are_replaceable_data();
    void heads_are_replaceable();
    void small_models_learn_data();
    void small_models_learn();
    void preprocessing_json_round_trip();
    void preprocessing_errors_name_the_key();
    void preprocessing_resizes_crops_and_normalises();
};

void TestVisionModels::malformed_weights_are_named() {
    QTemporaryDir dir;
    const std::string base = dir.path().toStdString();
    auto source = make("resnet18", 10);
    std::vector<TensorBlob> blobs;
    for (const auto& p : source->named_parameters())
        blobs.push_back(from_torch(p.key(), p.value()));
    for (const auto& b : source->named_buffers())
        blobs.push_back(from_torch(b.key(), b.value()));

    // A whole file loads into a model of the same shape.
    write_safetensors(base + "/good.safetensors", blobs);
    auto target = make("resnet18", 10);
    QVERIFY(load_image_weights(*target, {base + "/good.safetensors"}).missing.empty());

    // Truncated (an interrupted copy): the file and a tensor past its end are named.
    std::filesystem::copy_file(base + "/good.safetensors", base + "/cut.safetensors");
    std::filesystem::resize_file(base + "/cut.safetensors",
                                 std::filesystem::file_size(base + "/good.safetensors") - 4096);
    std::string message =
        error_of([&] { load_image_weights(*target, {base + "/cut.safetensors"}); });
    QVERIFY2(message.find("cut.safetensors") != std::string::npos, message.c_str());
    QVERIFY2(message.find("layer") != std::string::npos || message.find("fc.") != std::string::npos,
             message.c_str());

    // A tensor of the wrong shape and a missing one are named with their shapes.
    std::vector<TensorBlob> bad;
    for (const auto& b : blobs) {
        if (b.name == "bn1.running_var")
            continue;
        if (b.name == "layer1.0.conv1.weight") {
            bad.push_back(from_torch(b.name, torch::zeros({64, 64, 1, 1})));
            continue;
        }
        bad.push_back(b);
    }
    bad.push_back(from_torch("extra.weight", torch::zeros({2})));
    write_safetensors(base + "/bad.safetensors", bad);
    message = error_of([&] { load_image_weights(*target, {base + "/bad.safetensors"}); });
    QVERIFY2(message.find("layer1.0.conv1.weight: file [64, 64, 1, 1] vs model [64, 64, 3, 3]") !=
                 std::string::npos,
             message.c_str());
    QVERIFY2(message.find("missing: bn1.running_var [64]") != std::string::npos, message.c_str());

    // Unexpected tensors are reported, not fatal; a head of another size is reinitialised.
    std::vector<TensorBlob> extra = blobs;
    extra.push_back(from_torch("extra.weight", torch::zeros({2})));
    write_safetensors(base + "/extra.safetensors", extra);
    auto three = make("resnet18", 3);
    const LoadReport report = load_image_weights(*three, {base + "/extra.safetensors"});
    QCOMPARE(report.unexpected, std::vector<std::string>{"extra.weight [2]"});
    QCOMPARE(report.mismatched.size(), std::size_t(2));
}

void TestVisionModels::unknown_architecture_lists_supported() {
    const std::string message = error_of([] { make("resnet101", 10); });
    QVERIFY2(message.find("resnet101") != std::string::npos, message.c_str());
    QVERIFY2(message.find("mobilenet_v2") != std::string::npos, message.c_str());
    QVERIFY(!error_of([] { make("mlp", 0); }).empty());
}

void TestVisionModels::heads_are_replaceable_data() {
    QTest::addColumn<QString>("arch");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("channels");
    QTest::addColumn<qlonglong>("features");
    QTest::newRow("resnet18") << "resnet18" << 64 << 3 << 512LL;
    QTest::newRow("resnet50") << "resnet50" << 64 << 3 << 2048LL;
    QTest::newRow("mobilenet_v2") << "mobilenet_v2" << 64 << 3 << 1280LL;
    QTest::newRow("small_cnn") << "small_cnn" << 28 << 1 << 128LL;
    QTest::newRow("mlp") << "mlp" << 28 << 1 << 512LL;
}

void TestVisionModels::heads_are_replaceable() {
    QFETCH(QString, arch);
    QFETCH(int, size);
    QFETCH(int, channels);
    QFETCH(qlonglong, features);
    auto model = make(arch.toStdString(), 10);
    model->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::randn({2, channels, size, size});
    QCOMPARE(model->feature_size(), static_cast<std::int64_t>(features));
    QCOMPARE(model->features(x).sizes().vec(), (std::vector<std::int64_t>{2, features}));
    QCOMPARE(model->forward(x).sizes().vec(), (std::vector<std::int64_t>{2, 10}));
    const auto before = model->features(x);
    model->reset_head(4);
    QCOMPARE(model->num_classes(), std::int64_t(4));
    QCOMPARE(model->forward(x).sizes().vec(), (std::vector<std::int64_t>{2, 4}));
    QVERIFY(torch::equal(model->features(x), before));  // the backbone is untouched
    std::size_t head_tensors = 0;
    for (const auto& p : model->named_parameters())
        if (p.key().rfind(model->head_prefix(), 0) == 0) {
            ++head_tensors;
            QCOMPARE(p.value().size(0), std::int64_t(4));
        }
    QCOMPARE(head_tensors, std::size_t(2));
}

void TestVisionModels::small_models_learn_data() {
    QTest::addColumn<QString>("arch");
    QTest::newRow("small_cnn") << "small_cnn";
    QTest::newRow("mlp") << "mlp";
}

// The seed's recipe (RMSprop, dropout) on separable synthetic data beats the majority class.
void TestVisionModels::small_models_learn() {
    QFETCH(QString, arch);
    auto [train_x, train_y] = blobs(300, 1);
    auto [test_x, test_y] = blobs(100, 2);
    torch::manual_seed(3);
    auto model = make(arch.toStdString(), 3);
    const double before = accuracy(*model, test_x, test_y);
    torch::optim::RMSprop optimizer(model->parameters(), torch::optim::RMSpropOptions(1e-3));
    for (int epoch = 0; epoch < 3; ++epoch) {
        model->train();
        for (std::int64_t i = 0; i < 300; i += 30) {
            optimizer.zero_grad();
            torch::Tensor loss = torch::nn::functional::cross_entropy(
                model->forward(train_x.slice(0, i, i + 30)), train_y.slice(0, i, i + 30));
            loss.backward();
            optimizer.step();
        }
    }
    const double after = accuracy(*model, test_x, test_y);
    qInfo("%s: test accuracy %.2f before training, %.2f after (majority baseline 0.50)",
          qPrintable(arch), before, after);
    QVERIFY(after >= 0.9);
}

void TestVisionModels::preprocessing_json_round_trip() {
    for (const char* arch : {"resnet18", "resnet50", "mobilenet_v2", "small_cnn", "mlp"}) {
        const ImagePreprocessing p = default_preprocessing(arch);
        QVERIFY(image_preprocessing_from_json(to_json(p)) == p);
    }
    ImagePreprocessing bgr = default_preprocessing("resnet34");
    bgr.channel_order = "BGR";
    bgr.resize_shorter = 0;
    bgr.width = 96;
    QVERIFY(image_preprocessing_from_json(to_json(bgr)) == bgr);
    QVERIFY(!(image_preprocessing_from_json(to_json(bgr)) == default_preprocessing("resnet34")));
    QCOMPARE(QString::fromStdString(to_json(default_preprocessing("resnet18"))),
             QString(R"({"width":224,"height":224,"resize_shorter":256,"channels":3,)"
                     R"("channel_order":"RGB","mean":[0.485,0.456,0.406],)"
                     R"("std":[0.229,0.224,0.225]})"));
    QCOMPARE(QString::fromStdString(to_json(default_preprocessing("small_cnn"))),
             QString(R"({"width":28,"height":28,"resize_shorter":0,"channels":1,)"
                     R"("channel_order":"RGB","mean":[0.0],"std":[1.0]})"));
}

void TestVisionModels::preprocessing_errors_name_the_key() {
    const std::string good = to_json(default_preprocessing("resnet18"));
    // "file|key" of the error, or "<no error>".
    auto key_of = [](const std::string& text) -> std::string {
        try {
            image_preprocessing_from_json(text, "prep.json");
        } catch (const Error& e) {
            return e.where().file + "|" + e.where().key;
        }
        return "<no error>";
    };
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string s = good;
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    QCOMPARE(key_of(replaced("\"width\"", "\"widht\"")), std::string("prep.json|widht"));
    QCOMPARE(key_of(replaced("\"channels\":3", "\"channels\":2")),
             std::string("prep.json|channels"));
    QCOMPARE(key_of(replaced("\"height\":224", "\"height\":\"224\"")),
             std::string("prep.json|height"));
    QCOMPARE(key_of(replaced("\"std\":[0.229", "\"std\":[-0.229")), std::string("prep.json|std"));
    QCOMPARE(key_of(replaced("\"RGB\"", "\"RGBA\"")), std::string("prep.json|channel_order"));
    QCOMPARE(key_of("[1, 2]"), std::string("prep.json|"));
    QVERIFY(!error_of([] { default_preprocessing("vgg16"); }).empty());
}

void TestVisionModels::preprocessing_resizes_crops_and_normalises() {
    // A red 40x30 image: shorter side 30 -> 256 (longer 341), centre crop 224x224.
    data::Image red;
    red.width = 40;
    red.height = 30;
    red.channels = 3;
    for (int i = 0; i < red.width * red.height; ++i)
        red.pixels.insert(red.pixels.end(), {255, 0, 0});
    const ImagePreprocessing p = default_preprocessing("resnet18");
    std::vector<float> v = preprocess(red, p);
    QCOMPARE(v.size(), std::size_t(3 * 224 * 224));
    const std::size_t plane = 224 * 224;
    QVERIFY(qAbs(v[0] - (1.0f - 0.485f) / 0.229f) < 1e-5f);
    QVERIFY(qAbs(v[plane + 5] - (0.0f - 0.456f) / 0.224f) < 1e-5f);
    QVERIFY(qAbs(v[2 * plane + plane - 1] - (0.0f - 0.406f) / 0.225f) < 1e-5f);

    // BGR: the first model channel holds blue, normalised with the first mean/std entries.
    ImagePreprocessing bgr = p;
    bgr.channel_order = "BGR";
    v = preprocess(red, bgr);
    QVERIFY(qAbs(v[0] - (0.0f - 0.485f) / 0.229f) < 1e-5f);
    QVERIFY(qAbs(v[2 * plane] - (1.0f - 0.406f) / 0.225f) < 1e-5f);

    // Greyscale models: stretched to 28x28, pixel / 255.
    v = preprocess(red, default_preprocessing("mlp"));
    QCOMPARE(v.size(), std::size_t(28 * 28));
    QVERIFY(qAbs(v[100] - 76.0f / 255.0f) < 1e-5f);  // BT.601 luma of pure red
}

QTEST_APPLESS_MAIN(TestVisionModels)
#include "tst_vision_models.moc"
