// HDF5 feature/label arrays written by h5py (tests/fixtures/data/hdf5/make_fixtures.py): values,
// shapes, integer and UTF-8 string labels, and errors naming the file and dataset; the
// labels-only read and row selections (hyperslabs) against the whole read, and the memory they
// hold on a 100 MB X written by h5py (peak RSS growth, /proc/self/status VmHWM).
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "data/hdf5_arrays.h"

using tb::data::ArrayDataset;
using tb::data::read_hdf5_arrays;
using tb::data::read_hdf5_labels;
using tb::data::read_hdf5_rows;

namespace {

std::string fixture(const std::string& name) {
    return std::string(TB_FIXTURES_DIR) + "/data/hdf5/" + name;
}

long peak_rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stol(line.substr(6));
    return 0;
}

}  // namespace

class TstHdf5Arrays : public QObject {
    Q_OBJECT

private slots:
    void integer_labels();
    void string_labels();
    void errors();
    void labels_and_rows_match_whole_read();
    void large_x_stays_on_disk();
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

void TstHdf5Arrays::labels_and_rows_match_whole_read() {
    for (const auto& [file, x, y] :
         {std::tuple<std::string, std::string, std::string>{"int_labels.h5", "X", "y"},
          {"string_labels.h5", "features", "labels"}}) {
        const ArrayDataset whole = read_hdf5_arrays(fixture(file), x, y);
        const ArrayDataset labels = read_hdf5_labels(fixture(file), x, y);
        QVERIFY(labels.features.empty());
        QCOMPARE(labels.count, whole.count);
        QCOMPARE(labels.feature_shape, whole.feature_shape);
        QCOMPARE(labels.labels, whole.labels);
        QCOMPARE(labels.classes.names(), whole.classes.names());
        const std::size_t per = whole.features.size() / whole.count;
        const std::vector<std::size_t> rows{3, 0, 3, whole.count - 1};
        const std::vector<float> got = read_hdf5_rows(fixture(file), x, rows);
        QCOMPARE(got.size(), rows.size() * per);
        for (std::size_t i = 0; i < rows.size(); ++i)
            for (std::size_t k = 0; k < per; ++k)
                QCOMPARE(got[i * per + k], whole.features[rows[i] * per + k]);
    }
    QVERIFY(read_hdf5_rows(fixture("int_labels.h5"), "X", {}).empty());
    try {
        read_hdf5_rows(fixture("int_labels.h5"), "X", {6});
        QFAIL("expected tb::Error");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().key, std::string("X"));
        QVERIFY(e.message().find("6 rows") != std::string::npos);
    }
    // Errors of the whole read hold for the labels-only read.
    QVERIFY_THROWS_EXCEPTION(tb::Error, read_hdf5_labels(fixture("mismatch.h5")));
    QVERIFY_THROWS_EXCEPTION(tb::Error, read_hdf5_labels(fixture("string_labels.h5")));
}

void TstHdf5Arrays::large_x_stays_on_disk() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("large.h5"));
    QProcess python;
    python.start(
        QStringLiteral(TB_SYSTEM_PYTHON),
        {QStringLiteral("-c"),
         QStringLiteral("import sys, h5py, numpy as np\n"
                        "with h5py.File(sys.argv[1], 'w') as f:\n"
                        "    x = f.create_dataset('X', (25000, 32, 32), 'f4')\n"
                        "    b = np.empty((2500, 32, 32), 'f4')\n"
                        "    for s in range(0, 25000, 2500):\n"
                        "        b[:] = np.arange(s, s + 2500, dtype='f4')[:, None, None]\n"
                        "        x[s:s + 2500] = b\n"
                        "    f['y'] = np.arange(25000) % 10\n"),
         path});
    QVERIFY(python.waitForFinished(120000));
    if (python.exitCode() != 0)
        QSKIP(qPrintable(QStringLiteral("python3-h5py is needed: ") +
                         QString::fromLocal8Bit(python.readAllStandardError())));
    const long before = peak_rss_kib();
    const ArrayDataset d = read_hdf5_labels(path.toStdString());
    QCOMPARE(d.count, std::size_t(25000));
    QCOMPARE(d.classes.size(), 10);
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < 80; ++i)
        rows.push_back(i * 311);
    const std::vector<float> x = read_hdf5_rows(path.toStdString(), "X", rows);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        QCOMPARE(x[i * 1024], float(rows[i]));
        QCOMPARE(x[i * 1024 + 1023], float(rows[i]));
    }
    const long grown_mib = (peak_rss_kib() - before) / 1024;
    qInfo("X is 100 MB; reading y and 80 rows grew the peak RSS by %ld MiB", grown_mib);
    QVERIFY2(grown_mib < 30, qPrintable(QString::number(grown_mib)));
}

QTEST_MAIN(TstHdf5Arrays)
#include "tst_hdf5_arrays.moc"
