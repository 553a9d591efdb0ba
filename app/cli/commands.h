// The CLI's subcommands: each takes parsed options, writes to stdout/stderr, returns an exit code.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/experiment_config.h"

namespace tb::train {
class RunControl;
struct RunResult;
}  // namespace tb::train

namespace tb::cli {

class ConsoleProgress;

// Shared by train and resume (train_command.cpp).
train::RunResult run_with_signals(train::RunControl& control, ConsoleProgress& progress,
                                  const std::function<train::RunResult()>& run);
int exit_code_for(const train::RunResult& result);
void print_run_summary(const train::RunResult& result);

struct TrainOptions {
    std::string experiment;
    std::vector<std::string> overrides;  // "key=value" from --set
    bool quiet = false;
    bool dry_run = false;
    bool json = false;  // --dry-run / --find-batch-size output as JSON
    bool find_batch_size = false;
    std::int64_t max_batch_size = 1024;
};
int run_train(const TrainOptions& options);
// The largest batch that fits (train --find-batch-size); exit 0, 1 (none fits) or 2.
int run_find_batch_size(const io::ExperimentConfig& config, std::int64_t limit, bool json);

struct ResumeOptions {
    std::string run_dir;     // a run folder or a checkpoint file
    std::string checkpoint;  // "" newest; digits: the checkpoint at that global step; a file
    std::vector<std::string> overrides;
    bool quiet = false;
};
int run_resume(const ResumeOptions& options);

struct EvalOptions {
    std::string checkpoint, data, text_column, label_column, device = "cpu";
    bool text = false;
};
int run_eval(const EvalOptions& options);

struct PredictOptions {
    std::string checkpoint, device = "cpu";
};
int run_predict(const PredictOptions& options);

struct InspectOptions {
    std::string path, format = "auto", text_column, label_column;
    // Other tasks (docs/cli.md): "auto" detects the task from the path and the options below.
    std::string task = "auto", text_pair_column, label_separator, split_column, labels_path;
    std::vector<std::string> label_columns;
    int tag_column = 0;
    bool deidentify = false;
    double stream_above_mb = 256;  // larger text tables are read in one bounded-memory pass
};
int run_inspect(const InspectOptions& options);

struct TokenizeOptions {
    std::string model_dir, vocab_path;
    int lowercase = -1;  // -1: from the model folder (or true with --vocab)
    bool tokens = false;
    int max_length = 0;  // 0: no [CLS]/[SEP], no truncation (plain word pieces)
};
int run_tokenize(const TokenizeOptions& options);

int run_score(const std::string& true_path, const std::string& pred_path, bool text);

struct InitModelOptions {
    std::string out_dir, corpus_path, text_column = "text";
    int hidden = 128, layers = 2, heads = 4, intermediate = 512, max_positions = 256;
    int vocab_size = 8000;
    unsigned long long seed = 1;
    bool lowercase = true;
};
int run_init_model(const InitModelOptions& options);

}  // namespace tb::cli
