// prepare_data for a text-classification file too large to load whole: one streaming pass
// indexes the rows and finds labels, problems, the data hash and token counts; the splits keep
// row numbers, and batches read and tokenize their rows when collated (text_row_source.h states
// the memory bound). Torch-free.
#pragma once

#include <cstdint>
#include <string>

#include "io/experiment_config.h"
#include "text/tokenizer.h"
#include "train/prepared_data.h"

namespace tb::train {

// Size in bytes of the experiment's training file, or -1 when it cannot be read (the in-memory
// path then reports why).
std::int64_t training_file_bytes(const io::ExperimentConfig& config);

// True when the training file is larger than dataset.stream_threshold_mb MiB (or the threshold
// is 0 and the file exists). Says nothing about the task: see can_stream_task.
bool over_stream_threshold(const io::ExperimentConfig& config);

// Tasks the streaming path covers: single-label text classification, sentence pairs included
// (multi_label, regression and token_classification read their files into memory).
bool can_stream_task(const io::ExperimentConfig& config);

// The same result as prepare_data's in-memory path for the same config and tokenizer (same
// labels, split indices, problems, data hash, truncation count, and the same batches from
// collate), with EncodedSplit::text_rows set instead of input_ids. User dev/test files are
// streamed too. `tokenizer` must outlive the result. Logs "streaming the training file: ...".
PreparedData prepare_streamed_text_data(const io::ExperimentConfig& config,
                                        const text::Tokenizer& tokenizer, const LogFn& log,
                                        std::size_t chunk_rows = 8192);

}  // namespace tb::train
