// Image data with the user's own dev/test files: IDX and HDF5 arrays join the training array,
// folders and tables keep their files; mismatched kinds and sizes are named errors.
#include <QtTest>

#include <filesystem>

#include "common/error.h"
#include "io/experiment_config.h"
#include "train/image_source.h"
#include "train/prepared_images.h"

using namespace tb;
namespace fs = std::filesystem;

class TstImageUserSplit : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void idx_test_file_joins_the_array();
    void hdf5_dev_file();
    void mismatched_kinds_and_sizes();
    void file_classes_for_the_data_page();

private:
    fs::path m_dir;
};

namespace {

const fs::path kImages = fs::path(TB_FIXTURES_DIR) / "data" / "images";
const fs::path kHdf5 = fs::path(TB_FIXTURES_DIR) / "data" / "hdf5";

io::ExperimentConfig idx_config() {
    io::ExperimentConfig c;
    c.dataset.task = "image_classification";
    c.dataset.format = "idx";
    c.dataset.path = (kImages / "fashion-10-images-idx3-ubyte.gz").string();
    c.dataset.labels_path = (kImages / "fashion-10-labels-idx1-ubyte").string();
    c.dataset.image_width = 28;
    c.dataset.image_height = 28;
    c.dataset.image_channels = 1;
    c.dataset.image_resize = "stretch";
    c.dataset.normalize_mean = {0.5};
    c.dataset.normalize_std = {0.5};
    return c;
}

std::string error_key(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.where().key;
    }
    return "no error";
}

}  // namespace

void TstImageUserSplit::init() {
    m_dir = fs::temp_directory_path() / "tb_image_user_split";
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
}

void TstImageUserSplit::cleanup() {
    fs::remove_all(m_dir);
}

void TstImageUserSplit::idx_test_file_joins_the_array() {
    // The MNIST naming: t10k-images-idx3-ubyte.gz finds t10k-labels-idx1-ubyte.gz next to it.
    fs::copy_file(kImages / "fashion-10-images-idx3-ubyte.gz", m_dir / "t10k-images-idx3-ubyte.gz");
    fs::copy_file(kImages / "fashion-10-labels-idx1-ubyte", m_dir / "t10k-labels-idx1-ubyte.gz");
    io::ExperimentConfig c = idx_config();
    c.dataset.test_path = (m_dir / "t10k-images-idx3-ubyte.gz").string();
    const auto data = train::prepare_image_data(c, [](const std::string&) {});
    QCOMPARE(data.train.size(), std::size_t(10));
    QCOMPARE(data.dev.size(), std::size_t(0));
    QCOMPARE(data.test.size(), std::size_t(10));
    const auto& source = *data.train.images;
    QCOMPARE(source.arrays->count, 20);
    QCOMPARE(source.size(), std::size_t(20));
    // Test example k is row 10 + k: the same pixels and label as training row k (same file).
    for (std::size_t k = 0; k < 10; ++k) {
        QCOMPARE(data.test.image_ids[k], 10 + k);
        QCOMPARE(data.test.labels[k], data.train.labels[k]);
        QCOMPARE(source.values(data.test.image_ids[k]), source.values(data.train.image_ids[k]));
    }
    QCOMPARE(data.test.images.get(), data.train.images.get());
}

void TstImageUserSplit::hdf5_dev_file() {
    io::ExperimentConfig c;
    c.dataset.task = "image_classification";
    c.dataset.format = "hdf5";
    c.dataset.path = (kHdf5 / "int_labels.h5").string();
    c.dataset.dev_path = (kHdf5 / "int_labels.h5").string();
    c.dataset.image_channels = 1;
    c.dataset.image_resize = "stretch";
    c.dataset.normalize_mean = {0.5};
    c.dataset.normalize_std = {0.5};
    const auto data = train::prepare_image_data(c, [](const std::string&) {});
    QVERIFY(data.train.size() > 0);
    QCOMPARE(data.dev.size(), data.train.size());
    QCOMPARE(data.test.size(), std::size_t(0));
    QCOMPARE(std::size_t(data.train.images->arrays->count), 2 * data.train.size());
    QCOMPARE(data.dev.image_ids.front(), data.train.size());
    QCOMPARE(data.dev.labels, data.train.labels);
}

void TstImageUserSplit::mismatched_kinds_and_sizes() {
    // An image folder as the test data of IDX training: named, with the key.
    io::ExperimentConfig c = idx_config();
    c.dataset.test_path = (kImages / "folder").string();
    c.dataset.format = "auto";
    QCOMPARE(error_key([&] { train::prepare_image_data(c, [](const std::string&) {}); }),
             std::string("dataset.test_path"));
    // HDF5 arrays of another image size than the IDX training images.
    c = idx_config();
    c.dataset.format = "auto";
    c.dataset.dev_path = (kHdf5 / "int_labels.h5").string();
    QCOMPARE(error_key([&] { train::prepare_image_data(c, [](const std::string&) {}); }),
             std::string("dataset.dev_path"));
}

void TstImageUserSplit::file_classes_for_the_data_page() {
    fs::copy_file(kImages / "fashion-10-images-idx3-ubyte.gz", m_dir / "t10k-images-idx3-ubyte.gz");
    fs::copy_file(kImages / "fashion-10-labels-idx1-ubyte", m_dir / "t10k-labels-idx1-ubyte.gz");
    const auto read = train::read_image_file_classes(
        idx_config(), (m_dir / "t10k-images-idx3-ubyte.gz").string());
    QCOMPARE(read.class_names.size(), std::size_t(10));
    const auto train_data = train::prepare_image_data(idx_config(), [](const std::string&) {});
    for (std::size_t i = 0; i < 10; ++i)
        QCOMPARE(read.class_names[i], train_data.labels.name(train_data.train.labels[i]));
    io::ExperimentConfig any = idx_config();
    any.dataset.format = "auto";  // a folder is read as a folder
    const auto folder = train::read_image_file_classes(any, (kImages / "folder").string());
    QVERIFY(std::find(folder.class_names.begin(), folder.class_names.end(), "cat") !=
            folder.class_names.end());
}

QTEST_APPLESS_MAIN(TstImageUserSplit)
#include "tst_image_user_split.moc"
