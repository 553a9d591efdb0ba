// Failed checkpoint saves leave the previous file intact; bad files load with clear errors.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <hdf5.h>
#include <signal.h>
#include <sys/resource.h>

#include <cstring>

#include "common/error.h"
#include "io/checkpoint.h"

using tb::DType;
using tb::TensorBlob;
using tb::io::Checkpoint;

namespace {

TensorBlob floats(const std::string& name, std::size_t n) {
    TensorBlob blob;
    blob.name = name;
    blob.dtype = DType::F32;
    blob.shape = {static_cast<std::int64_t>(n)};
    std::vector<float> values(n);
    for (std::size_t i = 0; i < n; ++i)
        values[i] = static_cast<float>(i);
    blob.bytes.resize(n * sizeof(float));
    if (n > 0)
        std::memcpy(blob.bytes.data(), values.data(), blob.bytes.size());
    return blob;
}

Checkpoint small_checkpoint() {
    Checkpoint c;
    c.model = {floats("bert.pooler.dense.weight", 16)};
    c.labels = {"正面", "负面"};
    c.trainer.global_step = 10;
    return c;
}

QByteArray read_all(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Runs `fn`, which must throw tb::Error; returns it so the test can inspect the message.
template <typename Fn>
tb::Error expect_error(Fn fn) {
    try {
        fn();
    } catch (const tb::Error& e) {
        return e;
    }
    throw std::logic_error("expected tb::Error was not thrown");
}

// Sets an HDF5 integer attribute on the root of an existing file (to fake other versions).
void set_root_attr(const std::string& path, const char* name, std::int64_t value) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    QVERIFY(file >= 0);
    H5Adelete(file, name);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(file, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    QVERIFY(attr >= 0);
    QVERIFY(H5Awrite(attr, H5T_NATIVE_INT64, &value) >= 0);
    H5Aclose(attr);
    H5Sclose(space);
    H5Fclose(file);
}

}  // namespace

class TstCheckpointErrors : public QObject {
    Q_OBJECT

private slots:
    void saveIntoMissingFolderFails();
    void saveFailingMidwayKeepsPreviousFile();
    void saveBlockedTempKeepsPreviousFile();
    void invalidContentFailsBeforeWriting_data();
    void invalidContentFailsBeforeWriting();
    void loadMissingFileFails();
    void loadTextFileFails();
    void loadForeignHdf5FileFails();
    void loadOtherFormatFails();
    void loadNewerFormatVersionFails();

private:
    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }
};

void TstCheckpointErrors::saveIntoMissingFolderFails() {
    const std::string target = path("no/such/folder/ckpt.h5");
    const tb::Error e = expect_error([&] { tb::io::save_checkpoint(small_checkpoint(), target); });
    QCOMPARE(e.where().file, target);
    QVERIFY2(e.message().find("does not exist") != std::string::npos, e.what());
    QVERIFY2(e.message().find(path("no/such/folder")) != std::string::npos, e.what());
    QVERIFY(!QFile::exists(QString::fromStdString(target + ".tmp")));
}

// A real I/O failure part-way through writing the file: the file size limit (enforced for root
// too) makes write() fail with EFBIG after the first 256 KiB of a 4 MiB checkpoint.
void TstCheckpointErrors::saveFailingMidwayKeepsPreviousFile() {
    const std::string target = path("midway.h5");
    tb::io::save_checkpoint(small_checkpoint(), target);
    const QByteArray before = read_all(target);
    QVERIFY(!before.isEmpty());

    Checkpoint big = small_checkpoint();
    big.model.push_back(floats("bert.embeddings.word_embeddings.weight", 1 << 20));
    rlimit old_limit{};
    QVERIFY(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    rlimit small_limit = old_limit;
    small_limit.rlim_cur = 256 * 1024;
    const auto old_handler = signal(SIGXFSZ, SIG_IGN);  // get EFBIG instead of being killed
    QVERIFY(setrlimit(RLIMIT_FSIZE, &small_limit) == 0);
    std::string message;
    std::string file;
    try {
        tb::io::save_checkpoint(big, target);
    } catch (const tb::Error& e) {
        message = e.message();
        file = e.where().file;
    }
    setrlimit(RLIMIT_FSIZE, &old_limit);
    signal(SIGXFSZ, old_handler);

    QVERIFY2(!message.empty(), "the save should have failed");
    QCOMPARE(file, target);
    QVERIFY2(message.find("File too large") != std::string::npos, message.c_str());
    QCOMPARE(read_all(target), before);
    QVERIFY(!QFile::exists(QString::fromStdString(target + ".tmp")));
    QCOMPARE(tb::io::load_checkpoint(target).trainer.global_step, std::int64_t{10});
}

// The temp name is taken by a folder: the save cannot start, the old file stays, and the
// folder (not ours) is not deleted.
void TstCheckpointErrors::saveBlockedTempKeepsPreviousFile() {
    const std::string target = path("blocked.h5");
    tb::io::save_checkpoint(small_checkpoint(), target);
    const QByteArray before = read_all(target);
    QVERIFY(QDir().mkdir(QString::fromStdString(target + ".tmp")));

    const tb::Error e = expect_error([&] { tb::io::save_checkpoint(Checkpoint{}, target); });
    QCOMPARE(e.where().file, target);
    QVERIFY2(e.message().find("Is a directory") != std::string::npos, e.what());
    QVERIFY2(e.message().find(target + ".tmp") != std::string::npos, e.what());
    QCOMPARE(read_all(target), before);
    QVERIFY(QFileInfo(QString::fromStdString(target + ".tmp")).isDir());
}

void TstCheckpointErrors::invalidContentFailsBeforeWriting_data() {
    QTest::addColumn<int>("variant");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("byte count") << 0 << "bert.pooler.dense.weight"
                                << "bytes";
    QTest::newRow("duplicate") << 1 << "bert.pooler.dense.weight"
                               << "duplicate";
    QTest::newRow("slash in model name") << 2 << "a/b"
                                         << "must not contain '/'";
    QTest::newRow("optimizer without slot") << 3 << "exp_avg"
                                            << "<param>/<slot>";
    QTest::newRow("optimizer dataset and group") << 4 << "p/m/x"
                                                 << "also the parent";
    QTest::newRow("negative dimension") << 5 << "neg"
                                        << "negative";
}

void TstCheckpointErrors::invalidContentFailsBeforeWriting() {
    QFETCH(int, variant);
    QFETCH(QString, key);
    QFETCH(QString, phrase);
    Checkpoint c = small_checkpoint();
    switch (variant) {
        case 0:
            c.model[0].bytes.pop_back();
            break;
        case 1:
            c.model.push_back(c.model[0]);
            break;
        case 2:
            c.model.push_back(floats("a/b", 2));
            break;
        case 3:
            c.optimizer.push_back(floats("exp_avg", 2));
            break;
        case 4:
            c.optimizer = {floats("p/m", 2), floats("p/m/x", 2)};
            break;
        case 5:
            c.model.push_back(floats("neg", 0));
            c.model.back().shape = {-1};
            break;
    }
    const std::string target = path("invalid.h5");
    QFile::remove(QString::fromStdString(target));
    const tb::Error e = expect_error([&] { tb::io::save_checkpoint(c, target); });
    QCOMPARE(QString::fromStdString(e.where().key), key);
    QCOMPARE(e.where().file, target);
    QVERIFY2(QString::fromStdString(e.message()).contains(phrase), e.what());
    QVERIFY(!QFile::exists(QString::fromStdString(target)));
    QVERIFY(!QFile::exists(QString::fromStdString(target + ".tmp")));
}

void TstCheckpointErrors::loadMissingFileFails() {
    const tb::Error e = expect_error([&] { tb::io::load_checkpoint(path("missing.h5")); });
    QCOMPARE(e.where().file, path("missing.h5"));
    QVERIFY2(e.message().find("No such file") != std::string::npos, e.what());
}

void TstCheckpointErrors::loadTextFileFails() {
    QFile text(QString::fromStdString(path("notes.h5")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("epoch: 3\nthis is not HDF5\n");
    text.close();
    const tb::Error e = expect_error([&] { tb::io::load_checkpoint(path("notes.h5")); });
    QCOMPARE(e.where().file, path("notes.h5"));
    QVERIFY2(e.message().find("not a tunebench checkpoint") != std::string::npos, e.what());
    QVERIFY2(e.message().find("not HDF5") != std::string::npos, e.what());
}

void TstCheckpointErrors::loadForeignHdf5FileFails() {
    const std::string foreign = path("foreign.h5");
    const hid_t file = H5Fcreate(foreign.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    QVERIFY(file >= 0);
    const hsize_t dims[1] = {3};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t data =
        H5Dcreate2(file, "images", H5T_STD_U8LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(data);
    H5Sclose(space);
    H5Fclose(file);
    const tb::Error e = expect_error([&] { tb::io::load_checkpoint(foreign); });
    QVERIFY2(e.message().find("not a tunebench checkpoint") != std::string::npos, e.what());
    QVERIFY2(e.message().find("format") != std::string::npos, e.what());
}

void TstCheckpointErrors::loadOtherFormatFails() {
    const std::string target = path("other.h5");
    tb::io::save_checkpoint(small_checkpoint(), target);
    const hid_t file = H5Fopen(target.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    QVERIFY(file >= 0);
    H5Adelete(file, "format");
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(file, "format", type, space, H5P_DEFAULT, H5P_DEFAULT);
    const char* value = "keras-weights";
    H5Awrite(attr, type, &value);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(file);
    const tb::Error e = expect_error([&] { tb::io::load_checkpoint(target); });
    QVERIFY2(e.message().find("not a tunebench checkpoint") != std::string::npos, e.what());
    QVERIFY2(e.message().find("keras-weights") != std::string::npos, e.what());
}

void TstCheckpointErrors::loadNewerFormatVersionFails() {
    const std::string target = path("newer.h5");
    tb::io::save_checkpoint(small_checkpoint(), target);
    set_root_attr(target, "format_version", tb::io::kCheckpointFormatVersion + 1);
    const tb::Error e = expect_error([&] { tb::io::load_checkpoint(target); });
    QCOMPARE(e.where().file, target);
    QVERIFY2(e.message().find("written by a newer tunebench") != std::string::npos, e.what());

    set_root_attr(target, "format_version", tb::io::kCheckpointFormatVersion);
    QCOMPARE(tb::io::load_checkpoint(target).labels, small_checkpoint().labels);
}

QTEST_APPLESS_MAIN(TstCheckpointErrors)
#include "tst_checkpoint_errors.moc"
