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
#include "data/text_encoding.h"

namespace tb::data {

DataFile open_data_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error("this is a folder, not a data file", SourceLocation{path, 0, 0, {}});
    DataFile f(std::fopen(path.c_str(), "rb"));
    if (!f) {
        throw Error(std::string("cannot open the file: ") + std::strerror(errno),
                    SourceLocation{path, 0, 0, {}});
    }
    return f;
}

std::string read_file_range(std::FILE* file, const std::string& path, std::uint64_t begin,
                            std::uint64_t end) {
    std::string out(static_cast<std::size_t>(end - begin), '\0');
    if (out.empty())
        return out;
    if (fseeko(file, static_cast<off_t>(begin), SEEK_SET) != 0 ||
        std::fread(out.data(), 1, out.size(), file) != out.size()) {
        throw Error("error while reading the file (was it changed since it was indexed?)",
                    SourceLocation{path, 0, 0, {}});
    }
    return out;
}

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

bool is_utf16_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char head[4] = {1, 1, 1, 1};
    in.read(head, 4);
    const auto b = [&](int i) { return static_cast<unsigned char>(head[i]); };
    if (in.gcount() < 2)
        return false;
    const bool le = b(0) == 0xFF && b(1) == 0xFE;
    const bool be = b(0) == 0xFE && b(1) == 0xFF;
    const bool utf32le = le && in.gcount() == 4 && head[2] == 0 && head[3] == 0;
    return (le && !utf32le) || be;
}

std::string read_text_file(const std::string& path, std::size_t max_bytes) {
    std::string content = read_file_bytes(path, max_bytes);
    const bool prefix = max_bytes != std::string::npos && content.size() == max_bytes;
    return utf16_as_utf8(std::move(content), path, prefix);
}

}  // namespace tb::data
