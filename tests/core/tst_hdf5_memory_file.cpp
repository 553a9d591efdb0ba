// Hdf5MemoryFile writes exactly the bytes H5Fget_file_image would copy out, from HDF5's own
// buffer, and the result is an ordinary HDF5 file.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <numeric>
#include <vector>

#include "common/error.h"
#include "io/hdf5_memory_file.h"

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
};

void TstHdf5MemoryFile::writesTheSameBytesAsTheFileImage() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("image.h5").toStdString();
    const hid_t fapl = core_fapl(64 * 1024);
    std::vector<float> values(300000);
    std::iota(values.begin(), values.end(), 0.5f);
    std::string image;
    {
        tb::io::Hdf5MemoryFile file(path, fapl);
        for (int i = 0; i < 5; ++i)
            write_dataset(file.get(), "tensor." + std::to_string(i), values);
        file.write_image(path);
        const ssize_t size = H5Fget_file_image(file.get(), nullptr, 0);
        QVERIFY(size > static_cast<ssize_t>(5 * values.size() * sizeof(float)));
        QVERIFY(file.buffer_size() >= static_cast<std::size_t>(size));
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
    tb::io::Hdf5MemoryFile file("in-memory.h5", fapl);
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

QTEST_APPLESS_MAIN(TstHdf5MemoryFile)
#include "tst_hdf5_memory_file.moc"
