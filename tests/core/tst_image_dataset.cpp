// Image datasets: decoding PNG/JPEG/BMP (grey, RGB, RGBA), folder-per-class trees and path,label
// tables with every bad file reported, resize against torch's bilinear interpolation, grey
// conversion against PIL, normalization, and IDX files (a committed Fashion-MNIST slice; the
// full Debian files when installed).
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "data/file_bytes.h"
#include "data/idx_reader.h"
#include "data/image_dataset.h"
#include "data/image_decode.h"
#include "data/image_transform.h"

using namespace tb::data;
namespace fs = std::filesystem;

namespace {

std::string images_dir() {
    return std::string(TB_FIXTURES_DIR) + "/data/images";
}

nlohmann::json load_json(const std::string& name) {
    return nlohmann::json::parse(read_file_bytes(images_dir() + "/" + name));
}

bool has_kind(const std::vector<DataProblem>& problems, const std::string& kind,
              const std::string& file_suffix) {
    for (const DataProblem& p : problems) {
        if (p.kind == kind && p.file.size() >= file_suffix.size() &&
            p.file.compare(p.file.size() - file_suffix.size(), file_suffix.size(), file_suffix) ==
                0)
            return true;
    }
    return false;
}

}  // namespace

class TstImageDataset : public QObject {
    Q_OBJECT

private slots:
    void decodes_formats();
    void bad_files_throw();
    void folder_per_class();
    void folder_problems();
    void symlink_loop_reported();
    void csv_paths_relative_to_csv();
    void resize_matches_torch();
    void grey_matches_pil();
    void crop_and_normalize();
    void resize_shorter_recipe_matches_torchvision();
    void idx_fixture();
    void idx_errors();
    void fashion_mnist_full();
};

void TstImageDataset::decodes_formats() {
    const Image rgb = decode_image_file(images_dir() + "/folder/cat/rgb.png");
    QCOMPARE(rgb.width, 9);
    QCOMPARE(rgb.height, 7);
    QCOMPARE(rgb.channels, 3);
    const auto ref = load_json("resize_reference.json");
    QCOMPARE(std::vector<int>(rgb.pixels.begin(), rgb.pixels.end()),
             ref["source"].get<std::vector<int>>());
    QCOMPARE(decode_image_file(images_dir() + "/folder/cat/grey.png").channels, 1);
    QCOMPARE(decode_image_file(images_dir() + "/folder/dog/rgba.png").channels, 4);
    const Image jpg = decode_image_file(images_dir() + "/folder/dog/photo.jpg");
    QCOMPARE(jpg.width, 16);
    QCOMPARE(jpg.channels, 3);
    const Image bmp = decode_image_file(images_dir() + "/folder/dog/puppies/small.bmp");
    QCOMPARE(bmp.width, 5);
    QCOMPARE(bmp.height, 3);
    const ImageInfo info = image_file_info(images_dir() + "/folder/dog/photo.jpg");
    QCOMPARE(info.width, 16);
    QVERIFY(has_image_extension("a/B.JPEG"));
    QVERIFY(!has_image_extension("a/b.gif"));
}

void TstImageDataset::bad_files_throw() {
    QTemporaryDir dir;
    const std::string empty = dir.path().toStdString() + "/empty.png";
    std::ofstream(empty).flush();
    try {
        decode_image_file(empty);
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, empty);
        QVERIFY(e.message().find("0 bytes") != std::string::npos);
    }
    const std::string junk = dir.path().toStdString() + "/junk.png";
    std::ofstream(junk) << "this is not a png";
    try {
        image_file_info(junk);
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, junk);
        QVERIFY(e.message().find("corrupt") != std::string::npos);
    }
}

void TstImageDataset::folder_per_class() {
    const ImageDataset d = scan_image_folder(images_dir() + "/folder");
    QCOMPARE(d.labels.names(), (std::vector<std::string>{"cat", "dog"}));
    QCOMPARE(d.examples.size(), std::size_t{5});
    QCOMPARE(d.label_counts(), (std::vector<std::size_t>{2, 3}));  // puppies/ is inside dog/
    QVERIFY(d.problems.empty());
}

void TstImageDataset::folder_problems() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    fs::create_directories(root / "a");
    fs::create_directories(root / "空的");
    fs::create_directories(root / "b");
    fs::copy_file(images_dir() + "/folder/cat/rgb.png", root / "a" / "ok.png");
    std::ofstream((root / "a" / "zero.png").string()).flush();
    std::ofstream((root / "a" / "bad.jpg").string()) << "garbage";
    std::ofstream((root / "a" / "notes.txt").string()) << "x";
    std::ofstream((root / "a" / ".DS_Store").string()) << "x";
    std::ofstream((root / "loose.png").string()) << "x";
    fs::create_symlink(root / "nowhere.png", root / "b" / "broken.png");
    const ImageDataset d = scan_image_folder(root.string());
    QCOMPARE(d.labels.names(), std::vector<std::string>{"a"});
    QCOMPARE(d.examples.size(), std::size_t{1});
    QVERIFY(has_kind(d.problems, "empty_image", "zero.png"));
    QVERIFY(has_kind(d.problems, "corrupt_image", "bad.jpg"));
    QVERIFY(has_kind(d.problems, "not_an_image", "notes.txt"));
    QVERIFY(has_kind(d.problems, "outside_class_folder", "loose.png"));
    QVERIFY(has_kind(d.problems, "broken_link", "broken.png"));
    QVERIFY(has_kind(d.problems, "empty_class", "空的"));
    QVERIFY(has_kind(d.problems, "empty_class", "b"));
    QCOMPARE(d.problems.size(), std::size_t{7});
    QVERIFY_THROWS_EXCEPTION(tb::Error, scan_image_folder((root / "a" / "ok.png").string()));
}

void TstImageDataset::symlink_loop_reported() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    fs::create_directories(root / "cls" / "sub");
    fs::copy_file(images_dir() + "/folder/cat/rgb.png", root / "cls" / "sub" / "x.png");
    fs::create_directory_symlink(root / "cls", root / "cls" / "sub" / "back");  // loop
    fs::create_directory_symlink(root, root / "cls" / "root");                  // loop to root
    const ImageDataset d = scan_image_folder(root.string());
    QCOMPARE(d.examples.size(), std::size_t{1});
    QVERIFY(has_kind(d.problems, "symlink_loop", "back"));
    QVERIFY(has_kind(d.problems, "symlink_loop", "root"));
}

void TstImageDataset::csv_paths_relative_to_csv() {
    const ImageDataset d = read_image_table(images_dir() + "/labels.csv");
    QCOMPARE(d.examples.size(), std::size_t{3});
    QCOMPARE(d.labels.size(), 2);
    QCOMPARE(d.labels.name(d.examples[0].label), std::string("猫"));
    QVERIFY(fs::exists(d.examples[1].path));
    QCOMPARE(d.examples[2].line, 4L);
    QTemporaryDir tmp;
    const std::string csv = tmp.path().toStdString() + "/l.csv";
    std::ofstream(csv) << "path,label\nmissing.png,a\n,b\n";
    std::ofstream(tmp.path().toStdString() + "/z.png").flush();
    std::ofstream(csv, std::ios::app) << "z.png,c\n";
    const ImageDataset bad = read_image_table(csv);
    QCOMPARE(bad.examples.size(), std::size_t{0});
    QCOMPARE(bad.problems.size(), std::size_t{3});
    QCOMPARE(bad.problems[0].kind, std::string("missing_image"));
    QCOMPARE(bad.problems[0].line, 2L);
    QCOMPARE(bad.problems[0].column, 1L);
    QCOMPARE(bad.problems[1].kind, std::string("missing_path"));
    QCOMPARE(bad.problems[2].kind, std::string("empty_image"));
    QCOMPARE(bad.problems[2].file, csv);
    QCOMPARE(bad.problems[2].line, 4L);
}

void TstImageDataset::resize_matches_torch() {
    const Image src = decode_image_file(images_dir() + "/folder/cat/rgb.png");
    const auto ref = load_json("resize_reference.json");
    for (const auto& r : ref["resized"]) {
        const Image out = resize_bilinear(src, r["width"].get<int>(), r["height"].get<int>());
        const auto expected = r["pixels"].get<std::vector<int>>();
        QCOMPARE(out.pixels.size(), expected.size());
        int worst = 0;
        for (std::size_t i = 0; i < expected.size(); ++i)
            worst = std::max(worst, std::abs(static_cast<int>(out.pixels[i]) - expected[i]));
        QVERIFY2(worst <= 1, qPrintable(QString("max difference %1").arg(worst)));  // rounding ties
    }
}

void TstImageDataset::grey_matches_pil() {
    const Image grey = convert_channels(decode_image_file(images_dir() + "/folder/cat/rgb.png"), 1);
    const auto expected = load_json("grey_reference.json")["pixels"].get<std::vector<int>>();
    for (std::size_t i = 0; i < expected.size(); ++i)
        QVERIFY(std::abs(static_cast<int>(grey.pixels[i]) - expected[i]) <= 1);
    const Image rgb = convert_channels(decode_image_file(images_dir() + "/folder/cat/grey.png"), 3);
    QCOMPARE(rgb.channels, 3);
    QCOMPARE(rgb.pixels[0], rgb.pixels[2]);
}

void TstImageDataset::crop_and_normalize() {
    Image img;
    img.width = 4;
    img.height = 3;
    img.channels = 1;
    img.pixels = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};
    const Image c = center_crop(img, 2, 1);
    QCOMPARE(c.pixels, (std::vector<std::uint8_t>{11, 12}));
    ImageTransform t;
    t.width = 2;
    t.height = 1;
    t.channels = 1;
    t.mode = ResizeMode::CenterCrop;
    t.mean = {0.5f};
    t.std = {0.25f};
    const std::vector<float> v = preprocess_image(img, t);
    QCOMPARE(v.size(), std::size_t{2});
    QVERIFY(std::fabs(v[0] - (11 / 255.0f - 0.5f) / 0.25f) < 1e-6f);
    ImageTransform rgb;  // defaults: 224x224x3, shorter-side resize then crop, ImageNet stats
    const auto out =
        preprocess_image(decode_image_file(images_dir() + "/folder/dog/rgba.png"), rgb);
    QCOMPARE(out.size(), std::size_t{3 * 224 * 224});
    t.mean = {0.5f, 0.5f};
    QVERIFY_THROWS_EXCEPTION(tb::Error, preprocess_image(img, t));
    QCOMPARE(resize_mode_from_name("stretch"), ResizeMode::Stretch);
    QVERIFY_THROWS_EXCEPTION(tb::Error, resize_mode_from_name("fit"));
}

// image_resize_shorter + centre crop + normalisation, in RGB and BGR order, against
// torchvision.transforms.functional (recipe_reference.json, make_recipe_reference.py).
void TstImageDataset::resize_shorter_recipe_matches_torchvision() {
    const Image src = decode_image_file(images_dir() + "/folder/cat/rgb.png");
    const auto ref = load_json("recipe_reference.json");
    ImageTransform t;
    t.width = ref["width"].get<int>();
    t.height = ref["height"].get<int>();
    t.mode = ResizeMode::ShorterSideCrop;
    t.resize_shorter = ref["resize_shorter"].get<int>();
    t.mean = ref["mean"].get<std::vector<float>>();
    t.std = ref["std"].get<std::vector<float>>();
    for (const char* order : {"rgb", "bgr"}) {
        t.bgr = std::string(order) == "bgr";
        const std::vector<float> ours = preprocess_image(src, t);
        const auto expected = ref[order].get<std::vector<float>>();
        QCOMPARE(ours.size(), expected.size());
        float worst = 0.0f;
        for (std::size_t i = 0; i < expected.size(); ++i)
            worst = std::max(worst, std::fabs(ours[i] - expected[i]));
        // One 8-bit step after normalisation (rounding ties of the resize): 1 / 255 / 0.225.
        QVERIFY2(worst <= 0.0175f,
                 qPrintable(QString("%1: max difference %2").arg(order).arg(worst)));
    }
    // Without resize_shorter the shorter side only just covers the crop: another image.
    t.bgr = false;
    t.resize_shorter = 0;
    const std::vector<float> cover = preprocess_image(src, t);
    const auto rgb = ref["rgb"].get<std::vector<float>>();
    float largest = 0.0f;
    for (std::size_t i = 0; i < rgb.size(); ++i)
        largest = std::max(largest, std::fabs(cover[i] - rgb[i]));
    QVERIFY(largest > 0.1f);
}

void TstImageDataset::idx_fixture() {
    const ImageArrayDataset d = read_idx_dataset(images_dir() + "/fashion-10-images-idx3-ubyte.gz",
                                                 images_dir() + "/fashion-10-labels-idx1-ubyte",
                                                 fashion_mnist_class_names());
    const auto ref = load_json("fashion_reference.json");
    QCOMPARE(d.count, 10);
    QCOMPARE(d.height, 28);
    QCOMPARE(d.width, 28);
    QCOMPARE(d.channels, 1);
    QCOMPARE(d.labels, ref["labels"].get<std::vector<int>>());
    long sum = 0;
    for (int i = 0; i < 784; ++i)
        sum += d.pixels[static_cast<std::size_t>(i)];
    QCOMPARE(sum, ref["pixel_sum_0"].get<long>());
    QCOMPARE(d.classes.name(9), std::string("Ankle boot"));
}

void TstImageDataset::idx_errors() {
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString();
    std::ofstream(dir + "/bad", std::ios::binary) << std::string("\x01\x02\x08\x01", 4);
    QVERIFY_THROWS_EXCEPTION(tb::Error, read_idx(dir + "/bad"));
    std::ofstream(dir + "/short", std::ios::binary)
        << std::string("\x00\x00\x08\x01\x00\x00\x00\x05\x01\x02", 10);
    try {
        read_idx(dir + "/short");
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY(e.message().find("holds only 2") != std::string::npos);
    }
    std::ofstream(dir + "/float", std::ios::binary) << std::string("\x00\x00\x0D\x01", 4);
    QVERIFY_THROWS_EXCEPTION(tb::Error, read_idx(dir + "/float"));
    // Label count differs from image count.
    QVERIFY_THROWS_EXCEPTION(
        tb::Error,
        read_idx_dataset(images_dir() + "/fashion-10-images-idx3-ubyte.gz", dir + "/short"));
}

void TstImageDataset::fashion_mnist_full() {
    const std::string root = "/usr/share/datasets/fashion-mnist/";
    if (!fs::exists(root + "t10k-images-idx3-ubyte.gz"))
        QSKIP("dataset-fashion-mnist is not installed (scripts/install_deps.sh installs it)");
    const ImageArrayDataset d =
        read_idx_dataset(root + "t10k-images-idx3-ubyte.gz", root + "t10k-labels-idx1-ubyte.gz",
                         fashion_mnist_class_names());
    QCOMPARE(d.count, 10000);
    std::vector<int> counts(10, 0);
    for (int l : d.labels)
        ++counts[static_cast<std::size_t>(l)];
    for (int c : counts)
        QCOMPARE(c, 1000);  // the test set is balanced: 1,000 per class
}

QTEST_MAIN(TstImageDataset)
#include "tst_image_dataset.moc"
