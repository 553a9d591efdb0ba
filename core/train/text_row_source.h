// Text-classification examples read by row offset from a file too large to load: a batch's rows
// are read and tokenized when it is collated. Torch-free.
//
// Memory bound (stated contract) of a streamed text run, for R data rows in the training file
// and E examples (E <= R):
//   the file's RowIndex                       16 B/row (offset + line; up to 32 B/row while its
//                                             vectors hold spare capacity after indexing)
//   per example in EncodedSplit               10 B (row 4 B, label 4 B, token count 2 B)
//   the split's indices (split.json)           8 B/example
//   the trainer's length buckets and plan     16 B/training example
// i.e. about 50 B per example, independent of how long the texts are; while preparing, one
// chunk of `chunk_rows` rows (their bytes, parsed cells and encodings) on top. Each collated
// batch holds only its rows' bytes, parsed cells and encodings (batch x max_length ids), plus
// the padded tensors the in-memory path builds too. Dev and test files given by the user are
// indexed the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/row_index.h"
#include "text/encoding.h"
#include "text/tokenizer.h"

namespace tb::train {

struct TextRowSource {
    data::RowIndex index;
    std::string text_column;
    std::string text_pair_column;  // "" unless sentence pairs
    // Not owned: must outlive every split sharing this source (the Trainer's tokenizer).
    const text::Tokenizer* tokenizer = nullptr;
    std::size_t max_length = 128;

    // The encodings of data rows `rows` (indices into `index`), in the order given: exactly what
    // prepare_data's in-memory path stores for them ([CLS] text [SEP], pairs longest-first
    // truncated). Rows are read in ascending offset order, consecutive rows in one read, each
    // read on its own file handle, so several threads may call this at once (the tokenizer's
    // const members are thread-safe). Throws tb::Error (with the file line) for a row that no
    // longer parses, e.g. when the file changed since it was indexed.
    std::vector<text::Encoding> encode_rows(const std::vector<std::uint32_t>& rows) const;

    // Texts (and pair texts, when text_pair_column is set) of `rows`, in the order given.
    void read_texts(const std::vector<std::uint32_t>& rows, std::vector<std::string>& texts,
                    std::vector<std::string>& pairs) const;
};

}  // namespace tb::train
