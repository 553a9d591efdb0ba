// Whole-file (or head-of-file) reads for the in-memory readers.
#include "data/file_bytes.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/error.h"

namespace tb::data {

std::string read_file_bytes(const std::string& path, std::size_t max_bytes) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw Error("this is a folder, not a data file", SourceLocation{path, 0, 0, {}});
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(std::string("cannot open the file: ") + std::strerror(errno),
                    SourceLocation{path, 0, 0, {}});
    }
    // Size first, then one read into the string: no intermediate stream buffer copy.
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    std::string content;
    if (size > 0) {
        content.resize(std::min(static_cast<std::size_t>(size), max_bytes));
        in.read(content.data(), static_cast<std::streamsize>(content.size()));
        content.resize(static_cast<std::size_t>(in.gcount()));
    } else {
        // Size unknown (a pipe or a special file): read it as a stream.
        std::ostringstream buffer;
        buffer << in.rdbuf();
        content = buffer.str();
        if (content.size() > max_bytes)
            content.resize(max_bytes);
    }
    if (in.bad())
        throw Error("error while reading the file", SourceLocation{path, 0, 0, {}});
    return content;
}

}  // namespace tb::data
