// Turns the experiment's data section into tokenized train/dev/test splits, reporting every
// skipped row. Torch-free: token ids stay plain vectors until a batch is collated.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/split.h"
#include "data/text_dataset.h"
#include "io/experiment_config.h"
#include "text/bert_tokenizer.h"

namespace tb::train {

struct EncodedSplit {
    std::vector<std::vector<std::int64_t>> input_ids;  // [CLS] ... [SEP], unpadded
    std::vector<int> labels;
    std::vector<long> lines;  // source line per example
    std::size_t size() const { return labels.size(); }
};

struct PreparedData {
    data::LabelMap labels;
    EncodedSplit train, dev, test;
    std::vector<data::DataProblem> problems;  // skipped rows across all files
    data::SplitIndices split;                 // indices into the main file's valid examples
    std::string data_hash;                    // FNV-1a of texts + labels, hex; identifies the data
    std::int64_t truncated = 0;               // examples longer than max_length
};

using LogFn = std::function<void(const std::string&)>;

// Throws tb::Error for unreadable data, unknown columns, problems when skipping is off, or a
// split that leaves the training set empty.
PreparedData prepare_data(const io::ExperimentConfig& config, const text::BertTokenizer& tokenizer,
                          const LogFn& log);

}  // namespace tb::train
