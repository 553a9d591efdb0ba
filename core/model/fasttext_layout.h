// The shapes of a fastText .bin/.ftz model's matrices, measured without loading them.
#pragma once

#include <cstdint>
#include <string>

#include "model/fasttext_format.h"

namespace tb::model::fasttext {

struct MatrixShape {
    int64_t rows = 0, cols = 0;
    bool quantized = false;  // product-quantized (codes + centroids) in the file
};

struct Layout {
    Header header;
    int64_t prune_index_size = -1;  // as Dictionary::prune_index_size
    MatrixShape input;   // nwords + bucket rows, or the words + kept n-gram rows of a pruned .ftz
    MatrixShape output;  // supervised: one row per label; word vectors: one per word
    // Every weight of the model as tunebench uses it: rows x dim of both matrices, quantized
    // ones counted as the dense float matrices they decode to (the input table is decoded so
    // when loaded as a backbone).
    int64_t parameter_count() const { return input.rows * input.cols + output.rows * output.cols; }
};

// Walks the file from its header past the dictionary words and the matrix data (seeking, so
// a multi-gigabyte .bin costs a pass over its dictionary only) and reads each matrix's shape.
// Throws tb::Error naming the file, field and byte offset when the file is not a fastText
// model or its sizes do not fit the file or each other (as read_model would).
Layout read_layout(const std::string& path);

}  // namespace tb::model::fasttext
