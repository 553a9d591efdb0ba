// Reader of fastText's binary model format (args, dictionary, dense/quantized matrices).
#include "model/fasttext_format.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace tb::model::fasttext {

namespace {

constexpr int32_t kCentroids = 256;

// Bounds-checked little-endian cursor over the file's bytes; every failure names the field
// and the byte offset where it was expected.
class Reader {
public:
    Reader(const std::string& bytes, const std::string& name) : bytes_(bytes), name_(name) {}

    [[noreturn]] void fail(const std::string& field, const std::string& what) const {
        throw Error("fastText model: " + what + " (field '" + field + "' at byte offset " +
                        std::to_string(pos_) + " of " + std::to_string(bytes_.size()) +
                        "); the file is corrupt or not a fastText .bin/.ftz model",
                    SourceLocation{name_, 0, 0, field});
    }
    void need(size_t n, const std::string& field) {
        if (n > bytes_.size() - pos_)
            fail(field, "file is truncated: needs " + std::to_string(n) + " more bytes");
    }
    template <typename T>
    T get(const std::string& field) {
        need(sizeof(T), field);
        T v;
        std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }
    std::string cstring(const std::string& field) {
        const size_t end = bytes_.find('\0', pos_);
        if (end == std::string::npos)
            fail(field, "file is truncated inside a dictionary word");
        std::string s = bytes_.substr(pos_, end - pos_);
        pos_ = end + 1;
        return s;
    }
    template <typename T>
    void array(std::vector<T>& out, int64_t count, const std::string& field) {
        if (count < 0)
            fail(field, "negative size " + std::to_string(count));
        if (static_cast<uint64_t>(count) > (bytes_.size() - pos_) / sizeof(T))
            fail(field, std::to_string(count) + " elements do not fit in the rest of the file");
        out.resize(static_cast<size_t>(count));
        std::memcpy(out.data(), bytes_.data() + pos_, static_cast<size_t>(count) * sizeof(T));
        pos_ += static_cast<size_t>(count) * sizeof(T);
    }
    size_t pos() const { return pos_; }
    size_t remaining() const { return bytes_.size() - pos_; }

private:
    const std::string& bytes_;
    std::string name_;
    size_t pos_ = 0;
};

Args read_args(Reader& r) {
    Args a;
    a.dim = r.get<int32_t>("args.dim");
    a.ws = r.get<int32_t>("args.ws");
    a.epoch = r.get<int32_t>("args.epoch");
    a.min_count = r.get<int32_t>("args.minCount");
    a.neg = r.get<int32_t>("args.neg");
    a.word_ngrams = r.get<int32_t>("args.wordNgrams");
    const int32_t loss = r.get<int32_t>("args.loss");
    if (loss < 1 || loss > 4)
        r.fail("args.loss", "unknown loss " + std::to_string(loss));
    a.loss = static_cast<Loss>(loss);
    const int32_t model = r.get<int32_t>("args.model");
    if (model < 1 || model > 3)
        r.fail("args.model", "unknown model kind " + std::to_string(model));
    a.model = static_cast<ModelKind>(model);
    a.bucket = r.get<int32_t>("args.bucket");
    a.minn = r.get<int32_t>("args.minn");
    a.maxn = r.get<int32_t>("args.maxn");
    a.lr_update_rate = r.get<int32_t>("args.lrUpdateRate");
    a.t = r.get<double>("args.t");
    if (a.dim <= 0 || a.dim > 100000)
        r.fail("args.dim", "implausible dim " + std::to_string(a.dim));
    if (a.bucket < 0)
        r.fail("args.bucket", "negative bucket count");
    if (a.minn < 0 || a.maxn < 0 || a.word_ngrams < 1)
        r.fail("args.minn", "invalid n-gram settings");
    return a;
}

Dictionary read_dictionary(Reader& r) {
    Dictionary d;
    const int32_t size = r.get<int32_t>("dictionary.size");
    d.nwords = r.get<int32_t>("dictionary.nwords");
    d.nlabels = r.get<int32_t>("dictionary.nlabels");
    d.ntokens = r.get<int64_t>("dictionary.ntokens");
    d.prune_index_size = r.get<int64_t>("dictionary.pruneidx_size");
    if (size < 0 || d.nwords < 0 || d.nlabels < 0 || size != d.nwords + d.nlabels)
        r.fail("dictionary.size", "size " + std::to_string(size) + " != nwords " +
                                      std::to_string(d.nwords) + " + nlabels " +
                                      std::to_string(d.nlabels));
    // Each entry needs at least 10 bytes (terminator, count, type).
    if (static_cast<uint64_t>(size) > r.remaining() / 10)
        r.fail("dictionary.size",
               std::to_string(size) + " entries do not fit in the rest of the file");
    d.entries.resize(static_cast<size_t>(size));
    for (int32_t i = 0; i < size; ++i) {
        Entry& e = d.entries[i];
        e.word = r.cstring("dictionary.entry[" + std::to_string(i) + "].word");
        e.count = r.get<int64_t>("dictionary.entry[" + std::to_string(i) + "].count");
        const int8_t type = r.get<int8_t>("dictionary.entry[" + std::to_string(i) + "].type");
        if (type != 0 && type != 1)
            r.fail("dictionary.entry.type", "unknown entry type " + std::to_string(type));
        e.is_label = type == 1;
        if (e.is_label != (i >= d.nwords))
            r.fail("dictionary.entry.type",
                   "entry " + std::to_string(i) + " is not in words-then-labels order");
        d.ids.emplace(e.word, i);
    }
    if (d.prune_index_size < -1 ||
        (d.prune_index_size > 0 && static_cast<uint64_t>(d.prune_index_size) > r.remaining() / 8))
        r.fail("dictionary.pruneidx_size",
               "prune index size " + std::to_string(d.prune_index_size) + " does not fit the file");
    for (int64_t i = 0; i < d.prune_index_size; ++i) {
        const int32_t first = r.get<int32_t>("dictionary.pruneidx");
        const int32_t second = r.get<int32_t>("dictionary.pruneidx");
        d.prune_index[first] = second;
    }
    return d;
}

void read_pq(Reader& r, ProductQuantizer& pq, const std::string& field) {
    pq.dim = r.get<int32_t>(field + ".dim");
    pq.nsubq = r.get<int32_t>(field + ".nsubq");
    pq.dsub = r.get<int32_t>(field + ".dsub");
    pq.lastdsub = r.get<int32_t>(field + ".lastdsub");
    if (pq.dim <= 0 || pq.nsubq <= 0 || pq.dsub <= 0 || pq.lastdsub <= 0 ||
        static_cast<int64_t>(pq.nsubq - 1) * pq.dsub + pq.lastdsub != pq.dim)
        r.fail(field + ".dim", "inconsistent quantizer shape (dim " + std::to_string(pq.dim) +
                                   ", nsubq " + std::to_string(pq.nsubq) + ", dsub " +
                                   std::to_string(pq.dsub) + ", lastdsub " +
                                   std::to_string(pq.lastdsub) + ")");
    r.array(pq.centroids, static_cast<int64_t>(pq.dim) * kCentroids, field + ".centroids");
}

Matrix read_matrix(Reader& r, bool quantized, const std::string& field) {
    Matrix m;
    m.quantized = quantized;
    if (!quantized) {
        m.rows = r.get<int64_t>(field + ".m");
        m.cols = r.get<int64_t>(field + ".n");
        if (m.rows < 0 || m.cols < 0 ||
            (m.cols > 0 && static_cast<uint64_t>(m.rows) > r.remaining() / 4 / m.cols))
            r.fail(field + ".m", std::to_string(m.rows) + " x " + std::to_string(m.cols) +
                                     " floats do not fit in the rest of the file");
        r.array(m.dense, m.rows * m.cols, field + ".data");
        return m;
    }
    m.qnorm = r.get<uint8_t>(field + ".qnorm") != 0;
    m.rows = r.get<int64_t>(field + ".m");
    m.cols = r.get<int64_t>(field + ".n");
    const int32_t codesize = r.get<int32_t>(field + ".codesize");
    r.array(m.codes, codesize, field + ".codes");
    read_pq(r, m.pq, field + ".pq");
    if (m.pq.dim != m.cols || static_cast<int64_t>(m.rows) * m.pq.nsubq != codesize)
        r.fail(field + ".codesize", "codes (" + std::to_string(codesize) +
                                        ") and quantizer do not match a " + std::to_string(m.rows) +
                                        " x " + std::to_string(m.cols) + " matrix");
    if (m.qnorm) {
        r.array(m.norm_codes, m.rows, field + ".norm_codes");
        read_pq(r, m.npq, field + ".npq");
        if (m.npq.dim != 1)
            r.fail(field + ".npq.dim", "norm quantizer must be 1-dimensional");
    }
    return m;
}

}  // namespace

const float* ProductQuantizer::centroid(int32_t m, uint8_t code) const {
    if (m == nsubq - 1)
        return &centroids[static_cast<size_t>(m) * kCentroids * dsub + code * lastdsub];
    return &centroids[(static_cast<size_t>(m) * kCentroids + code) * dsub];
}

void Matrix::add_row_to(int64_t row, float* out) const {
    if (!quantized) {
        const float* src = &dense[static_cast<size_t>(row * cols)];
        for (int64_t j = 0; j < cols; ++j)
            out[j] += src[j];
        return;
    }
    const float norm = qnorm ? npq.centroid(0, norm_codes[row])[0] : 1.0f;
    const uint8_t* code = &codes[static_cast<size_t>(row) * pq.nsubq];
    for (int32_t m = 0; m < pq.nsubq; ++m) {
        const float* c = pq.centroid(m, code[m]);
        const int32_t d = m == pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
        for (int32_t j = 0; j < d; ++j)
            out[m * pq.dsub + j] += norm * c[j];
    }
}

float Matrix::dot_row(const float* vec, int64_t row) const {
    if (!quantized) {
        const float* src = &dense[static_cast<size_t>(row * cols)];
        float s = 0;
        for (int64_t j = 0; j < cols; ++j)
            s += vec[j] * src[j];
        return s;
    }
    const float norm = qnorm ? npq.centroid(0, norm_codes[row])[0] : 1.0f;
    const uint8_t* code = &codes[static_cast<size_t>(row) * pq.nsubq];
    float s = 0;
    for (int32_t m = 0; m < pq.nsubq; ++m) {
        const float* c = pq.centroid(m, code[m]);
        const int32_t d = m == pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
        for (int32_t j = 0; j < d; ++j)
            s += vec[m * pq.dsub + j] * c[j];
    }
    return s * norm;
}

Model parse_model(const std::string& bytes, const std::string& name) {
    Reader r(bytes, name);
    Model model;
    model.path = name;
    const int32_t magic = r.get<int32_t>("magic");
    if (magic != kMagic)
        throw Error("not a fastText model: magic number " + std::to_string(magic) +
                        " at byte offset 0, expected " + std::to_string(kMagic),
                    SourceLocation{name, 0, 0, "magic"});
    model.version = r.get<int32_t>("version");
    if (model.version != kVersion)
        r.fail("version", "unsupported format version " + std::to_string(model.version) +
                              " (only " + std::to_string(kVersion) +
                              " is supported; re-save the model with fastText >= 0.9)");
    model.args = read_args(r);
    model.dict = read_dictionary(r);
    const bool quant_input = r.get<uint8_t>("quant_input") != 0;
    if (!quant_input && model.dict.prune_index_size >= 0)
        r.fail("quant_input", "a pruned dictionary requires a quantized input matrix");
    model.input = read_matrix(r, quant_input, "input");
    const bool quant_output = r.get<uint8_t>("qout") != 0;
    model.output = read_matrix(r, quant_output, "output");
    if (model.input.cols != model.args.dim || model.output.cols != model.args.dim)
        r.fail("input.n", "matrix width does not equal args.dim " + std::to_string(model.args.dim));
    if (model.input.rows < model.dict.nwords)
        r.fail("input.m", "input matrix has fewer rows than the dictionary has words");
    const int64_t expected_out =
        model.args.model == ModelKind::supervised ? model.dict.nlabels : model.dict.nwords;
    if (model.output.rows != expected_out)
        r.fail("output.m", "output matrix has " + std::to_string(model.output.rows) +
                               " rows, expected " + std::to_string(expected_out));
    if (r.remaining() != 0)
        r.fail("end", std::to_string(r.remaining()) + " unexpected trailing bytes");
    return model;
}

Header read_header(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open fastText model file", SourceLocation{path, 0, 0, ""});
    std::string bytes(84, '\0');  // magic, version, args (56 bytes), dictionary sizes (20 bytes)
    in.read(&bytes[0], static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<size_t>(in.gcount()));
    Reader r(bytes, path);
    Header h;
    if (r.get<int32_t>("magic") != kMagic)
        throw Error("not a fastText model: wrong magic number at byte offset 0",
                    SourceLocation{path, 0, 0, "magic"});
    h.version = r.get<int32_t>("version");
    if (h.version != kVersion)
        r.fail("version", "unsupported format version " + std::to_string(h.version));
    h.args = read_args(r);
    const int32_t size = r.get<int32_t>("dictionary.size");
    h.nwords = r.get<int32_t>("dictionary.nwords");
    h.nlabels = r.get<int32_t>("dictionary.nlabels");
    h.ntokens = r.get<int64_t>("dictionary.ntokens");
    if (size != h.nwords + h.nlabels || h.nwords < 0 || h.nlabels < 0)
        r.fail("dictionary.size", "size does not equal nwords + nlabels");
    return h;
}

Model read_model(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open fastText model file", SourceLocation{path, 0, 0, ""});
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_model(ss.str(), path);
}

}  // namespace tb::model::fasttext
