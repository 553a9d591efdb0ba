// The shapes of a fastText model's matrices, read by seeking through the file.
#include "model/fasttext_layout.h"

#include <algorithm>
#include <fstream>
#include <limits>

#include "common/error.h"

namespace tb::model::fasttext {

namespace {

constexpr int64_t kCentroids = 256;

// A little-endian stream cursor that knows the file size; failures name the field and offset.
class Stream {
public:
    explicit Stream(const std::string& path) : path_(path), in_(path, std::ios::binary) {
        if (!in_)
            throw Error("cannot open fastText model file", SourceLocation{path, 0, 0, ""});
        in_.seekg(0, std::ios::end);
        size_ = static_cast<int64_t>(in_.tellg());
        in_.seekg(0);
    }
    [[noreturn]] void fail(const std::string& field, const std::string& what) const {
        throw Error("fastText model: " + what + " (field '" + field + "' at byte offset " +
                        std::to_string(pos_) + " of " + std::to_string(size_) +
                        "); the file is corrupt or not a fastText .bin/.ftz model",
                    SourceLocation{path_, 0, 0, field});
    }
    template <typename T>
    T get(const std::string& field) {
        T v{};
        if (size_ - pos_ < static_cast<int64_t>(sizeof(T)))
            fail(field, "file is truncated");
        in_.read(reinterpret_cast<char*>(&v), sizeof(T));
        pos_ += static_cast<int64_t>(sizeof(T));
        return v;
    }
    // Skips `count` elements of `bytes` each, after checking that they fit.
    void skip(int64_t count, int64_t bytes, const std::string& field) {
        if (count < 0 || (count > 0 && count > (size_ - pos_) / bytes))
            fail(field, std::to_string(count) + " elements do not fit in the rest of the file");
        pos_ += count * bytes;
        in_.seekg(pos_);
    }
    void skip_word(const std::string& field) {
        in_.ignore(std::numeric_limits<std::streamsize>::max(), '\0');
        if (!in_)
            fail(field, "file is truncated inside a dictionary word");
        pos_ = static_cast<int64_t>(in_.tellg());
    }
    int64_t remaining() const { return size_ - pos_; }

private:
    std::string path_;
    std::ifstream in_;
    int64_t size_ = 0;
    int64_t pos_ = 0;
};

// Skips a product quantizer; returns its dim.
int32_t skip_pq(Stream& s, const std::string& field) {
    const auto dim = s.get<int32_t>(field + ".dim");
    s.skip(3, 4, field + ".nsubq");
    s.skip(static_cast<int64_t>(dim) * kCentroids, 4, field + ".centroids");
    return dim;
}

MatrixShape read_shape(Stream& s, bool quantized, const std::string& field) {
    MatrixShape m;
    m.quantized = quantized;
    if (!quantized) {
        m.rows = s.get<int64_t>(field + ".m");
        m.cols = s.get<int64_t>(field + ".n");
        if (m.rows < 0 || m.cols <= 0 || m.cols > 100000)
            s.fail(field + ".m", "invalid matrix shape");
        s.skip(m.rows, 4 * m.cols, field + ".data");
        return m;
    }
    const bool qnorm = s.get<uint8_t>(field + ".qnorm") != 0;
    m.rows = s.get<int64_t>(field + ".m");
    m.cols = s.get<int64_t>(field + ".n");
    const auto codesize = s.get<int32_t>(field + ".codesize");
    if (m.rows < 0 || m.cols <= 0 || m.cols > 100000)
        s.fail(field + ".m", "invalid matrix shape");
    s.skip(codesize, 1, field + ".codes");
    if (skip_pq(s, field + ".pq") != m.cols)
        s.fail(field + ".pq.dim", "quantizer dim does not equal the matrix width");
    if (qnorm) {
        s.skip(m.rows, 1, field + ".norm_codes");
        skip_pq(s, field + ".npq");
    }
    return m;
}

}  // namespace

Layout read_layout(const std::string& path) {
    Layout layout;
    layout.header = read_header(path);  // magic, version, args, dictionary sizes checked
    Stream s(path);
    s.skip(84, 1, "header");
    layout.prune_index_size = s.get<int64_t>("dictionary.pruneidx_size");
    const int64_t entries = static_cast<int64_t>(layout.header.nwords) + layout.header.nlabels;
    if (entries > s.remaining() / 10)  // a word's terminator, count and type: 10 bytes at least
        s.fail("dictionary.size",
               std::to_string(entries) + " entries do not fit in the rest of the file");
    for (int64_t i = 0; i < entries; ++i) {
        s.skip_word("dictionary.entry.word");
        s.skip(1, 9, "dictionary.entry.count");
    }
    if (layout.prune_index_size < -1)
        s.fail("dictionary.pruneidx_size", "negative prune index size");
    s.skip(std::max<int64_t>(layout.prune_index_size, 0), 8, "dictionary.pruneidx");
    const bool quant_input = s.get<uint8_t>("quant_input") != 0;
    layout.input = read_shape(s, quant_input, "input");
    const bool quant_output = s.get<uint8_t>("qout") != 0;
    layout.output = read_shape(s, quant_output, "output");
    const int32_t dim = layout.header.args.dim;
    if (layout.input.cols != dim || layout.output.cols != dim)
        s.fail("input.n", "matrix width does not equal args.dim " + std::to_string(dim));
    if (layout.input.rows < layout.header.nwords)
        s.fail("input.m", "input matrix has fewer rows than the dictionary has words");
    if (s.remaining() != 0)
        s.fail("end", std::to_string(s.remaining()) + " unexpected trailing bytes");
    return layout;
}

}  // namespace tb::model::fasttext
