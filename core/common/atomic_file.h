// Atomic file replacement (write a temp file, fsync, rename, fsync the folder) for any format.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace tb {

// Replaces `path` so that a reader or a crash at any instant sees either the old file or the
// complete new one, never a mix. `writer` must write the whole new content to `tmp_path`
// (= path + ".tmp"), which exists and is empty when it is called; a writer may recreate or
// truncate it. Then the temp file is fsynced, renamed over `path`, and the folder is fsynced.
//
// On any failure before the rename (missing folder, permission denied, disk full, the writer
// throwing, fsync or rename failing) the temp file is removed, `path` is left byte-identical,
// and tb::Error is thrown with where().file = path and a message "could not save: <operation>
// '<file>': <OS reason>. <advice>" (advice from io_failure_advice). A stale temp file from an
// earlier crash is overwritten. If only the final folder fsync fails the new file is already
// in place and tb::Error says its durability is not guaranteed.
void atomic_write(const std::string& path,
                  const std::function<void(const std::string& tmp_path)>& writer);

// Writes `size` bytes to `path` (created or truncated), retrying short writes and EINTR.
// Throws tb::Error located at `path`, message "cannot write '<path>': <OS reason>. <advice>"
// (e.g. "No space left on device"). Meant for writers passed to atomic_write that build their
// content in memory.
void write_whole_file(const std::string& path, const void* data, std::size_t size);

// Writes all `size` bytes to the open descriptor `fd`, retrying short writes and EINTR. For
// writers that stream their content in pieces. Does not close `fd`. Throws tb::Error naming
// `path` (the file behind `fd`), the OS reason and advice. A write() that accepts no bytes is
// reported as a failure rather than retried forever.
void write_all(int fd, const void* data, std::size_t size, const std::string& path);

// fsync()s a file or a folder so its content (or its entries) reach the disk.
// Throws tb::Error naming `path`, the OS reason and advice.
void fsync_path(const std::string& path);

// What a user can do about a failed file operation with this errno: free space or choose
// another folder for ENOSPC/EDQUOT, the size limit for EFBIG, permissions for EACCES/EPERM,
// another folder for EROFS, the disk for EIO. Empty when there is nothing specific to say.
std::string io_failure_advice(int err);

// "<reason>" or "<reason>. <Advice>": the OS message for `err` followed by its advice.
std::string io_failure_reason(int err);

// The folder holding `path` ("." for a bare file name, "/" for a file in the root).
std::string parent_folder(const std::string& path);

}  // namespace tb
