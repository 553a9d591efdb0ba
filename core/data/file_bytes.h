// Reads a data file (or its first bytes) into memory with user-facing errors.
#pragma once

#include <cstddef>
#include <string>

namespace tb::data {

// The file's bytes, at most `max_bytes`. Throws tb::Error naming `path` for a folder, a file that
// cannot be opened (with the OS reason) and a read error.
std::string read_file_bytes(const std::string& path, std::size_t max_bytes = std::string::npos);

}  // namespace tb::data
