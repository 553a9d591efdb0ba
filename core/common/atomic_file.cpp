// Atomic file replacement: temp file + fsync + rename + folder fsync (see atomic_file.h).
#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "common/error.h"

namespace tb {
namespace {

std::string os_reason(int err) {
    return std::error_code(err, std::generic_category()).message();
}

// The message every save failure carries: the file being saved is in the location, the reason
// in the message.
[[noreturn]] void fail(const std::string& path, const std::string& reason,
                       const std::string& key = {}) {
    throw Error("could not save: " + reason, SourceLocation{path, 0, 0, key});
}

// Checks what the OS would otherwise report late and vaguely from deep inside a writer.
void check_target(const std::string& path) {
    const std::string folder = parent_folder(path);
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0) {
        if (errno == ENOENT)
            fail(path, "the folder '" + folder + "' does not exist");
        fail(path, "cannot access the folder '" + folder + "': " + io_failure_reason(errno));
    }
    if (!S_ISDIR(st.st_mode))
        fail(path, "'" + folder + "' is not a folder");
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        fail(path, "a folder with that name already exists");
}

// Creates (or truncates a stale) temp file so permission and space problems surface here with
// errno, before the writer runs.
void create_empty(const std::string& path, const std::string& tmp_path) {
    const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        fail(path, "cannot create '" + tmp_path + "': " + io_failure_reason(errno));
    ::close(fd);
}

}  // namespace

std::string io_failure_advice(int err) {
    // "for a training run" names the setting that moves every file a run writes.
    const std::string elsewhere =
        "choose another folder (for a training run: output.runs_dir in the experiment file)";
    switch (err) {
        case ENOSPC:
        case EDQUOT:
            return "Free space on that disk (or raise your quota), or " + elsewhere;
        case EFBIG:
            return "The file is larger than the file system or the process's file size limit "
                   "(ulimit -f) allows: raise the limit, or " +
                   elsewhere;
        case EACCES:
        case EPERM:
            return "You may not write there: fix the folder's permissions, or " + elsewhere;
        case EROFS:
            return "The file system is mounted read-only: " + elsewhere;
        case EIO:
            return "The storage device reported an error: check the disk, or " + elsewhere;
        default:
            return {};
    }
}

std::string io_failure_reason(int err) {
    const std::string advice = io_failure_advice(err);
    return advice.empty() ? os_reason(err) : os_reason(err) + ". " + advice;
}

std::string parent_folder(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

void write_all(int fd, const void* data, std::size_t size, const std::string& path) {
    const auto* bytes = static_cast<const char*>(data);
    std::size_t done = 0;
    while (done < size) {
        // Linux moves at most ~2 GiB per call; larger checkpoints take several.
        const ssize_t n = ::write(fd, bytes + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error("cannot write '" + path + "': " + io_failure_reason(errno),
                        SourceLocation{path, 0, 0, {}});
        if (n == 0)  // POSIX allows it for a device that takes no more data; retrying would spin
            throw Error("cannot write '" + path + "': the device accepted no more data after " +
                            std::to_string(done) + " of " + std::to_string(size) + " bytes. " +
                            io_failure_advice(ENOSPC),
                        SourceLocation{path, 0, 0, {}});
        done += static_cast<std::size_t>(n);
    }
}

void write_whole_file(const std::string& path, const void* data, std::size_t size) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        throw Error("cannot open '" + path + "' for writing: " + io_failure_reason(errno),
                    SourceLocation{path, 0, 0, {}});
    try {
        write_all(fd, data, size, path);
    } catch (...) {
        ::close(fd);
        throw;
    }
    // Network file systems may report a failed write only at close.
    if (::close(fd) != 0)
        throw Error("cannot write '" + path + "' (reported on close): " + io_failure_reason(errno),
                    SourceLocation{path, 0, 0, {}});
}

void fsync_path(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot open '" + path + "' to flush it to disk: " + io_failure_reason(errno),
                    SourceLocation{path, 0, 0, {}});
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        throw Error("cannot flush '" + path + "' to disk (fsync): " + io_failure_reason(err),
                    SourceLocation{path, 0, 0, {}});
}

void atomic_write(const std::string& path,
                  const std::function<void(const std::string& tmp_path)>& writer) {
    if (path.empty())
        throw Error("could not save: the file name is empty");
    check_target(path);
    const std::string tmp_path = path + ".tmp";
    create_empty(path, tmp_path);  // not ours to remove if this fails (e.g. .tmp is a folder)

    try {
        writer(tmp_path);
        fsync_path(tmp_path);
    } catch (const Error& e) {
        ::unlink(tmp_path.c_str());
        // Our own I/O helpers already name the file in the message.
        const auto& file = e.where().file;
        const bool named =
            file.empty() || file == path || e.message().find(file) != std::string::npos;
        fail(path, named ? e.message() : file + ": " + e.message(), e.where().key);
    } catch (const std::exception& e) {
        ::unlink(tmp_path.c_str());
        fail(path, e.what());
    } catch (...) {
        ::unlink(tmp_path.c_str());
        fail(path, "unknown error while writing");
    }
    if (::rename(tmp_path.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp_path.c_str());
        fail(path, "cannot rename '" + tmp_path + "' over it: " + io_failure_reason(err));
    }

    // The rename is durable only once the folder entry is on disk. Some file systems cannot
    // fsync a folder (EINVAL); that is their normal state, not a failure of this save.
    const std::string folder = parent_folder(path);
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;  // a folder we just wrote into but cannot open: nothing more to do
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL && err != ENOTSUP)
        throw Error(
            "saved, but flushing the folder '" + folder +
                "' failed, so the save may not survive a power loss: " + io_failure_reason(err),
            SourceLocation{path, 0, 0, {}});
}

}  // namespace tb
