// The pretraining corpus: texts read from files, tokenized and packed into fixed-length blocks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/bert_tokenizer.h"

namespace tb::pretrain {

// Plain text files (.txt or any other extension): one document per non-blank line. CSV, TSV
// and JSONL files (by extension): the `text_column` of every row. Throws tb::Error naming the
// file when it cannot be read or lacks the column.
std::vector<std::string> read_corpus_texts(const std::vector<std::string>& files,
                                           const std::string& text_column);

// Tokenizes every text into word pieces (no special tokens), concatenates them in order and
// cuts the stream into blocks of max_length - 2 pieces, each wrapped as [CLS] ... [SEP] (as
// Hugging Face's run_mlm groups texts). The last block may be shorter. Throws tb::Error when
// max_length < 8.
std::vector<std::vector<std::int64_t>> pack_blocks(const std::vector<std::string>& texts,
                                                   const text::BertTokenizer& tokenizer,
                                                   std::size_t max_length);

}  // namespace tb::pretrain
