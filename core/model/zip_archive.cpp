// A minimal read-only zip reader (stored and deflated entries, zip64) for model archives.
#include "model/zip_archive.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "common/error.h"

namespace tb::model {

namespace {

constexpr std::uint32_t kEocd = 0x06054b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kZip64Eocd = 0x06064b50;
constexpr std::uint32_t kCentral = 0x02014b50;
constexpr std::uint32_t kLocal = 0x04034b50;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw Error("not a readable zip archive: " + what, SourceLocation{path, 0, 0, ""});
}

std::string read_at(std::ifstream& in, const std::string& path, std::uint64_t offset,
                    std::uint64_t count, std::uint64_t file_size) {
    if (offset > file_size || count > file_size - offset)
        fail(path, "a record points past the end of the file (truncated?)");
    std::string bytes(static_cast<std::size_t>(count), '\0');
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(&bytes[0], static_cast<std::streamsize>(count));
    if (static_cast<std::uint64_t>(in.gcount()) != count)
        fail(path, "cannot read the file");
    return bytes;
}

template <typename T>
T le(const std::string& bytes, std::size_t at) {
    T v = 0;
    if (at + sizeof(T) <= bytes.size())
        std::memcpy(&v, bytes.data() + at, sizeof(T));
    return v;
}

}  // namespace

ZipArchive ZipArchive::open(const std::string& path) {
    ZipArchive zip;
    zip.path_ = path;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open the file", SourceLocation{path, 0, 0, ""});
    in.seekg(0, std::ios::end);
    zip.file_size_ = static_cast<std::uint64_t>(in.tellg());
    // The end-of-central-directory record is within the last 22 + 65535 bytes.
    const std::uint64_t tail_size = std::min<std::uint64_t>(zip.file_size_, 22 + 65535);
    const std::string tail =
        read_at(in, path, zip.file_size_ - tail_size, tail_size, zip.file_size_);
    std::size_t eocd = std::string::npos;
    for (std::size_t i = tail.size() >= 22 ? tail.size() - 22 : std::string::npos;
         i != std::string::npos; --i) {
        if (le<std::uint32_t>(tail, i) == kEocd) {
            eocd = i;
            break;
        }
        if (i == 0)
            break;
    }
    if (eocd == std::string::npos)
        fail(path, "no end-of-central-directory record");
    std::uint64_t count = le<std::uint16_t>(tail, eocd + 10);
    std::uint64_t cd_size = le<std::uint32_t>(tail, eocd + 12);
    std::uint64_t cd_offset = le<std::uint32_t>(tail, eocd + 16);
    if (eocd >= 20 && le<std::uint32_t>(tail, eocd - 20) == kZip64Locator) {
        const std::uint64_t z64 = le<std::uint64_t>(tail, eocd - 20 + 8);
        const std::string rec = read_at(in, path, z64, 56, zip.file_size_);
        if (le<std::uint32_t>(rec, 0) != kZip64Eocd)
            fail(path, "broken zip64 end-of-central-directory record");
        count = le<std::uint64_t>(rec, 32);
        cd_size = le<std::uint64_t>(rec, 40);
        cd_offset = le<std::uint64_t>(rec, 48);
    }
    const std::string cd = read_at(in, path, cd_offset, cd_size, zip.file_size_);
    if (count > cd.size() / 46)
        fail(path, "the central directory is shorter than its entry count");
    std::size_t at = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (at + 46 > cd.size() || le<std::uint32_t>(cd, at) != kCentral)
            fail(path, "broken central directory entry " + std::to_string(i));
        Entry e;
        e.method = le<std::uint16_t>(cd, at + 10);
        e.compressed_size = le<std::uint32_t>(cd, at + 20);
        e.size = le<std::uint32_t>(cd, at + 24);
        const std::size_t name_len = le<std::uint16_t>(cd, at + 28);
        const std::size_t extra_len = le<std::uint16_t>(cd, at + 30);
        const std::size_t comment_len = le<std::uint16_t>(cd, at + 32);
        e.local_header_offset = le<std::uint32_t>(cd, at + 42);
        if (at + 46 + name_len + extra_len + comment_len > cd.size())
            fail(path, "broken central directory entry " + std::to_string(i));
        e.name = cd.substr(at + 46, name_len);
        // Zip64 extra field: the 64-bit values of the fields set to 0xFFFFFFFF, in order.
        std::size_t x = at + 46 + name_len;
        const std::size_t x_end = x + extra_len;
        while (x + 4 <= x_end) {
            const auto id = le<std::uint16_t>(cd, x);
            const auto len = le<std::uint16_t>(cd, x + 2);
            if (id == 0x0001) {
                std::size_t v = x + 4;
                if (e.size == 0xFFFFFFFFu && v + 8 <= x_end)
                    e.size = le<std::uint64_t>(cd, v), v += 8;
                if (e.compressed_size == 0xFFFFFFFFu && v + 8 <= x_end)
                    e.compressed_size = le<std::uint64_t>(cd, v), v += 8;
                if (e.local_header_offset == 0xFFFFFFFFu && v + 8 <= x_end)
                    e.local_header_offset = le<std::uint64_t>(cd, v);
            }
            x += 4 + len;
        }
        zip.entries_.push_back(std::move(e));
        at += 46 + name_len + extra_len + comment_len;
    }
    return zip;
}

const ZipArchive::Entry* ZipArchive::find(const std::string& name) const {
    for (const auto& e : entries_)
        if (e.name == name)
            return &e;
    return nullptr;
}

std::string ZipArchive::read(const Entry& e, std::uint64_t max_bytes) const {
    if (e.size > max_bytes)
        fail(path_, e.name + " is too large (" + std::to_string(e.size) + " bytes)");
    std::ifstream in(path_, std::ios::binary);
    const std::string local = read_at(in, path_, e.local_header_offset, 30, file_size_);
    if (le<std::uint32_t>(local, 0) != kLocal)
        fail(path_, "broken local header of " + e.name);
    // The local header's own name and extra lengths (PyTorch pads data with the extra field).
    const std::uint64_t data =
        e.local_header_offset + 30 + le<std::uint16_t>(local, 26) + le<std::uint16_t>(local, 28);
    const std::string raw = read_at(in, path_, data, e.compressed_size, file_size_);
    if (e.method == 0) {
        if (raw.size() != e.size)
            fail(path_, "stored entry " + e.name + " has inconsistent sizes");
        return raw;
    }
    if (e.method != 8)
        fail(path_, e.name + " uses compression method " + std::to_string(e.method) +
                        " (only stored and deflated entries are read)");
    std::string out(static_cast<std::size_t>(e.size), '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        fail(path_, "cannot start zlib");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    z.avail_in = static_cast<uInt>(raw.size());
    z.next_out = reinterpret_cast<Bytef*>(&out[0]);
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const auto produced = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != e.size)
        fail(path_, "cannot inflate " + e.name);
    return out;
}

}  // namespace tb::model
