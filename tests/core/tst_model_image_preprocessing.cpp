// An image model folder's preprocessing vs the experiment's dataset.image_* / normalize_* keys:
// adopting it makes the run prepare images exactly as the folder's recipe does.
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "data/image_decode.h"
#include "model/vision/image_preprocessing.h"
#include "train/image_source.h"
#include "train/model_image_preprocessing.h"

using namespace tb;
namespace fs = std::filesystem;

class TstModelImagePreprocessing : public QObject {
    Q_OBJECT

private slots:
    void adopted_settings_prepare_the_same_pixels();
    void folder_preprocessing_and_errors();
    void descriptions();
};

namespace {

data::Image gradient(int width, int height) {
    data::Image img;
    img.width = width;
    img.height = height;
    img.channels = 3;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            img.pixels.insert(img.pixels.end(),
                              {std::uint8_t(x * 7 % 256), std::uint8_t(y * 13 % 256),
                               std::uint8_t((x + y) * 5 % 256)});
    return img;
}

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
}

}  // namespace

void TstModelImagePreprocessing::adopted_settings_prepare_the_same_pixels() {
    model::vision::ImagePreprocessing p = model::vision::default_preprocessing("resnet18");
    p.width = 20;
    p.height = 16;
    p.resize_shorter = 24;
    p.channel_order = "BGR";
    io::DatasetConfig d;  // defaults: 224 x 224, shorter side just covers the crop, RGB
    QVERIFY(!train::dataset_uses_preprocessing(d, p));
    train::adopt_preprocessing(d, p);
    QVERIFY(train::dataset_uses_preprocessing(d, p));
    QCOMPARE(d.image_resize, std::string("shorter_side_crop"));
    QCOMPARE(d.image_resize_shorter, 24);
    QCOMPARE(d.image_channel_order, std::string("BGR"));
    // The run's transform (from the dataset keys) equals the folder recipe, pixel for pixel.
    for (const auto& img : {gradient(40, 30), gradient(17, 33)}) {
        const auto run = data::preprocess_image(img, train::image_transform_of(d));
        const auto recipe = model::vision::preprocess(img, p);
        QCOMPARE(run, recipe);
    }
    // Any difference is seen: another crop, resize, order or statistics.
    auto other = d;
    other.image_resize_shorter = 0;
    QVERIFY(!train::dataset_uses_preprocessing(other, p));
    other = d;
    other.image_channel_order = "RGB";
    QVERIFY(!train::dataset_uses_preprocessing(other, p));
    other = d;
    other.normalize_std[1] = 0.5;
    QVERIFY(!train::dataset_uses_preprocessing(other, p));
    // A stretching recipe (resize_shorter 0) adopts image_resize: stretch.
    const auto mlp = model::vision::default_preprocessing("mlp");
    train::adopt_preprocessing(other, mlp);
    QCOMPARE(other.image_resize, std::string("stretch"));
    QCOMPARE(other.image_channels, 1);
    QCOMPARE(other.image_channel_order, std::string("RGB"));
    QVERIFY(train::dataset_uses_preprocessing(other, mlp));
}

void TstModelImagePreprocessing::folder_preprocessing_and_errors() {
    const fs::path dir = fs::temp_directory_path() / "tb_model_image_preprocessing";
    fs::remove_all(dir);
    fs::create_directories(dir / "resnet");
    write(dir / "resnet" / "config.json", R"({"architecture": "resnet18"})");
    auto p = train::model_folder_preprocessing((dir / "resnet").string());
    QVERIFY(p.has_value());
    QCOMPARE(p->resize_shorter, 256);
    QCOMPARE(p->width, 224);
    fs::create_directories(dir / "custom");
    write(dir / "custom" / "config.json",
          R"({"architecture": "resnet18", "preprocessing": {"width": 96, "height": 96,
              "resize_shorter": 110, "channels": 3, "channel_order": "BGR",
              "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}})");
    p = train::model_folder_preprocessing((dir / "custom").string());
    QVERIFY(p.has_value());
    QCOMPARE(p->channel_order, std::string("BGR"));
    QCOMPARE(p->resize_shorter, 110);
    // Not an image model folder: nothing to adopt.
    fs::create_directories(dir / "text");
    write(dir / "text" / "config.json", R"({"architectures": ["BertModel"]})");
    QVERIFY(!train::model_folder_preprocessing((dir / "text").string()).has_value());
    // A broken preprocessing names the key.
    fs::create_directories(dir / "broken");
    write(dir / "broken" / "config.json",
          R"({"architecture": "resnet18", "preprocessing": {"width": 96}})");
    try {
        train::model_folder_preprocessing((dir / "broken").string());
        QFAIL("expected tb::Error");
    } catch (const Error& e) {
        QVERIFY2(
            std::string(e.what()).find("height") != std::string::npos || !e.where().key.empty(),
            e.what());
    }
    fs::remove_all(dir);
}

void TstModelImagePreprocessing::descriptions() {
    const auto p = model::vision::default_preprocessing("resnet50");
    QCOMPARE(train::describe_preprocessing(p),
             std::string("3x224x224, resize shorter side to 256 + centre crop, RGB, mean [0.485, "
                         "0.456, 0.406], std [0.229, 0.224, 0.225]"));
    io::DatasetConfig d;
    QCOMPARE(train::describe_dataset_preprocessing(d),
             std::string("3x224x224, resize shorter side to the crop + centre crop, RGB, mean "
                         "[0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]"));
    train::adopt_preprocessing(d, p);
    QCOMPARE(train::describe_dataset_preprocessing(d), train::describe_preprocessing(p));
}

QTEST_APPLESS_MAIN(TstModelImagePreprocessing)
#include "tst_model_image_preprocessing.moc"
