// Trainer setup (model folder, run folder, data, model, optimizer), resume restoration, and the
// run's outcome (Finished / Cancelled / Failed). The loop itself is in training_loop.cpp.
#include "train/trainer.h"

#include <H5public.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/utc_timestamp.h"
#include "model/fasttext_format.h"
#include "model/weight_loading.h"
#include "train/checkpoint_writer.h"
#include "train/device_resolve.h"
#include "train/distributed_env.h"
#include "train/fasttext_run_model.h"
#include "train/image_model_setup.h"
#include "train/image_source.h"
#include "train/prepared_images.h"
#include "train/resume_plan.h"
#include "train/rng_state.h"
#include "train/run_tokenizer.h"
#include "train/scratch_text_model.h"
#include "train/task_model_setup.h"
#include "train/trainer_impl.h"

namespace fs = std::filesystem;

namespace tb::train {
namespace {

// Distributed settings that are not part of the experiment (they describe the launch, not the
// training): TUNEBENCH_DIST_BACKEND (auto, gloo, nccl), TUNEBENCH_DIST_TIMEOUT (seconds).
DistributedOptions distributed_options() {
    DistributedOptions options;
    if (const char* backend = std::getenv("TUNEBENCH_DIST_BACKEND"); backend && *backend)
        options.backend = backend;
    if (const char* timeout = std::getenv("TUNEBENCH_DIST_TIMEOUT"); timeout && *timeout) {
        char* end = nullptr;
        const long seconds = std::strtol(timeout, &end, 10);
        if (end == timeout || *end != '\0' || seconds < 1)
            throw Error(std::string("TUNEBENCH_DIST_TIMEOUT='") + timeout +
                            "' is not a positive number of seconds",
                        SourceLocation{"environment", 0, 0, "TUNEBENCH_DIST_TIMEOUT"});
        options.timeout = std::chrono::seconds(seconds);
    }
    return options;
}

// 64-bit FNV-1a: a data hash as one number that ranks can compare in a collective.
std::int64_t fingerprint(const std::string& text) {
    std::uint64_t h = 1469598103934665603ull;
    for (const unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return static_cast<std::int64_t>(h >> 1);
}

bool is_out_of_memory(const std::string& message) {
    return message.find("out of memory") != std::string::npos;
}

std::string out_of_memory_advice(const io::ExperimentConfig& config) {
    const auto& t = config.training;
    return "the GPU ran out of memory. Try a smaller training.batch_size (now " +
           std::to_string(t.batch_size) + ") with training.gradient_accumulation_steps (now " +
           std::to_string(t.gradient_accumulation_steps) +
           ") raised to keep the effective batch, a shorter model.max_length (now " +
           std::to_string(config.model.max_length) + "), a smaller training.eval_batch_size, " +
           "or training.precision bf16/fp16";
}

}  // namespace

void Trainer::Impl::log(const std::string& line) {
    if (console.is_open())
        console << line << '\n' << std::flush;
    observer.on_log(line);
}

void Trainer::Impl::set_state(RunState s) {
    observer.on_state(s);
    if (run_dir)
        run_dir->update_status({{"state", run_state_name(s)}});
}

void Trainer::Impl::setup() {
    const auto& t = config.training;
    if (t.threads > 0)
        torch::set_num_threads(t.threads);
    device = resolve_device(t.device);
    join_distributed();
    configure_precision(t.precision, t.allow_tf32, device);
    torch::manual_seed(t.seed);

    // Check the model folder before creating a run directory: a typo should not leave litter.
    // Image runs have no tokenizer; their model source is checked when the model is built.
    image_task = config.dataset.task == "image_classification";
    const bool scratch_text = is_scratch_text_model(config);
    model::ModelFolderInfo folder;
    const std::string fasttext_file = fasttext_model_file(config);
    if (!fasttext_file.empty()) {
        tokenizer = load_fasttext_run(fasttext_file).tokenizer;
        vocabulary = tokenizer_vocabulary(*tokenizer);
        if (config.dataset.task != "text_classification")
            throw Error("a fastText model trains text_classification datasets only",
                        SourceLocation{{}, 0, 0, "dataset.task"});
    } else if (!image_task && !scratch_text) {
        folder = model::inspect_model_folder(config.resolve(config.model.path));
        tokenizer = load_run_tokenizer(config, folder.path);
        vocabulary = tokenizer_vocabulary(*tokenizer);
    }

    if (!options.resume_from.empty()) {
        // Everything that can refuse the resume runs before the new run folder exists.
        const io::Checkpoint header = io::load_checkpoint_header(options.resume_from);
        const io::ExperimentConfig then =
            io::parse_experiment(header.config_yaml, options.resume_from + ":/config");
        const auto allowed = check_resume_compatible(then, config);
        load_data();
        resume_checkpoint = io::load_checkpoint(options.resume_from);
        parent_run_dir = run_dir_of_checkpoint(options.resume_from);
        check_resume_data();
        create_run_directory(folder);
        for (const auto& d : allowed)
            log("resume: " + d.key + " changed from " + d.before + " to " + d.after);
    } else {
        create_run_directory(folder);
        load_data();
    }
    check_same_data_on_all_ranks();
    build_model(folder);
    build_training_parts();
    if (resume_checkpoint)
        restore_from_checkpoint();
    broadcast_weights();
    announce_start();
}

// A torchrun-style or Slurm launch makes this process one rank of a data-parallel job: every
// rank trains on its share of each global batch; only rank 0 writes files and reports progress.
void Trainer::Impl::join_distributed() {
    const auto env = distributed_env_from_process();
    if (!env.is_distributed())
        return;
    if (device.is_cuda()) {
        // One GPU per process, chosen by its rank on the machine.
        if (env.local_rank >= static_cast<int>(torch::cuda::device_count()))
            throw Error("local rank " + std::to_string(env.local_rank) +
                            " has no GPU: this machine has " +
                            std::to_string(torch::cuda::device_count()) +
                            "; start at most that many processes per machine",
                        SourceLocation{"environment", 0, 0, "LOCAL_RANK"});
        device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(env.local_rank));
    }
    dist = DistributedContext::connect(env, device, distributed_options());
    options.is_primary = options.is_primary && dist.is_primary();
    observer.set_primary(options.is_primary);
    log("distributed: " + env.describe() + ", " + dist.backend() + " backend, device " +
        device.str());
}

void Trainer::Impl::check_same_data_on_all_ranks() {
    if (!dist.is_distributed())
        return;
    auto mine = torch::tensor({fingerprint(data.data_hash)}, torch::kInt64);
    auto first = mine.clone();
    dist.broadcast({first}, 0);
    const bool differs = first.item<std::int64_t>() != mine.item<std::int64_t>();
    const auto ranks_differing = dist.all_reduce_sum(std::int64_t{differs ? 1 : 0});
    if (ranks_differing > 0)
        throw Error(std::to_string(ranks_differing) + " of " + std::to_string(dist.world_size()) +
                        " processes read different training data than rank 0" +
                        (differs ? " (this one among them)" : "") +
                        "; every process must see the same dataset files",
                    SourceLocation{config.resolve(config.dataset.path), 0, 0, "dataset.path"});
}

// Every rank starts from rank 0's weights (and buffers), whatever its own initialisation drew.
void Trainer::Impl::broadcast_weights() {
    if (!dist.is_distributed())
        return;
    std::vector<at::Tensor> tensors;
    for (const auto& p : model->module().parameters())
        tensors.push_back(p);
    for (const auto& b : model->module().buffers())
        tensors.push_back(b);
    dist.broadcast(tensors, 0);
}

void Trainer::Impl::create_run_directory(const model::ModelFolderInfo& folder) {
    if (!options.is_primary)
        return;
    run_dir = std::make_unique<RunDirectory>(RunDirectory::create(
        config.resolve(config.output.runs_dir),
        config.output.run_name.empty() ? config.name : config.output.run_name));
    console.open(run_dir->file("console.log"));
    run_dir->write_file("experiment.yaml", io::to_yaml(config));
    nlohmann::json status = {
        {"state", "running"},
        {"started", utc_timestamp()},
        {"experiment", config.name},
        {"experiment_dir", config.base_dir},
        {"config_hash", config_hash(config)},
        {"device", device.str()},
        {"precision", config.training.precision},
        {"torch_version", TORCH_VERSION},
        {"tunebench_version", TUNEBENCH_VERSION},
        {"libraries",
         {{"libtorch", TORCH_VERSION},
          {"hdf5", H5_VERS_INFO},
          {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                std::to_string(NLOHMANN_JSON_VERSION_PATCH)}}}};
    if (device.is_cuda())
        status["cuda_devices"] = torch::cuda::device_count();
    run_dir->update_status(status);
    // A resumed run's logs begin with the parent's rows, before anything new is appended.
    if (resume_checkpoint && !parent_run_dir.empty())
        copy_metrics_prefix(parent_run_dir, run_dir->path(),
                            resume_checkpoint->trainer.global_step);
    metrics_log = std::make_unique<MetricsLog>(run_dir->path(), config.dataset.task);
    log("run folder: " + run_dir->path());
    for (const auto& note : folder.notes)
        log("model: " + note);
    if (!data.data_hash.empty())  // a resumed run loads its data before the folder exists
        write_split_file();
}

void Trainer::Impl::write_split_file() {
    // Written directly, not through a JSON tree: a streamed file's split has millions of indices
    // (a tree of them would cost ~16 B each). Same text as nlohmann's dump() (keys sorted).
    std::string split;
    split.reserve(64 +
                  8 * (data.split.train.size() + data.split.dev.size() + data.split.test.size()));
    auto indices = [&split](const char* key, const std::vector<std::size_t>& values) {
        split += std::string("\"") + key + "\":[";
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i > 0)
                split += ',';
            split += std::to_string(values[i]);
        }
        split += "],";
    };
    split += "{\"data_hash\":" + nlohmann::json(data.data_hash).dump() + ",";
    indices("dev", data.split.dev);
    split += "\"seed\":" + nlohmann::json(config.training.seed).dump() + ",";
    indices("test", data.split.test);
    indices("train", data.split.train);
    split.back() = '}';
    split += '\n';
    run_dir->write_file("split.json", split);
    run_dir->update_status({{"data_hash", data.data_hash}, {"labels", data.labels.names()}});
    if (image_task)
        run_dir->update_status(
            {{"image_preprocessing", nlohmann::json::parse(image_transform_json(config.dataset))}});
    if (is_scratch_text_model(config)) {  // the vocabulary from the training split, one per line
        std::string lines;
        for (const auto& unit : vocabulary)
            lines += unit + "\n";
        run_dir->write_file("vocab.txt", lines);
    }
}

void Trainer::Impl::load_data() {
    const auto& t = config.training;
    const LogFn to_log = [this](const std::string& l) { log(l); };
    if (is_scratch_text_model(config)) {
        auto prepared = prepare_scratch_text_data(config, to_log);
        data = std::move(prepared.data);
        tokenizer = std::move(prepared.tokenizer);
        vocabulary = tokenizer_vocabulary(*tokenizer);
    } else {
        data = image_task ? prepare_image_data(config, to_log)
                          : prepare_data(config, *tokenizer, to_log);
    }
    if (run_dir)
        write_split_file();
    const std::string counts = "data: " + std::to_string(data.train.size()) + " train, " +
                               std::to_string(data.dev.size()) + " dev, " +
                               std::to_string(data.test.size()) + " test examples, " +
                               std::to_string(data.labels.size()) + " labels";
    if (image_task)
        log(counts + "; images prepared as " + image_transform_json(config.dataset));
    else
        log(counts + "; " + std::to_string(data.truncated) + " examples reach max_length " +
            std::to_string(config.model.max_length));
    train_lengths.clear();
    train_lengths.reserve(data.train.size());
    if (!data.train.input_ids.empty() || data.train.text_rows)
        for (std::size_t i = 0; i < data.train.size(); ++i)
            train_lengths.push_back(data.train.token_count(i));
    if (image_task)  // every image has the same size: batches by the seeded shuffle alone
        train_lengths.assign(data.train.size(), 1);

    const auto n = static_cast<std::int64_t>(data.train.size());
    const std::int64_t accumulation = t.gradient_accumulation_steps;
    micro_batches_per_epoch = (n + t.batch_size - 1) / t.batch_size;
    steps_per_epoch = (micro_batches_per_epoch + accumulation - 1) / accumulation;
    if (t.max_steps > 0) {
        total_steps = t.max_steps;
        epochs_to_run = static_cast<int>((total_steps + steps_per_epoch - 1) / steps_per_epoch);
    } else {
        total_steps = steps_per_epoch * t.epochs;
        epochs_to_run = t.epochs;
    }
}

// A resumed run must see exactly the data and vocabulary the checkpoint was trained on.
void Trainer::Impl::check_resume_data() {
    const io::TrainerState& saved = resume_checkpoint->trainer;
    if (!saved.data_hash.empty() && saved.data_hash != data.data_hash)
        throw Error("cannot resume: the data differs from the checkpoint's (data hash " +
                        saved.data_hash + " in the checkpoint, " + data.data_hash + " now for " +
                        config.resolve(config.dataset.path) +
                        "). Resuming needs the same training, dev and test examples and labels; "
                        "start a new run to train on other data.",
                    SourceLocation{options.resume_from, 0, 0, "dataset.path"});
    if (!resume_checkpoint->labels.empty() && resume_checkpoint->labels != data.labels.names())
        throw Error("cannot resume: the labels differ from the checkpoint's",
                    SourceLocation{options.resume_from, 0, 0, "labels"});
    if (!resume_checkpoint->vocab.empty() && resume_checkpoint->vocab != vocabulary)
        throw Error("cannot resume: the vocabulary of " +
                        (is_scratch_text_model(config) ? "the training split"
                                                       : config.resolve(config.model.path)) +
                        " differs from the one the checkpoint was trained with",
                    SourceLocation{options.resume_from, 0, 0, "model.path"});
}

void Trainer::Impl::build_model(const model::ModelFolderInfo& folder) {
    // The new head is initialised from the seeded global generator, so reruns match; a resumed
    // run takes every weight from the checkpoint.
    const auto classes = static_cast<std::int64_t>(data.labels.size());
    if (image_task) {
        auto built = build_image_model(config, classes);
        model = make_image_run_model(built.model);
        log("model: " + built.model->architecture() + " image classifier with " +
            std::to_string(classes) + " outputs");
        for (const auto& note : built.notes)
            log("model: " + note);
    } else if (const auto file = fasttext_model_file(config); !file.empty()) {
        // The file was read for the tokenizer already; the table is read again here.
        const auto fasttext = load_fasttext_run(file).model;
        model = build_fasttext_run_model(config, *fasttext, classes);
        log("model: fastText " + file + " (dim " + std::to_string(fasttext->args.dim) + ", " +
            std::to_string(fasttext->input.rows) + " feature rows" +
            (config.model.freeze_backbone ? ", frozen" : ", trainable") +
            "), new linear head with " + std::to_string(classes) + " outputs");
    } else if (is_scratch_text_model(config)) {
        model =
            build_bilstm_run_model(config, static_cast<std::int64_t>(vocabulary.size()), classes);
        const auto& m = config.model;
        log("model: " + m.architecture + " text classifier trained from scratch, " +
            std::to_string(vocabulary.size()) + " units, embedding " +
            std::to_string(m.embedding_dim) + ", " + std::to_string(m.lstm_layers) +
            " LSTM layer(s) of " + std::to_string(m.lstm_hidden_size) + " per direction, " +
            std::to_string(classes) + " outputs");
    } else {
        auto built = build_task_model(config, folder, classes,
                                      /*load_pretrained=*/!resume_checkpoint);
        model = make_text_run_model(built.model);
        log("model: " + folder.config.model_type + " encoder, " +
            model::head_kind_name(model->kind()) + " head with " + std::to_string(classes) +
            " outputs");
        for (const auto& note : built.notes)
            log("model: " + note);
    }
    configure_head();  // before moving: a resumed run's checkpoint then overrides it
    model->module().to(device);
    model->module().train();
    configure_adversarial();
    for (const auto& p : model->module().named_parameters()) {
        parameters.push_back({p.key(), p.value()});
        if (p.value().requires_grad())
            trainable.push_back(p.value());
    }
}

void Trainer::Impl::build_training_parts() {
    const auto& t = config.training;
    const std::int64_t warmup =
        t.warmup_steps > 0 ? t.warmup_steps
                           : static_cast<std::int64_t>(std::llround(t.warmup_ratio * total_steps));
    schedule = std::make_unique<LrSchedule>(LrSchedule::kind_from_name(t.schedule), t.learning_rate,
                                            warmup, total_steps);
    optimizer = make_optimizer(t, parameters, t.learning_rate, lr_multipliers);
    // Class weights and label smoothing shape the single-label cross entropy only.
    loss_fn =
        std::make_unique<LossFunction>(model->kind() == model::HeadKind::SequenceClassification
                                           ? class_weights(t, data.train.labels, data.labels.size())
                                           : std::vector<double>{},
                                       t.label_smoothing, device);
    scaler = std::make_unique<LossScaler>(t.precision == "fp16" && device.is_cuda());
    policy = std::make_unique<CheckpointPolicy>(config.output);
    check_metrics();
    best = std::make_unique<MetricTracker>(effective_metric(config.output.best_metric));
    early = std::make_unique<MetricTracker>(effective_metric(t.early_stopping_metric),
                                            t.early_stopping_min_delta);
    state.seed = t.seed;
    state.best_metric_name = best->metric();
    state.data_hash = data.data_hash;
    state.config_hash = config_hash(config);
}

void Trainer::Impl::restore_from_checkpoint() {
    io::Checkpoint& ckpt = *resume_checkpoint;
    const io::TrainerState saved = ckpt.trainer;
    if (saved.global_step >= total_steps)
        throw Error("nothing to resume: the checkpoint is at step " +
                        std::to_string(saved.global_step) + " of " + std::to_string(total_steps) +
                        "; raise training.epochs or training.max_steps to train further",
                    SourceLocation{options.resume_from, 0, 0, "training.epochs"});
    if (saved.step_in_epoch > steps_per_epoch)
        throw Error("the checkpoint's position in its epoch (step " +
                        std::to_string(saved.step_in_epoch) + ") is past the epoch's " +
                        std::to_string(steps_per_epoch) + " steps",
                    SourceLocation{options.resume_from, 0, 0, "trainer"});
    restore_model(model->module(), ckpt);
    import_optimizer_state(*optimizer, config.training.optimizer, parameters, ckpt.optimizer);

    state.epoch = saved.epoch;
    state.global_step = saved.global_step;
    state.step_in_epoch = saved.step_in_epoch;
    state.skipped_steps = saved.skipped_steps;
    history = ckpt.metrics;
    // Best and early-stopping state continue only for the same metric (allowed to change).
    if (saved.best_metric_name == best->metric() && saved.best_step >= 0) {
        best->restore(saved.best_metric, std::max<std::int64_t>(1, saved.early_stopping_evals), 0);
        state.best_metric = saved.best_metric;
        state.best_step = saved.best_step;
        // The parent's best file stays in the parent's folder, next to the checkpoint.
        if (!saved.best_checkpoint.empty())
            state.best_checkpoint = (fs::path(options.resume_from).parent_path() /
                                     fs::path(saved.best_checkpoint).filename())
                                        .string();
    }
    const auto then = io::parse_experiment(ckpt.config_yaml, options.resume_from + ":/config");
    if (saved.early_stopping_evals > 0 &&
        then.training.early_stopping_metric == config.training.early_stopping_metric)
        early->restore(saved.early_stopping_best, saved.early_stopping_evals,
                       saved.early_stopping_bad_evals);
    scaler->restore(saved.loss_scale, saved.loss_scale_good_steps);
    // Last: building the model above drew random numbers the original run drew before step 1.
    restore_rng_states(ckpt.rng, device);

    if (run_dir) {
        run_dir->update_status({{"resumed_from",
                                 {{"run_dir", parent_run_dir},
                                  {"checkpoint", options.resume_from},
                                  {"global_step", saved.global_step},
                                  {"epoch", saved.epoch}}}});
    }
    last_checkpoint_step = saved.global_step;  // no duplicate of the file we started from
    log("resumed from " + options.resume_from + " at step " + std::to_string(saved.global_step) +
        " (epoch " + std::to_string(saved.epoch + 1) + ", step " +
        std::to_string(saved.step_in_epoch) + " of " + std::to_string(steps_per_epoch) + ")");
    resume_checkpoint.reset();  // frees the tensors
}

void Trainer::Impl::announce_start() {
    std::int64_t total = 0, trainable_count = 0;
    for (const auto& p : parameters) {
        total += p.tensor.numel();
        if (p.tensor.requires_grad())
            trainable_count += p.tensor.numel();
    }
    log("parameters: " + std::to_string(trainable_count) + " trainable of " +
        std::to_string(total) + " total");
    RunInfo info;
    info.run_dir = run_dir ? run_dir->path() : std::string();
    info.device = device.str();
    info.epochs = epochs_to_run;
    info.train_examples = static_cast<std::int64_t>(data.train.size());
    info.dev_examples = static_cast<std::int64_t>(data.dev.size());
    info.test_examples = static_cast<std::int64_t>(data.test.size());
    info.labels = data.labels.names();
    info.parameters = total;
    info.trainable_parameters = trainable_count;
    info.steps_per_epoch = steps_per_epoch;
    info.total_steps = total_steps;
    info.start_step = state.global_step;
    info.resumed_from = options.resume_from;
    observer.on_start(info);
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
                                        {"global_step", state.global_step},
                                        {"skipped_steps", state.skipped_steps},
                                        {"stopped_early", stop_early},
                                        {"wall_seconds", result.wall_seconds}});
            } catch (const std::exception&) {
                // the run's outcome matters more than its status file
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
        train();
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
        // LibTorch 1.13 and 2.x both throw c10::OutOfMemoryError (a c10::Error) on CUDA; older
        // allocators only said so in the message, which is what this checks.
        const std::string message = e.what_without_backtrace();
        if (is_out_of_memory(message))
            return finish(RunState::Failed, out_of_memory_advice(config) + " (" + message + ")");
        return finish(RunState::Failed, "LibTorch error: " + message);
    } catch (const std::exception& e) {
        if (is_out_of_memory(e.what()))
            return finish(RunState::Failed, out_of_memory_advice(config));
        return finish(RunState::Failed, e.what());
    } catch (...) {
        return finish(RunState::Failed, "unknown error");
    }
}

Trainer::Trainer(io::ExperimentConfig config, TrainingObserver& observer, RunControl& control)
    : Trainer(std::move(config), observer, control, TrainerOptions{}) {}

Trainer::Trainer(io::ExperimentConfig config, TrainingObserver& observer, RunControl& control,
                 TrainerOptions options)
    : impl_(std::make_unique<Impl>(std::move(config), observer, control, std::move(options))) {}

Trainer::~Trainer() = default;

RunResult Trainer::run() {
    return impl_->run();
}

}  // namespace tb::train
