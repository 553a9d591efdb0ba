// Validates an experiment without training (`tunebench-cli train --dry-run`): reads and splits
// the data, tokenizes it, checks the model folder's weights against the architecture and the
// head, and estimates memory. Writes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/experiment_config.h"
#include "train/memory_estimate.h"
#include "train/prepared_data.h"

namespace tb::train {

struct DryRunReport {
    std::string model_path;  // resolved folder (a hub-cache snapshot once resolved)
    std::string architecture;
    std::int64_t parameters = 0;
    std::int64_t trainable_parameters = 0;
    std::int64_t weights_loaded = 0;  // tensors taken from the folder
    std::vector<std::string> weights_unused;
    std::int64_t train_examples = 0, dev_examples = 0, test_examples = 0;
    std::vector<std::string> labels;
    std::int64_t skipped_rows = 0;
    std::int64_t truncated = 0;  // examples longer than model.max_length
    std::int64_t longest_example_tokens = 0;
    std::int64_t steps_per_epoch = 0;
    std::int64_t total_steps = 0;
    std::string data_hash;
    MemoryEstimate memory;
    std::vector<std::string> warnings;  // things that will work but probably are not wanted
};

// Throws tb::Error exactly where the real run would fail before its first step.
DryRunReport dry_run(const io::ExperimentConfig& config, const LogFn& log);

// The report as indented JSON (for scripts) or as lines (for people).
std::string dry_run_to_json(const DryRunReport& report);
std::string dry_run_to_text(const DryRunReport& report);

}  // namespace tb::train
