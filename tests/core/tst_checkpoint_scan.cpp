// list_checkpoints / find_latest_complete_checkpoint: newest complete checkpoint of a folder;
// truncated, foreign and temp files are never returned as complete.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <hdf5.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/checkpoint_scan.h"

using tb::DType;
using tb::TensorBlob;
using tb::io::Checkpoint;

namespace {

TensorBlob floats(const std::string& name, std::size_t n) {
    TensorBlob blob;
    blob.name = name;
    blob.dtype = DType::F32;
    blob.shape = {static_cast<std::int64_t>(n)};
    blob.bytes.resize(n * sizeof(float));
    for (std::size_t i = 0; i < n; ++i) {
        const float v = static_cast<float>(i) * 0.5f;
        std::memcpy(blob.bytes.data() + i * sizeof(float), &v, sizeof v);
    }
    return blob;
}

Checkpoint checkpoint_at(std::int64_t step, int epoch, const std::string& state = "running",
                         const std::string& created = "2024-05-01T12:00:00Z") {
    Checkpoint c;
    c.model = {floats("bert.pooler.dense.bias", 8), floats("classifier.weight", 1 << 16)};
    c.optimizer = {floats("classifier.weight/exp_avg", 1 << 16)};
    c.trainer.global_step = step;
    c.trainer.epoch = epoch;
    c.trainer.step_in_epoch = step % 7;
    c.trainer.state = state;
    c.created = created;
    return c;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_all(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::vector<std::int64_t> steps(const tb::io::CheckpointScan& scan) {
    std::vector<std::int64_t> out;
    for (const auto& info : scan.complete)
        out.push_back(info.global_step);
    return out;
}

}  // namespace

class TstCheckpointScan : public QObject {
    Q_OBJECT

private slots:
    void init();
    void missingFolderFails();
    void emptyFolderHasNoCheckpoint();
    void ordersByGlobalStep();
    void reportsTheCheckpointPosition();
    void equalStepsOrderByCreation();
    void truncatedFilesAreDamaged_data();
    void truncatedFilesAreDamaged();
    void truncatedTensorDataIsDamaged();
    void foreignFilesAreDamaged();
    void newerFormatIsNotComplete();
    void tempFilesAreReportedAndCleaned();
    void inspectThrowsWithPath();

private:
    std::unique_ptr<QTemporaryDir> dir_;
    std::string dir() const { return dir_->path().toStdString(); }
    std::string path(const std::string& name) const { return dir() + "/" + name; }
};

void TstCheckpointScan::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
}

void TstCheckpointScan::missingFolderFails() {
    try {
        tb::io::find_latest_complete_checkpoint(path("nope"));
        QFAIL("a missing folder must fail");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, path("nope"));
        QVERIFY2(contains(e.message(), "does not exist"), e.what());
    }
}

void TstCheckpointScan::emptyFolderHasNoCheckpoint() {
    QVERIFY(!tb::io::find_latest_complete_checkpoint(dir()).has_value());
    const auto scan = tb::io::list_checkpoints(dir());
    QVERIFY(scan.complete.empty() && scan.damaged.empty() && scan.temp_files.empty());
}

// Names deliberately sort differently from steps ("epoch-10" < "epoch-9" as text).
void TstCheckpointScan::ordersByGlobalStep() {
    tb::io::save_checkpoint(checkpoint_at(90, 9), path("epoch-9.h5"));
    tb::io::save_checkpoint(checkpoint_at(100, 10), path("epoch-10.h5"));
    tb::io::save_checkpoint(checkpoint_at(5, 0), path("step-5.h5"));
    write_all(path("notes.txt"), "ignored");
    const auto scan = tb::io::list_checkpoints(dir());
    QCOMPARE(steps(scan), (std::vector<std::int64_t>{5, 90, 100}));
    QVERIFY(scan.damaged.empty());
    const auto latest = tb::io::find_latest_complete_checkpoint(dir());
    QVERIFY(latest.has_value());
    QCOMPARE(latest->path, path("epoch-10.h5"));
    QCOMPARE(tb::io::load_checkpoint(latest->path).trainer.global_step, std::int64_t{100});
}

void TstCheckpointScan::reportsTheCheckpointPosition() {
    tb::io::save_checkpoint(checkpoint_at(23, 3, "cancelled", "2024-06-07T08:09:10Z"),
                            path("cancel-step-23.h5"));
    const auto info = tb::io::inspect_checkpoint(path("cancel-step-23.h5"));
    QCOMPARE(info.path, path("cancel-step-23.h5"));
    QCOMPARE(info.global_step, std::int64_t{23});
    QCOMPARE(info.epoch, 3);
    QCOMPARE(info.step_in_epoch, std::int64_t{23 % 7});
    QCOMPARE(info.state, std::string("cancelled"));
    QCOMPARE(info.created, std::string("2024-06-07T08:09:10Z"));
    QCOMPARE(info.size_bytes,
             static_cast<std::uintmax_t>(QFileInfo(QString::fromStdString(info.path)).size()));
}

void TstCheckpointScan::equalStepsOrderByCreation() {
    tb::io::save_checkpoint(checkpoint_at(40, 4, "running", "2024-01-01T00:00:02Z"), path("a.h5"));
    tb::io::save_checkpoint(checkpoint_at(40, 4, "finished", "2024-01-01T00:00:09Z"), path("b.h5"));
    tb::io::save_checkpoint(checkpoint_at(40, 4, "running", "2024-01-01T00:00:05Z"), path("c.h5"));
    QCOMPARE(tb::io::find_latest_complete_checkpoint(dir())->path, path("b.h5"));
    QCOMPARE(tb::io::find_latest_complete_checkpoint(dir())->state, std::string("finished"));
}

void TstCheckpointScan::truncatedFilesAreDamaged_data() {
    QTest::addColumn<double>("fraction");
    QTest::newRow("header only") << 0.001;
    QTest::newRow("10%") << 0.1;
    QTest::newRow("half") << 0.5;
    QTest::newRow("99%") << 0.99;
    QTest::newRow("one byte short") << -1.0;
}

// A newer but truncated file (an interrupted copy) must never win over an older whole one.
void TstCheckpointScan::truncatedFilesAreDamaged() {
    QFETCH(double, fraction);
    tb::io::save_checkpoint(checkpoint_at(10, 1), path("epoch-1.h5"));
    tb::io::save_checkpoint(checkpoint_at(20, 2), path("epoch-2.h5"));
    const std::string whole = read_all(path("epoch-2.h5"));
    const std::size_t keep =
        fraction < 0 ? whole.size() - 1 : static_cast<std::size_t>(whole.size() * fraction);
    write_all(path("epoch-2.h5"), whole.substr(0, keep));

    const auto scan = tb::io::list_checkpoints(dir());
    QCOMPARE(steps(scan), (std::vector<std::int64_t>{10}));
    QCOMPARE(scan.damaged.size(), std::size_t{1});
    QCOMPARE(scan.damaged[0].path, path("epoch-2.h5"));
    QVERIFY2(contains(scan.damaged[0].reason, "damaged checkpoint") ||
                 contains(scan.damaged[0].reason, "not HDF5"),
             scan.damaged[0].reason.c_str());
    QCOMPARE(tb::io::find_latest_complete_checkpoint(dir())->path, path("epoch-1.h5"));
}

// HDF5 checks the file length against the end recorded in the superblock; the extent check is
// the second line of defence for a file whose metadata is intact but whose tensor bytes are
// not all there. Simulated by moving the last tensor's data address (in its layout message)
// so the data would run past the end of the file.
void TstCheckpointScan::truncatedTensorDataIsDamaged() {
    const std::string target = path("epoch-2.h5");
    tb::io::save_checkpoint(checkpoint_at(20, 2), target);
    haddr_t offset = HADDR_UNDEF;
    {
        const hid_t file = H5Fopen(target.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        QVERIFY(file >= 0);
        const hid_t dataset = H5Dopen2(file, "model/classifier.weight", H5P_DEFAULT);
        QVERIFY(dataset >= 0);
        offset = H5Dget_offset(dataset);
        H5Dclose(dataset);
        H5Fclose(file);
    }
    QVERIFY(offset != HADDR_UNDEF);
    std::string bytes = read_all(target);
    const std::uint64_t old_address = offset;
    const std::uint64_t new_address = bytes.size() - 100;  // little-endian, as on x86 and ARM
    const std::string pattern(reinterpret_cast<const char*>(&old_address), 8);
    const auto at = bytes.find(pattern);
    QVERIFY(at != std::string::npos);
    QCOMPARE(bytes.find(pattern, at + 1), std::string::npos);  // the only place it is stored
    std::memcpy(bytes.data() + at, &new_address, 8);
    write_all(target, bytes);

    const auto scan = tb::io::list_checkpoints(dir());
    QVERIFY(scan.complete.empty());
    QCOMPARE(scan.damaged.size(), std::size_t{1});
    QVERIFY2(contains(scan.damaged[0].reason, "truncated (tensor 'model/classifier.weight'"),
             scan.damaged[0].reason.c_str());
}

void TstCheckpointScan::foreignFilesAreDamaged() {
    tb::io::save_checkpoint(checkpoint_at(1, 0), path("ok.h5"));
    write_all(path("empty.h5"), "");
    write_all(path("text.h5"), "epoch: 3\n");
    const hid_t file =
        H5Fcreate(path("foreign.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    QVERIFY(file >= 0);
    H5Fclose(file);
    QVERIFY(QDir().mkdir(QString::fromStdString(path("folder.h5"))));

    const auto scan = tb::io::list_checkpoints(dir());
    QCOMPARE(steps(scan), (std::vector<std::int64_t>{1}));
    QCOMPARE(scan.damaged.size(), std::size_t{4});
    for (const auto& problem : scan.damaged)
        QVERIFY2(!problem.reason.empty(), problem.path.c_str());
    QVERIFY(contains(scan.damaged[0].reason, "empty"));     // empty.h5 (sorted by name)
    QVERIFY(contains(scan.damaged[1].reason, "folder"));    // folder.h5
    QVERIFY(contains(scan.damaged[2].reason, "format"));    // foreign.h5
    QVERIFY(contains(scan.damaged[3].reason, "not HDF5"));  // text.h5
}

void TstCheckpointScan::newerFormatIsNotComplete() {
    tb::io::save_checkpoint(checkpoint_at(7, 0), path("newer.h5"));
    const hid_t file = H5Fopen(path("newer.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    QVERIFY(file >= 0);
    const hid_t attr = H5Aopen(file, "format_version", H5P_DEFAULT);
    const std::int64_t newer = tb::io::kCheckpointFormatVersion + 1;
    QVERIFY(H5Awrite(attr, H5T_NATIVE_INT64, &newer) >= 0);
    H5Aclose(attr);
    H5Fclose(file);
    const auto scan = tb::io::list_checkpoints(dir());
    QVERIFY(scan.complete.empty());
    QCOMPARE(scan.damaged.size(), std::size_t{1});
    QVERIFY2(contains(scan.damaged[0].reason, "newer tunebench"), scan.damaged[0].reason.c_str());
}

// A kill during a save leaves "<name>.h5.tmp": never a candidate, listed, and removed on request.
void TstCheckpointScan::tempFilesAreReportedAndCleaned() {
    tb::io::save_checkpoint(checkpoint_at(10, 1), path("epoch-1.h5"));
    tb::io::save_checkpoint(checkpoint_at(20, 2), path("epoch-2.h5"));
    // A complete file under the temp name still must not be used: its rename never happened.
    QVERIFY(::rename(path("epoch-2.h5").c_str(), path("epoch-2.h5.tmp").c_str()) == 0);
    write_all(path("step-30.h5.tmp"), "partial");

    const auto scan = tb::io::list_checkpoints(dir());
    QCOMPARE(steps(scan), (std::vector<std::int64_t>{10}));
    QVERIFY(scan.damaged.empty());
    QCOMPARE(scan.temp_files,
             (std::vector<std::string>{path("epoch-2.h5.tmp"), path("step-30.h5.tmp")}));
    QVERIFY(scan.removed_temp_files.empty());
    QVERIFY(QFile::exists(QString::fromStdString(path("step-30.h5.tmp"))));

    const auto cleaned = tb::io::list_checkpoints(dir(), /*remove_temp_files=*/true);
    QCOMPARE(cleaned.removed_temp_files, cleaned.temp_files);
    QVERIFY(!QFile::exists(QString::fromStdString(path("epoch-2.h5.tmp"))));
    QVERIFY(!QFile::exists(QString::fromStdString(path("step-30.h5.tmp"))));
    QCOMPARE(tb::io::list_checkpoints(dir()).temp_files.size(), std::size_t{0});
}

void TstCheckpointScan::inspectThrowsWithPath() {
    write_all(path("bad.h5"), "not a checkpoint");
    try {
        tb::io::inspect_checkpoint(path("bad.h5"));
        QFAIL("inspect must fail");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, path("bad.h5"));
        QVERIFY2(contains(e.message(), "not HDF5"), e.what());
    }
}

QTEST_APPLESS_MAIN(TstCheckpointScan)
#include "tst_checkpoint_scan.moc"
