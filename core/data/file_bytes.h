// Reads a data file (or its first bytes) into memory with user-facing errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace tb::data {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using DataFile = std::unique_ptr<std::FILE, FileCloser>;

// A data file opened for binary reading (the streaming indexes read it by offset). tb::Error
// naming `path` for a folder or a file that cannot be opened (with the OS reason).
DataFile open_data_file(const std::string& path);

// Bytes [begin, end) of an open file. tb::Error naming `path` when they cannot all be read
// (e.g. the file was changed since it was indexed).
std::string read_file_range(std::FILE* file, const std::string& path, std::uint64_t begin,
                            std::uint64_t end);

// The file's bytes, at most `max_bytes`. Throws tb::Error naming `path` for a folder, a file that
// cannot be opened (with the OS reason) and a read error.
std::string read_file_bytes(const std::string& path, std::size_t max_bytes = std::string::npos);

// A text data file's content as UTF-8: read_file_bytes, with UTF-16 (recognised by its byte
// order mark) converted (utf16_as_utf8). UTF-8 comes back as it is in the file, BOM included;
// other encodings are left for check_text_encoding to name.
std::string read_text_file(const std::string& path, std::size_t max_bytes = std::string::npos);

// True when the file starts with a UTF-16 byte order mark (not UTF-32's). Such files are read
// whole and converted: the streaming readers (row and sentence indexes) take UTF-8 only.
bool is_utf16_file(const std::string& path);

}  // namespace tb::data
