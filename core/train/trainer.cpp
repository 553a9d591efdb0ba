#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/utc_timestamp.h"
#include "model/model_folder.h"
#include "model/weight_loading.h"
#include "train/batching.h"
#include "train/checkpoint_writer.h"
#include "train/evaluator.h"
#include "train/lr_schedule.h"
#include "train/metrics_log.h"
#include "train/optimizer_setup.h"
#include "train/prepared_data.h"
#include "train/run_directory.h"

namespace tb::train {
namespace {

using Clock = std::chrono::steady_clock;

torch::Device resolve_device(const std::string& name) {
    if (name == "cpu")
        return torch::kCPU;
    if (name == "auto")
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::kCPU;
    if (!torch::cuda::is_available())
        throw Error(
            "device '" + name + "' was requested but no CUDA GPU is available to this build",
            SourceLocation{{}, 0, 0, "training.device"});
    return torch::Device(name == "cuda" ? "cuda:0" : name);
}

// Cancellation is not an error: it unwinds the loop to the cancel checkpoint.
struct Cancelled {};

}  // namespace

struct Trainer::Impl {
    io::ExperimentConfig config;
    TrainingObserver& observer;
    RunControl& control;

    torch::Device device{torch::kCPU};
    std::unique_ptr<RunDirectory> run_dir;
    std::unique_ptr<MetricsLog> metrics_log;
    std::ofstream console;
    std::unique_ptr<text::BertTokenizer> tokenizer;
    PreparedData data;
    model::BertForSequenceClassification model{nullptr};
    std::vector<NamedParameter> parameters;
    std::unique_ptr<torch::optim::AdamW> optimizer;
    std::unique_ptr<LinearWarmupDecay> schedule;

    io::TrainerState state;
    std::int64_t steps_per_epoch = 0;
    std::int64_t total_steps = 0;
    std::map<std::string, std::vector<double>> history;
    std::string last_checkpoint;
    std::string best_checkpoint;  // never pruned: the epoch with the best dev macro-F1
    std::int64_t last_checkpoint_step = -1;
    bool best_pending = false;  // the epoch being saved improved the dev metric
    Clock::time_point train_start;

    Impl(io::ExperimentConfig c, TrainingObserver& o, RunControl& r)
        : config(std::move(c)), observer(o), control(r) {}

    void log(const std::string& line) {
        if (console.is_open())
            console << line << '\n' << std::flush;
        observer.on_log(line);
    }

    void set_state(RunState s) {
        observer.on_state(s);
        if (run_dir)
            run_dir->update_status({{"state", run_state_name(s)}});
    }

    void setup();
    void build_model(const model::ModelFolderInfo& folder);
    void train_epoch(int epoch);
    EvalReport evaluate_split(const std::string& name, const EncodedSplit& split, int epoch);
    std::string save(const std::string& stem, const std::string& reason,
                     const std::string& run_state);
    bool boundary();
    RunResult run();
};

void Trainer::Impl::setup() {
    const auto& t = config.training;
    if (t.threads > 0)
        torch::set_num_threads(t.threads);
    device = resolve_device(t.device);
    torch::manual_seed(t.seed);

    // Check the model folder before creating a run directory: a typo should not leave litter.
    const auto folder = model::inspect_model_folder(config.resolve(config.model.path));
    tokenizer =
        std::make_unique<text::BertTokenizer>(text::BertTokenizer::from_model_dir(folder.path));
    if (config.model.lowercase >= 0) {
        auto options = tokenizer->options();
        options.lowercase = config.model.lowercase == 1;
        tokenizer = std::make_unique<text::BertTokenizer>(tokenizer->with_options(options));
    }

    run_dir = std::make_unique<RunDirectory>(RunDirectory::create(
        config.resolve(config.output.runs_dir),
        config.output.run_name.empty() ? config.name : config.output.run_name));
    console.open(run_dir->file("console.log"));
    run_dir->write_file("experiment.yaml", io::to_yaml(config));
    run_dir->update_status({{"state", "running"},
                            {"started", utc_timestamp()},
                            {"experiment", config.name},
                            {"device", device.str()},
                            {"torch_version", TORCH_VERSION},
                            {"tunebench_version", TUNEBENCH_VERSION}});
    metrics_log = std::make_unique<MetricsLog>(run_dir->path());
    log("run folder: " + run_dir->path());
    for (const auto& note : folder.notes)
        log("model: " + note);

    data = prepare_data(config, *tokenizer, [this](const std::string& l) { log(l); });
    nlohmann::json split = {{"train", data.split.train},
                            {"dev", data.split.dev},
                            {"test", data.split.test},
                            {"seed", t.seed},
                            {"data_hash", data.data_hash}};
    run_dir->write_file("split.json", split.dump() + "\n");
    run_dir->update_status({{"data_hash", data.data_hash}, {"labels", data.labels.names()}});
    log("data: " + std::to_string(data.train.size()) + " train, " +
        std::to_string(data.dev.size()) + " dev, " + std::to_string(data.test.size()) +
        " test examples, " + std::to_string(data.labels.size()) + " labels; " +
        std::to_string(data.truncated) + " examples reach max_length " +
        std::to_string(config.model.max_length));

    steps_per_epoch =
        static_cast<std::int64_t>((data.train.size() + t.batch_size - 1) / t.batch_size);
    total_steps = steps_per_epoch * t.epochs;
    build_model(folder);
    schedule = std::make_unique<LinearWarmupDecay>(
        t.learning_rate, static_cast<std::int64_t>(std::llround(t.warmup_ratio * total_steps)),
        total_steps);
    optimizer = make_adamw(parameters, t.learning_rate, t.weight_decay);
    state.seed = t.seed;
    state.best_metric_name = "dev_macro_f1";
}

void Trainer::Impl::build_model(const model::ModelFolderInfo& folder) {
    if (config.model.max_length > folder.config.max_position_embeddings)
        throw Error("model.max_length " + std::to_string(config.model.max_length) +
                        " exceeds the model's max_position_embeddings " +
                        std::to_string(folder.config.max_position_embeddings),
                    SourceLocation{{}, 0, 0, "model.max_length"});
    // The new head is initialised from the seeded global generator, so reruns match.
    model = model::BertForSequenceClassification(folder.config, data.labels.size(),
                                                 config.model.classifier_dropout);
    model::init_bert_weights(*model);
    const auto report =
        model::load_weights(*model, model::SafetensorsFile::open(folder.weights_path));
    log("weights: " + std::to_string(report.loaded.size()) + " tensors loaded" +
        (report.unexpected.empty() ? ""
                                   : ", " + std::to_string(report.unexpected.size()) + " unused"));
    model->to(device);
    model->train();
    std::int64_t total = 0, trainable = 0;
    for (const auto& p : model->named_parameters()) {
        parameters.push_back({p.key(), p.value()});
        total += p.value().numel();
        if (p.value().requires_grad())
            trainable += p.value().numel();
    }
    RunInfo info;
    info.run_dir = run_dir->path();
    info.device = device.str();
    info.epochs = config.training.epochs;
    info.train_examples = static_cast<std::int64_t>(data.train.size());
    info.dev_examples = static_cast<std::int64_t>(data.dev.size());
    info.test_examples = static_cast<std::int64_t>(data.test.size());
    info.labels = data.labels.names();
    info.parameters = total;
    info.trainable_parameters = trainable;
    info.steps_per_epoch = steps_per_epoch;
    info.total_steps = total_steps;
    observer.on_start(info);
}

bool Trainer::Impl::boundary() {
    if (control.is_paused() && !control.is_cancelled()) {
        set_state(RunState::Paused);
        const bool go_on = control.checkpoint();
        if (go_on)
            set_state(RunState::Running);
        return go_on;
    }
    return control.checkpoint();
}

void Trainer::Impl::train_epoch(int epoch) {
    const auto& t = config.training;
    const auto order = epoch_order(data.train.size(), t.seed, epoch);
    for (std::int64_t b = 0; b < steps_per_epoch; ++b) {
        if (!boundary())
            throw Cancelled{};
        if (control.take_checkpoint_request())
            save("step-" + std::to_string(state.global_step), "request", "running");

        const std::size_t begin = static_cast<std::size_t>(b * t.batch_size);
        const std::size_t end =
            std::min(order.size(), begin + static_cast<std::size_t>(t.batch_size));
        std::vector<std::size_t> idx(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                     order.begin() + static_cast<std::ptrdiff_t>(end));
        Batch batch = collate(data.train, idx, tokenizer->pad_id(), device);

        const double lr = schedule->lr_at(state.global_step);
        set_learning_rate(*optimizer, lr);
        optimizer->zero_grad();
        auto logits = model->forward(batch.input_ids, batch.attention_mask, batch.token_type_ids);
        auto loss = torch::nn::functional::cross_entropy(logits, batch.labels);
        const double loss_value = loss.item<double>();
        if (!std::isfinite(loss_value))
            throw Error("the training loss became " + std::to_string(loss_value) + " at step " +
                        std::to_string(state.global_step + 1) +
                        "; lower the learning rate or check the data" +
                        (last_checkpoint.empty()
                             ? ""
                             : " (last good checkpoint: " + last_checkpoint + ")"));
        loss.backward();
        // With clipping off, an infinite bound still measures the norm without scaling.
        const double grad_norm = torch::nn::utils::clip_grad_norm_(
            model->parameters(),
            t.max_grad_norm > 0 ? t.max_grad_norm : std::numeric_limits<double>::infinity());
        optimizer->step();
        ++state.global_step;
        state.step_in_epoch = b + 1;

        StepMetrics m;
        m.epoch = epoch + 1;
        m.step = state.global_step;
        m.total_steps = total_steps;
        m.loss = loss_value;
        m.learning_rate = lr;
        m.grad_norm = grad_norm;
        m.elapsed_seconds = std::chrono::duration<double>(Clock::now() - train_start).count();
        m.eta_seconds = m.elapsed_seconds / static_cast<double>(state.global_step) *
                        static_cast<double>(total_steps - state.global_step);
        history["train_loss"].push_back(loss_value);
        observer.on_step(m);
        if (t.log_every_steps > 0 &&
            (state.global_step % t.log_every_steps == 0 || b + 1 == steps_per_epoch))
            metrics_log->write_step(m);
    }
}

EvalReport Trainer::Impl::evaluate_split(const std::string& name, const EncodedSplit& split,
                                         int epoch) {
    const auto out = evaluate(model, split, data.labels.names(), config.training.eval_batch_size,
                              tokenizer->pad_id(), device);
    EvalReport report{name, epoch, state.global_step, out.loss, out.report};
    history[name + "_loss"].push_back(out.loss);
    history[name + "_accuracy"].push_back(out.report.accuracy);
    history[name + "_macro_f1"].push_back(out.report.macro.f1);
    metrics_log->write_eval(report);
    observer.on_eval(report);
    char line[160];
    std::snprintf(line, sizeof line, "%s epoch %d: loss %.4f, accuracy %.4f, macro-F1 %.4f",
                  name.c_str(), epoch, out.loss, out.report.accuracy, out.report.macro.f1);
    log(line);
    return report;
}

std::string Trainer::Impl::save(const std::string& stem, const std::string& reason,
                                const std::string& run_state) {
    CheckpointContent content;
    content.config_yaml = io::to_yaml(config);
    content.labels = data.labels.names();
    content.vocab = tokenizer->vocab().tokens();
    content.trainer = state;
    content.trainer.state = run_state;
    content.metrics = history;
    const std::string dir = run_dir->file("checkpoints");
    last_checkpoint = write_checkpoint(dir, stem, model, *optimizer, parameters, content);
    last_checkpoint_step = state.global_step;
    if (reason == "epoch") {
        if (best_pending)
            best_checkpoint = last_checkpoint;
        best_pending = false;
        prune_epoch_checkpoints(dir, config.output.keep_last_checkpoints, best_checkpoint);
    }
    run_dir->update_status(
        {{"last_checkpoint", last_checkpoint}, {"best_checkpoint", best_checkpoint}});
    observer.on_checkpoint({last_checkpoint, state.epoch, state.global_step, reason});
    log("checkpoint: " + last_checkpoint);
    return last_checkpoint;
}

RunResult Trainer::Impl::run() {
    const auto wall_start = Clock::now();
    RunResult result;
    auto finish = [&](RunState s, const std::string& error) {
        result.state = s;
        result.error = error;
        result.run_dir = run_dir ? run_dir->path() : std::string();
        result.last_checkpoint = last_checkpoint;
        result.wall_seconds = std::chrono::duration<double>(Clock::now() - wall_start).count();
        if (run_dir) {
            try {
                run_dir->update_status({{"state", run_state_name(s)},
                                        {"ended", utc_timestamp()},
                                        {"error", error},
                                        {"wall_seconds", result.wall_seconds}});
            } catch (
                const std::exception&) {  // the run's outcome matters more than its status file
            }
        }
        // Observers run user code (UI signal emission); nothing they throw may escape run().
        try {
            if (s == RunState::Failed)
                observer.on_error(error);
            observer.on_state(s);
            observer.on_finished(result);
        } catch (...) {
        }
        return result;
    };
    try {
        observer.on_state(RunState::Running);
        setup();
        if (control.is_cancelled())  // cancelled while loading: nothing trained, nothing to save
            throw Cancelled{};
        train_start = Clock::now();
        for (int epoch = 0; epoch < config.training.epochs; ++epoch) {
            train_epoch(epoch);
            state.epoch = epoch + 1;
            state.step_in_epoch = 0;
            // Without a dev split there is no dev metric: the newest epoch counts as best.
            best_pending = true;
            if (data.dev.size() > 0) {
                const auto dev = evaluate_split("dev", data.dev, epoch + 1);
                best_pending = best_checkpoint.empty() || dev.report.macro.f1 > state.best_metric;
                if (best_pending)
                    state.best_metric = dev.report.macro.f1;
            }
            const bool last = epoch + 1 == config.training.epochs;
            if (last && data.test.size() > 0)
                evaluate_split("test", data.test, epoch + 1);
            char stem[32];
            std::snprintf(stem, sizeof stem, "epoch-%03d", epoch + 1);
            save(stem, "epoch", last ? "finished" : "running");
        }
        return finish(RunState::Finished, "");
    } catch (const Cancelled&) {
        try {
            set_state(RunState::Cancelling);
            // A checkpoint of exactly this step already exists (or no step ran): don't write
            // a duplicate full-size file.
            if (optimizer && state.global_step > 0 && state.global_step != last_checkpoint_step)
                save("cancel-step-" + std::to_string(state.global_step), "cancel", "cancelled");
        } catch (const std::exception& e) {
            log(std::string("could not save the cancel checkpoint: ") + e.what());
        }
        return finish(RunState::Cancelled, "");
    } catch (const Error& e) {
        return finish(RunState::Failed, e.what());
    } catch (const c10::Error& e) {
        return finish(RunState::Failed,
                      std::string("LibTorch error: ") + e.what_without_backtrace());
    } catch (const std::exception& e) {
        return finish(RunState::Failed, e.what());
    } catch (...) {
        return finish(RunState::Failed, "unknown error");
    }
}

Trainer::Trainer(io::ExperimentConfig config, TrainingObserver& observer, RunControl& control)
    : impl_(std::make_unique<Impl>(std::move(config), observer, control)) {}

Trainer::~Trainer() = default;

RunResult Trainer::run() {
    return impl_->run();
}

}  // namespace tb::train
