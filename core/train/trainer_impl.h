// The Trainer's internals, shared by trainer.cpp (setup, resume, outcome) and
// training_loop.cpp (epochs, steps, evaluation, checkpoints). Not for use outside core/train.
#pragma once

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "io/checkpoint.h"
#include "model/fgm.h"
#include "model/model_folder.h"
#include "model/task_model.h"
#include "text/tokenizer.h"
#include "train/batching.h"
#include "train/checkpoint_policy.h"
#include "train/distributed_context.h"
#include "train/evaluator.h"
#include "train/loss_function.h"
#include "train/lr_schedule.h"
#include "train/metric_tracker.h"
#include "train/metrics_log.h"
#include "train/mixed_precision.h"
#include "train/optimizer_setup.h"
#include "train/prepared_data.h"
#include "train/rank_observer.h"
#include "train/run_directory.h"
#include "train/run_model.h"
#include "train/trainer.h"

namespace tb::train {

class BatchPrefetcher;

// Cancellation is not an error: it unwinds the loop to the cancel checkpoint.
struct Cancelled {};

struct Trainer::Impl {
    using Clock = std::chrono::steady_clock;

    io::ExperimentConfig config;
    RankObserver observer;  // quiet on the non-primary ranks of a distributed run
    RunControl& control;
    TrainerOptions options;

    torch::Device device{torch::kCPU};
    DistributedContext dist;  // single process unless the launch variables say otherwise
    std::unique_ptr<RunDirectory> run_dir;  // null on non-primary processes
    std::unique_ptr<MetricsLog> metrics_log;
    std::ofstream console;
    std::unique_ptr<text::Tokenizer> tokenizer;
    std::vector<std::string> vocabulary;  // the tokenizer's tokens in id order (checkpoints)
    PreparedData data;
    std::vector<std::size_t> train_lengths;  // token count per training example
    // The text task model or an image classifier (dataset.task image_classification).
    std::shared_ptr<RunModel> model;
    bool image_task = false;
    std::vector<NamedParameter> parameters;
    std::vector<torch::Tensor> trainable;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::vector<double> lr_multipliers;  // per optimizer group (discriminative learning rates)
    std::unique_ptr<LrSchedule> schedule;
    std::unique_ptr<LossFunction> loss_fn;
    std::unique_ptr<LossScaler> scaler;
    std::unique_ptr<CheckpointPolicy> policy;
    std::unique_ptr<MetricTracker> best;   // output.best_metric
    std::unique_ptr<MetricTracker> early;  // training.early_stopping_metric
    std::unique_ptr<model::Fgm> fgm;       // training.adversarial: fgm (null: off)
    std::int64_t adversarial_steps = 0;    // micro-batches that took an FGM pass

    io::TrainerState state;
    std::int64_t micro_batches_per_epoch = 0;
    std::int64_t steps_per_epoch = 0;  // optimizer steps
    std::int64_t total_steps = 0;
    int epochs_to_run = 0;
    std::map<std::string, std::vector<double>> history;
    std::string last_checkpoint;
    std::int64_t last_checkpoint_step = -1;
    std::int64_t best_pending_step = -1;  // a dev evaluation at this step set a new best
    std::int64_t last_dev_eval_step = -1;
    bool test_evaluated = false;
    bool stop_early = false;
    Clock::time_point train_start;
    std::int64_t first_step_of_run = 0;  // the step a resumed run started at (for the ETA)

    // Resume: the checkpoint being continued (tensors are dropped once restored).
    std::optional<io::Checkpoint> resume_checkpoint;
    std::string parent_run_dir;

    Impl(io::ExperimentConfig c, TrainingObserver& o, RunControl& r, TrainerOptions opts)
        : config(std::move(c)), observer(o), control(r), options(std::move(opts)) {}

    void log(const std::string& line);
    // The tokenizer's padding id (0 for image runs, which have no tokenizer).
    std::int64_t pad_id() const { return tokenizer ? tokenizer->pad_id() : 0; }
    void set_state(RunState s);

    // trainer.cpp
    void setup();
    void join_distributed();
    void check_same_data_on_all_ranks();
    void broadcast_weights();
    void create_run_directory(const model::ModelFolderInfo& folder);
    void load_data();
    void write_split_file();
    void build_model(const model::ModelFolderInfo& folder);
    void build_training_parts();
    // trainer_heads.cpp
    std::string effective_metric(const std::string& name) const;
    void check_metrics();
    void configure_head();
    void configure_adversarial();
    void check_resume_data();
    void restore_from_checkpoint();
    void announce_start();
    RunResult run();

    // training_loop.cpp
    void train();
    bool boundary();
    bool train_step(BatchPrefetcher& batches, std::size_t micro_batches, std::int64_t examples,
                    int epoch);
    void after_step(int epoch, bool epoch_end);
    void end_of_epoch(int epoch);
    void finish_training();
    torch::Tensor step_loss(const torch::Tensor& logits, const Batch& batch) const;
    EvalReport evaluate_split(const std::string& name, const EncodedSplit& split, int epoch);
    void tune_thresholds_on(EvalOutput& out, const EncodedSplit& split);
    void dev_evaluation(int epoch);
    std::string save(const std::string& stem, const std::string& reason,
                     const std::string& run_state);
    bool done() const { return stop_early || state.global_step >= total_steps; }
};

}  // namespace tb::train
