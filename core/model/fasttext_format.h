// In-memory form of a fastText .bin/.ftz model and the reader of fastText's binary format.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tb::model::fasttext {

// fastText's enums as stored in the args block.
enum class Loss : int32_t { hs = 1, ns = 2, softmax = 3, ova = 4 };
enum class ModelKind : int32_t { cbow = 1, skipgram = 2, supervised = 3 };

struct Args {
    int32_t dim = 0, ws = 0, epoch = 0, min_count = 0, neg = 0, word_ngrams = 1;
    Loss loss = Loss::softmax;
    ModelKind model = ModelKind::supervised;
    int32_t bucket = 0, minn = 0, maxn = 0, lr_update_rate = 0;
    double t = 0;
};

struct Entry {
    std::string word;
    int64_t count = 0;
    bool is_label = false;
};

struct Dictionary {
    int32_t nwords = 0;
    int32_t nlabels = 0;
    int64_t ntokens = 0;
    // -1: not pruned (all buckets kept); 0: no n-gram rows at all; >0: size of prune_index.
    int64_t prune_index_size = -1;
    std::vector<Entry> entries;                        // words first (ids 0..nwords-1), then labels
    std::unordered_map<int32_t, int32_t> prune_index;  // hash bucket -> kept row (minus nwords)
    std::unordered_map<std::string, int32_t> ids;      // word or label -> entry id
};

// fastText's product quantizer: dim split into nsubq sub-vectors (the last one lastdsub long),
// each coded by one byte choosing one of 256 centroids.
struct ProductQuantizer {
    int32_t dim = 0, nsubq = 0, dsub = 0, lastdsub = 0;
    std::vector<float> centroids;  // dim * 256
    const float* centroid(int32_t m, uint8_t code) const;
};

// A dense (rows x cols) matrix, or a product-quantized one (codes + quantizer, optional
// quantized row norms). row() dequantizes exactly as fastText's addRowToVector does.
struct Matrix {
    int64_t rows = 0, cols = 0;
    bool quantized = false;
    std::vector<float> dense;  // rows * cols when !quantized
    bool qnorm = false;
    std::vector<uint8_t> codes;       // rows * nsubq
    std::vector<uint8_t> norm_codes;  // rows, when qnorm
    ProductQuantizer pq, npq;
    void add_row_to(int64_t row, float* out) const;  // out[0..cols) += row
    float dot_row(const float* vec, int64_t row) const;
};

struct Model {
    std::string path;
    int32_t version = 0;
    Args args;
    Dictionary dict;
    Matrix input;
    Matrix output;
    std::string label(int32_t label_index) const {
        return dict.entries[dict.nwords + label_index].word;
    }
};

constexpr int32_t kMagic = 793712314;
constexpr int32_t kVersion = 12;

// The facts at the start of a model file (args and dictionary sizes), read without loading
// the dictionary or matrices; for listing large .bin files cheaply. Errors as read_model.
struct Header {
    int32_t version = 0;
    Args args;
    int32_t nwords = 0, nlabels = 0;
    int64_t ntokens = 0;
};
Header read_header(const std::string& path);

// Reads a .bin or .ftz file. Any malformed content (wrong magic or version, truncation, sizes
// that do not fit the file or each other) throws tb::Error naming the file, field and offset.
Model read_model(const std::string& path);
// Same, from bytes already in memory; `name` is used in error messages.
Model parse_model(const std::string& bytes, const std::string& name);

}  // namespace tb::model::fasttext
