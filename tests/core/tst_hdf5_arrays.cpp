// HDF5 feature/label arrays written by h5py (tests/fixtures/data/hdf5/make_fixtures.py): values,
// shapes, integer and UTF-8 string labels, and errors naming the file and dataset.
#include <QtTest>

#include <string>
#include <vector>

#include "common/error.h"
#include "data/hdf5_arrays.h"

using tb::data::ArrayDataset;
using tb::data::read_hdf5_arrays;

namespace {

std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/data/hdf5/" + name;
}

}  // namespace

class TstHdf5Arrays : public QObject {
    Q_OBJECT

private slots:
    void integer_labels();
    void string_labels();
    void errors();
};

void TstHdf5Arrays::integer_labels() {
    const ArrayDataset d = read_hdf5_arrays(fixture("int_labels.h5"));
    QCOMPARE(d.count, std::size_t{6});
    QCOMPARE(d.feature_shape, (std::vector<std::size_t>{2, 3}));
    QCOMPARE(d.features.size(), std::size_t{36});
    QCOMPARE(d.features[35], 3.5f);
    QCOMPARE(d.labels, (std::vector<int>{0, 2, 1, 2, 0, 2}));
    QCOMPARE(d.classes.size(), 3);
}

void TstHdf5Arrays::string_labels() {
    const ArrayDataset d = read_hdf5_arrays(fixture("string_labels.h5"), "features", "labels");
    QCOMPARE(d.count, std::size_t{4});
    QCOMPARE(d.features[7], 7.0f);
    QCOMPARE(d.classes.size(), 3);
    QCOMPARE(d.classes.name(d.labels[1]), std::string("狗"));
    QCOMPARE(d.labels[0], d.labels[2]);
}

void TstHdf5Arrays::errors() {
    try {
        read_hdf5_arrays(fixture("string_labels.h5"));
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().key, std::string("X"));
        QVERIFY(e.message().find("'features', 'labels'") != std::string::npos);
    }
    try {
        read_hdf5_arrays(fixture("mismatch.h5"));
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QVERIFY(e.message().find("3 rows") != std::string::npos);
        QCOMPARE(e.where().file, fixture("mismatch.h5"));
    }
    QVERIFY_THROWS_EXCEPTION(tb::Error, read_hdf5_arrays(fixture("make_fixtures.py")));
}

QTEST_MAIN(TstHdf5Arrays)
#include "tst_hdf5_arrays.moc"
