// Real disk failures during checkpoint saves (file size limit, read-only folder or mount, full
// file system): the save fails with the target, the operation, the OS reason and advice, the
// temp file is gone and the previous checkpoint is byte-identical.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>

#include "common/error.h"
#include "io/checkpoint.h"

using tb::DType;
using tb::TensorBlob;
using tb::io::Checkpoint;

namespace {

TensorBlob floats(const std::string& name, std::size_t n, float base) {
    TensorBlob blob;
    blob.name = name;
    blob.dtype = DType::F32;
    blob.shape = {static_cast<std::int64_t>(n)};
    blob.bytes.resize(n * sizeof(float));
    for (std::size_t i = 0; i < n; ++i) {
        const float v = base + static_cast<float>(i);
        std::memcpy(blob.bytes.data() + i * sizeof(float), &v, sizeof v);
    }
    return blob;
}

Checkpoint small_checkpoint() {
    Checkpoint c;
    c.model = {floats("bert.pooler.dense.weight", 16, 1.f)};
    c.trainer.global_step = 10;
    return c;
}

// 4 MiB of weights: larger than every limit the tests set.
Checkpoint big_checkpoint() {
    Checkpoint c = small_checkpoint();
    c.model.push_back(floats("bert.embeddings.word_embeddings.weight", 1 << 20, 2.f));
    c.trainer.global_step = 20;
    return c;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Saves `big_checkpoint()` over an existing small checkpoint at `target`, expects the save to
// fail, and checks the failure contract. Returns "" when everything holds, else what did not.
// Plain checks (no QTest macros) so it also runs in a forked child.
std::string check_failed_save(const std::string& target, const std::vector<std::string>& phrases) {
    const std::string before = read_all(target);
    if (before.empty())
        return "the previous checkpoint was not written";
    std::string message, file;
    try {
        tb::io::save_checkpoint(big_checkpoint(), target);
        return "the save succeeded but should have failed";
    } catch (const tb::Error& e) {
        message = e.message();
        file = e.where().file;
    }
    if (file != target)
        return "error located at '" + file + "' instead of the target: " + message;
    for (const auto& phrase : phrases)
        if (!contains(message, phrase))
            return "message lacks '" + phrase + "': " + message;
    if (read_all(target) != before)
        return "the previous checkpoint changed";
    if (exists(target + ".tmp"))
        return "the temp file was left behind";
    try {
        if (tb::io::load_checkpoint(target).trainer.global_step != 10)
            return "the previous checkpoint loads with the wrong step";
    } catch (const tb::Error& e) {
        return std::string("the previous checkpoint no longer loads: ") + e.what();
    }
    return {};
}

constexpr int kSkipExit = 77;

// Runs `fn` in a forked child (for process-wide settings such as limits and mount namespaces
// that must not leak into the test process). The child's result string travels back through a
// pipe. Exit status kSkipExit means the child could not set up its environment.
struct ChildResult {
    int exit_code = -1;
    std::string text;
};

ChildResult run_in_child(const std::function<int(std::string&)>& fn) {
    int fds[2];
    if (::pipe(fds) != 0)
        return {-1, "pipe failed"};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        std::string text;
        int code = 1;
        try {
            code = fn(text);
        } catch (const std::exception& e) {
            text = std::string("exception: ") + e.what();
        }
        if (!text.empty() && ::write(fds[1], text.data(), text.size()) < 0)
            code = 2;
        ::_exit(code);
    }
    ::close(fds[1]);
    ChildResult result;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0)
        result.text.append(buffer, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

bool write_file(const char* path, const std::string& text) {
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

// Enters a private mount namespace so the child may mount without affecting anyone else: as
// root directly, otherwise through a user namespace (unprivileged on most Linux systems).
bool enter_private_mount_namespace(std::string& why) {
    if (::unshare(CLONE_NEWNS) != 0) {
        const uid_t uid = ::getuid();
        const gid_t gid = ::getgid();
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
            why = std::string("no mount namespace: ") + std::strerror(errno);
            return false;
        }
        write_file("/proc/self/setgroups", "deny");
        if (!write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
            !write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1")) {
            why = "cannot map the user into the user namespace";
            return false;
        }
    }
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        why = std::string("cannot make mounts private: ") + std::strerror(errno);
        return false;
    }
    return true;
}

}  // namespace

class TstCheckpointDiskFailures : public QObject {
    Q_OBJECT

private slots:
    void fileSizeLimit();
    void readOnlyFolder();
    void noPermissionAsRoot();
    void folderIsAFile();
    void readOnlyMount();
    void fullFileSystem();

private:
    QTemporaryDir dir_;
    std::string path(const std::string& name) const {
        return dir_.filePath(QString::fromStdString(name)).toStdString();
    }
};

// RLIMIT_FSIZE (enforced for root too) makes write() fail with EFBIG part-way through the
// 4 MiB file; SIGXFSZ is ignored so the process gets the error instead of being killed.
void TstCheckpointDiskFailures::fileSizeLimit() {
    const std::string target = path("fsize.h5");
    const ChildResult child = run_in_child([&](std::string& text) {
        tb::io::save_checkpoint(small_checkpoint(), target);
        ::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{};
        ::getrlimit(RLIMIT_FSIZE, &limit);
        limit.rlim_cur = 256 * 1024;
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) {
            text = "setrlimit failed";
            return 1;
        }
        text = check_failed_save(target, {"cannot write '" + target + ".tmp'", "File too large",
                                          "ulimit -f", "output.runs_dir"});
        return text.empty() ? 0 : 1;
    });
    QVERIFY2(child.exit_code == 0, child.text.c_str());
    // The parent, without the limit, sees the same untouched file and can save again.
    QCOMPARE(tb::io::load_checkpoint(target).trainer.global_step, std::int64_t{10});
    tb::io::save_checkpoint(big_checkpoint(), target);
    QCOMPARE(tb::io::load_checkpoint(target).trainer.global_step, std::int64_t{20});
}

// Root ignores folder permissions, so this runs only for ordinary users (noPermissionAsRoot
// and readOnlyMount cover root).
void TstCheckpointDiskFailures::readOnlyFolder() {
    if (::geteuid() == 0)
        QSKIP("running as root, which ignores folder permissions");
    const std::string folder = path("readonly");
    QVERIFY(QDir().mkdir(QString::fromStdString(folder)));
    const std::string target = folder + "/ckpt.h5";
    tb::io::save_checkpoint(small_checkpoint(), target);
    QVERIFY(::chmod(folder.c_str(), 0555) == 0);
    const std::string problem = check_failed_save(
        target, {"cannot create '" + target + ".tmp'", "Permission denied", "permissions"});
    ::chmod(folder.c_str(), 0755);
    QVERIFY2(problem.empty(), problem.c_str());
}

// sysfs refuses to create files even for root.
void TstCheckpointDiskFailures::noPermissionAsRoot() {
    if (::geteuid() != 0)
        QSKIP("covered by readOnlyFolder for ordinary users");
    const std::string target = "/sys/tunebench-test-checkpoint.h5";
    struct stat st {};
    if (::stat("/sys", &st) != 0 || exists(target))
        QSKIP("no /sys to test with");
    try {
        tb::io::save_checkpoint(small_checkpoint(), target);
        ::unlink(target.c_str());
        QSKIP("this system lets root create files in /sys");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, target);
        QVERIFY2(contains(e.message(), "cannot create '" + target + ".tmp'"), e.what());
        QVERIFY2(contains(e.message(), "Permission denied") ||
                     contains(e.message(), "Operation not permitted"),
                 e.what());
        QVERIFY2(contains(e.message(), "output.runs_dir"), e.what());
    }
    QVERIFY(!exists(target + ".tmp"));
}

void TstCheckpointDiskFailures::folderIsAFile() {
    const std::string file = path("plain.txt");
    QFile f(QString::fromStdString(file));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const std::string target = file + "/ckpt.h5";
    try {
        tb::io::save_checkpoint(small_checkpoint(), target);
        QFAIL("saving below a plain file should fail");
    } catch (const tb::Error& e) {
        QCOMPARE(e.where().file, target);
        QVERIFY2(contains(e.message(), "'" + file + "'"), e.what());
        QVERIFY2(contains(e.message(), "is not a folder"), e.what());
    }
}

// The folder is bind-mounted read-only in a private mount namespace: EROFS for everyone,
// root included.
void TstCheckpointDiskFailures::readOnlyMount() {
    const std::string folder = path("romount");
    QVERIFY(QDir().mkdir(QString::fromStdString(folder)));
    const std::string target = folder + "/ckpt.h5";
    tb::io::save_checkpoint(small_checkpoint(), target);
    const QByteArray before = QByteArray::fromStdString(read_all(target));
    const ChildResult child = run_in_child([&](std::string& text) {
        if (!enter_private_mount_namespace(text))
            return kSkipExit;
        if (::mount(folder.c_str(), folder.c_str(), nullptr, MS_BIND, nullptr) != 0 ||
            ::mount(nullptr, folder.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) !=
                0) {
            text = std::string("cannot mount read-only: ") + std::strerror(errno);
            return kSkipExit;
        }
        text = check_failed_save(target, {"cannot create '" + target + ".tmp'",
                                          "Read-only file system", "output.runs_dir"});
        return text.empty() ? 0 : 1;
    });
    if (child.exit_code == kSkipExit)
        QSKIP(qPrintable(QString::fromStdString(child.text)));
    QVERIFY2(child.exit_code == 0, child.text.c_str());
    QCOMPARE(QByteArray::fromStdString(read_all(target)), before);
}

// A real full disk: a 1 MiB tmpfs in a private mount namespace receives a 4 MiB checkpoint.
void TstCheckpointDiskFailures::fullFileSystem() {
    const std::string folder = path("tmpfs");
    QVERIFY(QDir().mkdir(QString::fromStdString(folder)));
    const std::string target = folder + "/ckpt.h5";
    const ChildResult child = run_in_child([&](std::string& text) {
        if (!enter_private_mount_namespace(text))
            return kSkipExit;
        if (::mount("tunebench-test", folder.c_str(), "tmpfs", 0, "size=1m") != 0) {
            text = std::string("cannot mount a tmpfs: ") + std::strerror(errno);
            return kSkipExit;
        }
        tb::io::save_checkpoint(small_checkpoint(), target);
        text =
            check_failed_save(target, {"cannot write '" + target + ".tmp'",
                                       "No space left on device", "Free space", "output.runs_dir"});
        if (!text.empty())
            return 1;
        // Once space is freed (here: a smaller checkpoint), saving works again.
        Checkpoint next = small_checkpoint();
        next.trainer.global_step = 11;
        tb::io::save_checkpoint(next, target);
        if (tb::io::load_checkpoint(target).trainer.global_step != 11) {
            text = "the save after the failure did not take";
            return 1;
        }
        return 0;
    });
    if (child.exit_code == kSkipExit)
        QSKIP(qPrintable(QString::fromStdString(child.text)));
    QVERIFY2(child.exit_code == 0, child.text.c_str());
}

QTEST_APPLESS_MAIN(TstCheckpointDiskFailures)
#include "tst_checkpoint_disk_failures.moc"
