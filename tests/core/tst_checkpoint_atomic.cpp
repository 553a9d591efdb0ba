// atomic_write: the target holds either the old or the complete new content, never a mix.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>

#include "common/atomic_file.h"
#include "common/error.h"

namespace {

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

bool exists(const std::string& path) {
    return QFileInfo::exists(QString::fromStdString(path));
}

template <typename Fn>
tb::Error expect_error(Fn fn) {
    try {
        fn();
    } catch (const tb::Error& e) {
        return e;
    }
    throw std::logic_error("expected tb::Error was not thrown");
}

}  // namespace

class TstCheckpointAtomic : public QObject {
    Q_OBJECT

private slots:
    void writesNewFile();
    void replacesExistingFile();
    void writerGetsEmptyTempBesideTarget();
    void overwritesStaleTemp();
    void missingFolderFails();
    void targetIsFolderFails();
    void throwingWriterKeepsOldFile();
    void throwingWriterKeepsErrorKey();
    void tempIsFolderFails();
    void writeWholeFileReportsDiskFull();
    void writeAllReportsDiskFull();
    void fsyncPathReportsMissingFile();
    void failedFsyncKeepsOldFile();
    void failedRenameKeepsNoTemp();
    void adviceForCommonFailures();
    void parentFolder();

private:
    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }
};

void TstCheckpointAtomic::writesNewFile() {
    const std::string target = path("new.yaml");
    tb::atomic_write(target, [](const std::string& tmp) { write_text(tmp, "epochs: 3\n"); });
    QCOMPARE(read_text(target), std::string("epochs: 3\n"));
    QVERIFY(!exists(target + ".tmp"));
}

void TstCheckpointAtomic::replacesExistingFile() {
    const std::string target = path("replace.yaml");
    write_text(target, "old content that is longer than the new one\n");
    tb::atomic_write(target, [](const std::string& tmp) { write_text(tmp, "new\n"); });
    QCOMPARE(read_text(target), std::string("new\n"));
    QVERIFY(!exists(target + ".tmp"));
}

void TstCheckpointAtomic::writerGetsEmptyTempBesideTarget() {
    const std::string target = path("beside.bin");
    std::string seen;
    bool existed = false;
    tb::atomic_write(target, [&](const std::string& tmp) {
        seen = tmp;
        existed = exists(tmp) && QFileInfo(QString::fromStdString(tmp)).size() == 0;
        write_text(tmp, "x");
    });
    QCOMPARE(seen, target + ".tmp");
    QVERIFY(existed);
}

void TstCheckpointAtomic::overwritesStaleTemp() {
    const std::string target = path("stale.bin");
    write_text(target + ".tmp", "left over by a crash");
    tb::atomic_write(target, [](const std::string& tmp) {
        QCOMPARE(read_text(tmp), std::string());  // truncated before the writer runs
        write_text(tmp, "fresh");
    });
    QCOMPARE(read_text(target), std::string("fresh"));
    QVERIFY(!exists(target + ".tmp"));
}

void TstCheckpointAtomic::missingFolderFails() {
    const std::string target = path("missing/sub/file.bin");
    bool writer_ran = false;
    const tb::Error e = expect_error(
        [&] { tb::atomic_write(target, [&](const std::string&) { writer_ran = true; }); });
    QVERIFY(!writer_ran);
    QCOMPARE(e.where().file, target);
    QCOMPARE(e.message(),
             "could not save: the folder '" + path("missing/sub") + "' does not exist");
}

void TstCheckpointAtomic::targetIsFolderFails() {
    const std::string target = path("a_folder");
    QVERIFY(QDir().mkdir(QString::fromStdString(target)));
    const tb::Error e = expect_error(
        [&] { tb::atomic_write(target, [](const std::string& tmp) { write_text(tmp, "x"); }); });
    QVERIFY2(e.message().find("folder with that name") != std::string::npos, e.what());
    QVERIFY(QFileInfo(QString::fromStdString(target)).isDir());
    QVERIFY(!exists(target + ".tmp"));
}

void TstCheckpointAtomic::throwingWriterKeepsOldFile() {
    const std::string target = path("keep.bin");
    write_text(target, "precious old content");
    const tb::Error e = expect_error([&] {
        tb::atomic_write(target, [](const std::string& tmp) {
            write_text(tmp, "half of the new cont");  // partial output, then failure
            throw std::runtime_error("disk exploded");
        });
    });
    QCOMPARE(e.where().file, target);
    QCOMPARE(e.message(), std::string("could not save: disk exploded"));
    QCOMPARE(read_text(target), std::string("precious old content"));
    QVERIFY(!exists(target + ".tmp"));
}

void TstCheckpointAtomic::throwingWriterKeepsErrorKey() {
    const std::string target = path("key.bin");
    const tb::Error e = expect_error([&] {
        tb::atomic_write(target, [](const std::string&) {
            throw tb::Error("bad tensor", tb::SourceLocation{{}, 0, 0, "bert.weight"});
        });
    });
    QCOMPARE(e.where().file, target);
    QCOMPARE(e.where().key, std::string("bert.weight"));
    QCOMPARE(e.message(), std::string("could not save: bad tensor"));
    QVERIFY(!exists(target));
    QVERIFY(!exists(target + ".tmp"));
}

void TstCheckpointAtomic::tempIsFolderFails() {
    const std::string target = path("blocked.bin");
    write_text(target, "old");
    QVERIFY(QDir().mkdir(QString::fromStdString(target + ".tmp")));
    const tb::Error e = expect_error(
        [&] { tb::atomic_write(target, [](const std::string& tmp) { write_text(tmp, "x"); }); });
    QVERIFY2(e.message().find("Is a directory") != std::string::npos, e.what());
    QCOMPARE(read_text(target), std::string("old"));
    QVERIFY(QFileInfo(QString::fromStdString(target + ".tmp")).isDir());  // not ours to delete
}

// /dev/full fails every write with ENOSPC: the message a full disk produces.
void TstCheckpointAtomic::writeWholeFileReportsDiskFull() {
    if (!exists("/dev/full"))
        QSKIP("/dev/full is not available");
    const std::string data(1 << 16, 'x');
    const tb::Error e =
        expect_error([&] { tb::write_whole_file("/dev/full", data.data(), data.size()); });
    QCOMPARE(e.where().file, std::string("/dev/full"));
    QVERIFY2(
        e.message().rfind("cannot write '/dev/full': No space left on device. Free space", 0) == 0,
        e.what());
    QVERIFY2(e.message().find("output.runs_dir") != std::string::npos, e.what());
}

void TstCheckpointAtomic::writeAllReportsDiskFull() {
    if (!exists("/dev/full"))
        QSKIP("/dev/full is not available");
    const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    const std::string data(1 << 16, 'x');
    const tb::Error e =
        expect_error([&] { tb::write_all(fd, data.data(), data.size(), "weights.tmp"); });
    ::close(fd);
    QCOMPARE(e.where().file, std::string("weights.tmp"));
    QVERIFY2(e.message().rfind("cannot write 'weights.tmp': No space left on device. ", 0) == 0,
             e.what());
}

void TstCheckpointAtomic::fsyncPathReportsMissingFile() {
    const tb::Error e = expect_error([&] { tb::fsync_path(path("nothing_here")); });
    QCOMPARE(e.where().file, path("nothing_here"));
    QVERIFY2(e.message().find("No such file") != std::string::npos, e.what());
    tb::fsync_path(dir_.path().toStdString());  // folders can be synced too
}

// The temp file is swapped for a link to a procfs file, which cannot be fsynced (EINVAL): the
// save must fail at the fsync step, remove the temp entry and keep the old file.
void TstCheckpointAtomic::failedFsyncKeepsOldFile() {
    if (::access("/proc/version", R_OK) != 0)
        QSKIP("no /proc/version");
    const std::string target = path("fsync.bin");
    write_text(target, "old");
    const tb::Error e = expect_error([&] {
        tb::atomic_write(target, [](const std::string& tmp) {
            QVERIFY(::unlink(tmp.c_str()) == 0);
            QVERIFY(::symlink("/proc/version", tmp.c_str()) == 0);
        });
    });
    QCOMPARE(e.where().file, target);
    QVERIFY2(
        e.message().find("cannot flush '" + target + ".tmp' to disk (fsync)") != std::string::npos,
        e.what());
    QCOMPARE(read_text(target), std::string("old"));
    QVERIFY(!QFileInfo(QString::fromStdString(target + ".tmp")).isSymLink());
}

// A non-empty folder appears at the target while the writer runs: rename() fails, the error
// names the rename, and the written temp file is removed.
void TstCheckpointAtomic::failedRenameKeepsNoTemp() {
    const std::string target = path("rename.bin");
    const tb::Error e = expect_error([&] {
        tb::atomic_write(target, [&](const std::string& tmp) {
            write_text(tmp, "new");
            QVERIFY(QDir().mkdir(QString::fromStdString(target)));
            write_text(target + "/inside", "x");
        });
    });
    QCOMPARE(e.where().file, target);
    QVERIFY2(e.message().find("cannot rename '" + target + ".tmp' over it") != std::string::npos,
             e.what());
    QVERIFY(!exists(target + ".tmp"));
    QCOMPARE(read_text(target + "/inside"), std::string("x"));
}

void TstCheckpointAtomic::adviceForCommonFailures() {
    QVERIFY(tb::io_failure_advice(ENOSPC).find("Free space") != std::string::npos);
    QVERIFY(tb::io_failure_advice(EDQUOT).find("quota") != std::string::npos);
    QVERIFY(tb::io_failure_advice(EFBIG).find("ulimit -f") != std::string::npos);
    QVERIFY(tb::io_failure_advice(EACCES).find("permissions") != std::string::npos);
    QVERIFY(tb::io_failure_advice(EROFS).find("read-only") != std::string::npos);
    for (int err : {ENOSPC, EDQUOT, EFBIG, EACCES, EPERM, EROFS, EIO})
        QVERIFY(tb::io_failure_advice(err).find("output.runs_dir") != std::string::npos);
    QCOMPARE(tb::io_failure_advice(EINTR), std::string());
    QCOMPARE(tb::io_failure_reason(EINTR), std::string("Interrupted system call"));
    QVERIFY(tb::io_failure_reason(ENOSPC).rfind("No space left on device. Free space", 0) == 0);
}

void TstCheckpointAtomic::parentFolder() {
    QCOMPARE(tb::parent_folder("ckpt.h5"), std::string("."));
    QCOMPARE(tb::parent_folder("/ckpt.h5"), std::string("/"));
    QCOMPARE(tb::parent_folder("runs/a/ckpt.h5"), std::string("runs/a"));
}

QTEST_APPLESS_MAIN(TstCheckpointAtomic)
#include "tst_checkpoint_atomic.moc"
