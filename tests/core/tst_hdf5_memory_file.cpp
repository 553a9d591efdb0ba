// Hdf5MemoryFile writes exactly the bytes H5Fget_file_image would copy out, deferred tensors
// never enter its memory, and the result is an ordinary HDF5 file.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <numeric>
#include <vector>

#include "common/error.h"
#include "io/hdf5_memory_file.h"
#include "io/hdf5_write.h"

namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The access list checkpoints use: core driver without backing store, small growth steps (so
// the buffer is reallocated many times), HDF5 1.8 formats with a version 0 superblock.
hid_t core_fapl(std::size_t increment) {
    const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, increment, /*backing_store=*/false);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_V18);
    return fapl;
}

void write_dataset(hid_t file, const std::string& name, const std::vector<float>& values) {
    const hsize_t dims[1] = {values.size()};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t dataset = H5Dcreate2(file, name.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT,
                                     H5P_DEFAULT, H5P_DEFAULT);
    QVERIFY(dataset >= 0);
    QVERIFY(H5Dwrite(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
    H5Dclose(dataset);
    H5Sclose(space);
}

}  // namespace

class TstHdf5MemoryFile : public QObject {
    Q_OBJECT

private slots:
    void writesTheSameBytesAsTheFileImage();
    void writeFailureNamesThePath();
    void deferredTensorsStayOutOfMemory();
    void concurrentFilesAreSeparate();
};

void TstHdf5MemoryFile::writesTheSameBytesAsTheFileImage() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("image.h5").toStdString();
    const hid_t fapl = core_fapl(64 * 1024);
    std::vector<float> values(300000);
    std::iota(values.begin(), values.end(), 0.5f);
    std::string image;
    {
        tb::io::Hdf5MemoryFile file(fapl, 1 << 20);  // smaller than the file: the buffer grows
        for (int i = 0; i < 5; ++i)
            write_dataset(file.get(), "tensor." + std::to_string(i), values);
        file.write_image(path);
        const ssize_t size = H5Fget_file_image(file.get(), nullptr, 0);
        QVERIFY(size > static_cast<ssize_t>(5 * values.size() * sizeof(float)));
        image.resize(static_cast<std::size_t>(size));
        QCOMPARE(H5Fget_file_image(file.get(), image.data(), image.size()), size);
    }
    H5Pclose(fapl);

    QCOMPARE(read_all(path), image);

    // An ordinary HDF5 file: the sec2 driver opens it and reads the values back.
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    QVERIFY(file >= 0);
    const hid_t dataset = H5Dopen2(file, "tensor.4", H5P_DEFAULT);
    std::vector<float> back(values.size());
    QVERIFY(H5Dread(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()) >= 0);
    QCOMPARE(back, values);
    H5Dclose(dataset);
    H5Fclose(file);
}

void TstHdf5MemoryFile::writeFailureNamesThePath() {
    if (!QFileInfo::exists("/dev/full"))
        QSKIP("/dev/full is not available");
    const hid_t fapl = core_fapl(1 << 20);
    tb::io::Hdf5MemoryFile file(fapl, 1 << 20);
    write_dataset(file.get(), "w", std::vector<float>(1000, 1.f));
    try {
        file.write_image("/dev/full");
        QFAIL("writing to /dev/full must fail");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, std::string("/dev/full"));
        QVERIFY2(std::string(e.message()).find("No space left on device") != std::string::npos,
                 e.what());
    }
    H5Pclose(fapl);
}

// Tensors written inside Hdf5DeferredData are streamed from their own memory: the buffer holds
// only metadata and strings (written after the big tensor, as a vocabulary is in a checkpoint),
// yet the file reads back like any other.
void TstHdf5MemoryFile::deferredTensorsStayOutOfMemory() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("deferred.h5").toStdString();
    const hid_t fapl = core_fapl(1 << 20);
    tb::TensorBlob big;
    big.name = "big";
    big.dtype = tb::DType::F32;
    big.shape = {1 << 22};  // 16 MiB
    big.bytes.resize(std::size_t{4} << 22);
    for (std::size_t i = 0; i < big.bytes.size(); ++i)
        big.bytes[i] = static_cast<std::byte>(i * 7 + 3);
    tb::TensorBlob small = big;
    small.name = "small";
    small.shape = {3};
    small.bytes.resize(12);
    std::vector<std::string> words;
    for (int i = 0; i < 20000; ++i)
        words.push_back("word" + std::to_string(i));
    const std::vector<double> series = {0.5, 0.25};
    std::size_t resident = 0;
    {
        tb::io::Hdf5MemoryFile file(fapl, std::size_t{24} << 20);
        tb::io::Hdf5DeferredData deferred;
        tb::io::hdf5_write_tensor(file.get(), "big", big);
        tb::io::hdf5_write_tensor(file.get(), "small", small);
        tb::io::hdf5_write_strings(file.get(), "vocab", words);
        tb::io::hdf5_write_doubles(file.get(), "loss", series);
        QCOMPARE(deferred.writes().size(), std::size_t{3});  // big, small, loss
        file.write_image(path, deferred.writes());
        resident = file.resident_bytes();
    }
    H5Pclose(fapl);
    const auto file_size = static_cast<std::size_t>(QFileInfo(QString::fromStdString(path)).size());
    QVERIFY(file_size > big.bytes.size());
    QVERIFY2(resident < std::size_t{4} << 20,
             qPrintable(QString("resident %1 of a %2-byte file").arg(resident).arg(file_size)));

    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    QVERIFY(file >= 0);
    for (const tb::TensorBlob* want : {&big, &small}) {
        const hid_t dataset = H5Dopen2(file, want->name.c_str(), H5P_DEFAULT);
        std::vector<std::byte> got(want->bytes.size());
        QVERIFY(H5Dread(dataset, H5T_IEEE_F32LE, H5S_ALL, H5S_ALL, H5P_DEFAULT, got.data()) >= 0);
        QVERIFY(got == want->bytes);
        H5Dclose(dataset);
    }
    const hid_t loss = H5Dopen2(file, "loss", H5P_DEFAULT);
    std::vector<double> got_series(2);
    QVERIFY(H5Dread(loss, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, got_series.data()) >=
            0);
    QCOMPARE(got_series, series);
    H5Dclose(loss);
    H5Fclose(file);
}

// Two in-memory files alive at once (as in saves from two threads) are distinct files.
void TstHdf5MemoryFile::concurrentFilesAreSeparate() {
    QTemporaryDir dir;
    const hid_t fapl = core_fapl(1 << 20);
    {
        tb::io::Hdf5MemoryFile a(fapl, 1 << 20);
        tb::io::Hdf5MemoryFile b(fapl, 1 << 20);
        write_dataset(a.get(), "only_in_a", {1.f});
        write_dataset(b.get(), "only_in_b", {2.f});
        a.write_image(dir.filePath("a.h5").toStdString());
        b.write_image(dir.filePath("b.h5").toStdString());
    }
    H5Pclose(fapl);
    const hid_t a = H5Fopen(dir.filePath("a.h5").toUtf8().constData(), H5F_ACC_RDONLY, H5P_DEFAULT);
    QVERIFY(a >= 0);
    QVERIFY(H5Lexists(a, "only_in_a", H5P_DEFAULT) > 0);
    QVERIFY(H5Lexists(a, "only_in_b", H5P_DEFAULT) == 0);
    H5Fclose(a);
}

QTEST_APPLESS_MAIN(TstHdf5MemoryFile)
#include "tst_hdf5_memory_file.moc"
