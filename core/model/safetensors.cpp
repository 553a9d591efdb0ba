// Safetensors reader (header validated up front, tensors read on demand) and atomic writer.
#include "model/safetensors.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

namespace tb::model {
namespace {

using json = nlohmann::json;

// Same cap as the reference implementation: a header is names and shapes, never data, so
// anything larger is a corrupt length field and must not drive an allocation.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

[[noreturn]] void fail(const std::string& path, const std::string& message,
                       const std::string& tensor = {}) {
    SourceLocation where;
    where.file = path;
    where.key = tensor;
    throw Error(message, where);
}

// numel * dtype size, or false on overflow/negative dimensions.
bool byte_size(const std::vector<std::int64_t>& shape, DType dtype, std::uint64_t& out) {
    std::uint64_t n = dtype_size(dtype);
    for (std::int64_t d : shape) {
        if (d < 0)
            return false;
        if (__builtin_mul_overflow(n, static_cast<std::uint64_t>(d), &n))
            return false;
    }
    out = n;
    return true;
}

std::uint64_t file_size_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        fail(path, std::string("cannot open safetensors file: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        fail(path, "not a regular file");
    return static_cast<std::uint64_t>(st.st_size);
}

// Parses the header text, rejecting duplicate top-level names (nlohmann would silently keep
// the last one, so a file could smuggle two different tensors under one name).
json parse_header(const std::string& path, const std::string& text) {
    std::set<std::string> seen;
    std::string duplicate;
    json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::key && depth == 1) {
            const auto& key = parsed.get_ref<const std::string&>();
            if (!seen.insert(key).second && duplicate.empty())
                duplicate = key;
        }
        return true;
    };
    json header;
    try {
        header = json::parse(text, on_event);
    } catch (const json::exception& e) {
        fail(path, std::string("safetensors header is not valid JSON: ") + e.what());
    }
    if (!header.is_object())
        fail(path, "safetensors header must be a JSON object");
    if (!duplicate.empty())
        fail(path, "tensor name appears twice in the header", duplicate);
    return header;
}

SafetensorsEntry parse_entry(const std::string& path, const std::string& name, const json& value) {
    if (!value.is_object())
        fail(path, "header entry must be an object", name);
    SafetensorsEntry entry;
    entry.name = name;

    auto dtype_it = value.find("dtype");
    if (dtype_it == value.end() || !dtype_it->is_string())
        fail(path, "missing 'dtype'", name);
    try {
        entry.dtype = dtype_from_name(dtype_it->get<std::string>());
    } catch (const Error& e) {
        fail(path, e.message(), name);
    }

    auto shape_it = value.find("shape");
    if (shape_it == value.end() || !shape_it->is_array())
        fail(path, "missing 'shape'", name);
    for (const auto& dim : *shape_it) {
        if (!dim.is_number_integer())
            fail(path, "shape must hold integers", name);
        if (dim.is_number_unsigned() &&
            dim.get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            fail(path, "shape dimension is too large", name);
        std::int64_t d = dim.get<std::int64_t>();
        if (d < 0)
            fail(path, "negative dimension in shape " + shape_text({d}), name);
        entry.shape.push_back(d);
    }

    auto off_it = value.find("data_offsets");
    if (off_it == value.end() || !off_it->is_array() || off_it->size() != 2 ||
        !(*off_it)[0].is_number_unsigned() || !(*off_it)[1].is_number_unsigned())
        fail(path, "'data_offsets' must be two non-negative integers", name);
    entry.begin = (*off_it)[0].get<std::uint64_t>();
    entry.end = (*off_it)[1].get<std::uint64_t>();
    if (entry.end < entry.begin)
        fail(path, "data_offsets end before they begin", name);

    std::uint64_t expected = 0;
    if (!byte_size(entry.shape, entry.dtype, expected))
        fail(path, "shape " + shape_text(entry.shape) + " is too large", name);
    if (entry.end - entry.begin != expected)
        fail(path,
             "data_offsets span " + std::to_string(entry.end - entry.begin) + " bytes but " +
                 dtype_name(entry.dtype) + " " + shape_text(entry.shape) + " needs " +
                 std::to_string(expected),
             name);
    return entry;
}

}  // namespace

SafetensorsFile SafetensorsFile::open(const std::string& path) {
    const std::uint64_t file_size = file_size_of(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(path, std::string("cannot open safetensors file: ") + std::strerror(errno));

    if (file_size < 8)
        fail(path, "file is truncated: too short for a safetensors header");
    unsigned char len_bytes[8];
    in.read(reinterpret_cast<char*>(len_bytes), 8);
    std::uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i)
        header_len = (header_len << 8) | len_bytes[i];
    if (header_len > file_size - 8)
        fail(path, "header length " + std::to_string(header_len) + " exceeds the file size " +
                       std::to_string(file_size) + " (truncated or not a safetensors file)");
    if (header_len > kMaxHeaderBytes)
        fail(path, "header length " + std::to_string(header_len) + " is implausibly large");

    std::string text(header_len, '\0');
    in.read(text.data(), static_cast<std::streamsize>(header_len));
    if (!in)
        fail(path, "file is truncated inside the header");
    json header = parse_header(path, text);

    SafetensorsFile file;
    file.path_ = path;
    file.data_start_ = 8 + header_len;
    const std::uint64_t data_size = file_size - file.data_start_;

    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it->is_object())
                fail(path, "'__metadata__' must be an object of strings");
            for (auto m = it->begin(); m != it->end(); ++m) {
                if (!m->is_string())
                    fail(path, "'__metadata__' values must be strings", "__metadata__." + m.key());
                file.metadata_[m.key()] = m->get<std::string>();
            }
            continue;
        }
        SafetensorsEntry entry = parse_entry(path, it.key(), *it);
        if (entry.end > data_size)
            fail(path,
                 "data_offsets [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) +
                     ") lie outside the data section of " + std::to_string(data_size) +
                     " bytes (file truncated?)",
                 entry.name);
        file.entries_.push_back(std::move(entry));
    }

    // Overlap check over regions sorted by offset; empty tensors occupy no bytes.
    std::vector<const SafetensorsEntry*> by_offset;
    for (const auto& e : file.entries_)
        if (e.end > e.begin)
            by_offset.push_back(&e);
    std::sort(by_offset.begin(), by_offset.end(),
              [](const auto* a, const auto* b) { return a->begin < b->begin; });
    for (std::size_t i = 1; i < by_offset.size(); ++i)
        if (by_offset[i]->begin < by_offset[i - 1]->end)
            fail(path, "data region overlaps that of '" + by_offset[i - 1]->name + "'",
                 by_offset[i]->name);

    std::sort(file.entries_.begin(), file.entries_.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return file;
}

const SafetensorsEntry* SafetensorsFile::find(const std::string& name) const {
    auto it = std::lower_bound(
        entries_.begin(), entries_.end(), name,
        [](const SafetensorsEntry& e, const std::string& n) { return e.name < n; });
    if (it == entries_.end() || it->name != name)
        return nullptr;
    return &*it;
}

TensorBlob SafetensorsFile::read(const std::string& name) const {
    const SafetensorsEntry* entry = find(name);
    if (!entry)
        fail(path_, "no tensor named '" + name + "' in the file", name);

    TensorBlob blob;
    blob.name = entry->name;
    blob.dtype = entry->dtype;
    blob.shape = entry->shape;
    blob.bytes.resize(entry->end - entry->begin);
    if (blob.bytes.empty())
        return blob;

    // A fresh stream per call: reads are independent and safe from several threads.
    std::ifstream in(path_, std::ios::binary);
    if (!in)
        fail(path_, std::string("cannot reopen safetensors file: ") + std::strerror(errno));
    in.seekg(static_cast<std::streamoff>(data_start_ + entry->begin));
    in.read(reinterpret_cast<char*>(blob.bytes.data()),
            static_cast<std::streamsize>(blob.bytes.size()));
    if (!in || static_cast<std::size_t>(in.gcount()) != blob.bytes.size())
        fail(path_, "file ended while reading the tensor (truncated since it was opened?)", name);
    return blob;
}

void write_safetensors(const std::string& path, const std::vector<TensorBlob>& tensors,
                       const std::map<std::string, std::string>& metadata) {
    std::vector<const TensorBlob*> sorted;
    for (const auto& t : tensors)
        sorted.push_back(&t);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return a->name < b->name; });

    json header = json::object();
    if (!metadata.empty()) {
        json meta = json::object();
        for (const auto& [k, v] : metadata)
            meta[k] = v;
        header["__metadata__"] = meta;
    }
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const TensorBlob& t = *sorted[i];
        if (t.name.empty() || t.name == "__metadata__")
            fail(path, "invalid tensor name '" + t.name + "'", t.name);
        if (i > 0 && sorted[i - 1]->name == t.name)
            fail(path, "duplicate tensor name", t.name);
        std::uint64_t expected = 0;
        if (!byte_size(t.shape, t.dtype, expected))
            fail(path, "invalid shape " + shape_text(t.shape), t.name);
        if (expected != t.bytes.size())
            fail(path,
                 "tensor holds " + std::to_string(t.bytes.size()) + " bytes but " +
                     dtype_name(t.dtype) + " " + shape_text(t.shape) + " needs " +
                     std::to_string(expected),
                 t.name);
        header[t.name] = {{"dtype", dtype_name(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + expected}}};
        offset += expected;
    }

    std::string text;
    try {
        text = header.dump();
    } catch (const json::exception& e) {
        fail(path, std::string("cannot encode the header (names and metadata must be UTF-8): ") +
                       e.what());
    }
    // Pad with spaces (valid JSON whitespace) so the data section starts 8-byte aligned.
    text.append((8 - text.size() % 8) % 8, ' ');

    unsigned char len_bytes[8];
    const std::uint64_t len = text.size();
    for (int i = 0; i < 8; ++i)
        len_bytes[i] = static_cast<unsigned char>(len >> (8 * i));

    // Streamed piece by piece: the tensors can be hundreds of MiB, too many to copy into one
    // buffer just to write it.
    atomic_write(path, [&](const std::string& tmp_path) {
        const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0) {
            const int err = errno;
            fail(tmp_path, std::string("cannot open for writing: ") + std::strerror(err));
        }
        try {
            write_all(fd, len_bytes, sizeof len_bytes, tmp_path);
            write_all(fd, text.data(), text.size(), tmp_path);
            for (const auto* t : sorted)
                write_all(fd, t->bytes.data(), t->bytes.size(), tmp_path);
        } catch (...) {
            ::close(fd);
            throw;
        }
        // Network file systems may report a failed write only at close.
        if (::close(fd) != 0) {
            const int err = errno;
            fail(tmp_path, std::string("cannot write: ") + std::strerror(err));
        }
    });
}

}  // namespace tb::model
