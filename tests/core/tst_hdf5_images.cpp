// HDF5 X/y read as 8-bit images block by block: the same pixels whatever the block size (one
// row, blocks that do not divide the rows, all at once), equal to the values h5py wrote
// (tests/fixtures/data/hdf5/make_fixtures.py), scaled by 255 only when X's maximum is <= 1.
#include <QtTest>

#include <cmath>
#include <string>

#include "common/error.h"
#include "train/hdf5_images.h"

namespace {

std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/data/hdf5/" + name;
}

}  // namespace

class TstHdf5Images : public QObject {
    Q_OBJECT

private slots:
    void same_pixels_for_every_block_size();
    void unit_range_is_scaled_and_shapes_are_checked();
};

void TstHdf5Images::same_pixels_for_every_block_size() {
    // int_labels.h5: X = arange(36).reshape(6, 2, 3) / 10 (max 3.5 > 1: taken as pixel values).
    const auto whole = tb::train::read_hdf5_images(fixture("int_labels.h5"), "X", "y");
    QCOMPARE(whole->count, 6);
    QCOMPARE(whole->height, 2);
    QCOMPARE(whole->width, 3);
    QCOMPARE(whole->channels, 1);
    QCOMPARE(whole->labels, (std::vector<int>{0, 2, 1, 2, 0, 2}));
    QCOMPARE(whole->pixels.size(), std::size_t{36});
    for (std::size_t i = 0; i < 36; ++i)
        QCOMPARE(int(whole->pixels[i]), int(std::lround(double(i) / 10.0)));
    for (std::size_t block : {1u, 6u, 13u, 24u, 35u}) {
        const auto part = tb::train::read_hdf5_images(fixture("int_labels.h5"), "X", "y", block);
        QCOMPARE(part->pixels, whole->pixels);
        QCOMPARE(part->labels, whole->labels);
    }
}

void TstHdf5Images::unit_range_is_scaled_and_shapes_are_checked() {
    // string_labels.h5: features (4, 2) int32 = arange(8): rows of 2 values are no image.
    try {
        tb::train::read_hdf5_images(fixture("string_labels.h5"), "features", "labels", 3);
        QFAIL("a 1-D row was read as an image");
    } catch (const tb::Error& e) {
        QVERIFY2(std::string(e.what()).find("N x H x W") != std::string::npos, e.what());
        QCOMPARE(e.where().key, std::string("dataset.x_dataset"));
    }
    QTemporaryDir tmp;
    const QString path = tmp.path() + "/unit.h5";
    // X in [0, 1] (max exactly 1), N x C x H x W with C = 3: scaled by 255, channels last.
    const QString script = QStringLiteral(
        "import sys, h5py, numpy as np\n"
        "x = (np.arange(2 * 3 * 2 * 2, dtype=np.float32) / 23.0).reshape(2, 3, 2, 2)\n"
        "with h5py.File(sys.argv[1], 'w') as f:\n"
        "    f['X'] = x\n"
        "    f['y'] = np.array([1, 0])\n");
    QProcess python;
    python.start(QStringLiteral(TB_SYSTEM_PYTHON), {QStringLiteral("-c"), script, path});
    QVERIFY(python.waitForFinished(60000));
    QCOMPARE(python.exitCode(), 0);
    for (std::size_t block : {1u, 12u, 1000u}) {
        const auto images = tb::train::read_hdf5_images(path.toStdString(), "X", "y", block);
        QCOMPARE(images->channels, 3);
        QCOMPARE(images->height, 2);
        QCOMPARE(images->width, 2);
        // Pixel (n, y, x, c) = round(255 * value[n, c, y, x]).
        for (int n = 0; n < 2; ++n)
            for (int p = 0; p < 4; ++p)
                for (int c = 0; c < 3; ++c) {
                    const double v = double(n * 12 + c * 4 + p) / 23.0;
                    QCOMPARE(int(images->pixels[std::size_t(n * 12 + p * 3 + c)]),
                             int(std::lround(static_cast<double>(static_cast<float>(v)) * 255.0)));
                }
    }
}

QTEST_APPLESS_MAIN(TstHdf5Images)
#include "tst_hdf5_images.moc"
