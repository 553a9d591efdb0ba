// The training loop: epochs of optimizer steps (each over gradient_accumulation_steps
// micro-batches), dev evaluation, early stopping, checkpoints and the final test evaluation.
#include <cmath>
#include <filesystem>
#include <limits>

#include "common/error.h"
#include "io/experiment_config.h"
#include "metrics/threshold_tuning.h"
#include "train/batch_plan.h"
#include "train/batch_prefetcher.h"
#include "train/checkpoint_writer.h"
#include "train/data_sharding.h"
#include "train/evaluator.h"
#include "train/grad_clip.h"
#include "train/trainer_impl.h"

namespace fs = std::filesystem;

namespace tb::train {

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

void Trainer::Impl::train() {
    const auto& t = config.training;
    train_start = Clock::now();
    first_step_of_run = state.global_step;
    const std::int64_t accumulation = t.gradient_accumulation_steps;
    for (int epoch = state.epoch; epoch < epochs_to_run && !done(); ++epoch) {
        // Recomputed from (seed, epoch): a resumed run sees the same batches in the same order.
        auto plan = epoch_batches(train_lengths, t.batch_size, t.seed, epoch, t.group_by_length);
        const std::int64_t first_step = state.step_in_epoch;
        std::vector<std::size_t> step_sizes;  // examples per optimizer step
        for (std::int64_t s = 0; s < steps_per_epoch; ++s) {
            std::size_t n = 0;
            for (std::int64_t m = s * accumulation;
                 m < std::min<std::int64_t>((s + 1) * accumulation, micro_batches_per_epoch); ++m)
                n += plan[static_cast<std::size_t>(m)].size();
            step_sizes.push_back(n);
        }
        // Data parallel: the step sizes above stay global (the loss divides by them); each
        // rank then collates only its slice of every micro-batch.
        if (dist.is_distributed())
            for (auto& batch : plan)
                batch = shard_batch(batch, dist.rank(), dist.world_size());
        BatchPrefetcher batches(data.train, std::move(plan),
                                static_cast<std::size_t>(first_step * accumulation), pad_id(),
                                device, t.prefetch_batches, epoch);
        bool epoch_complete = true;
        for (std::int64_t s = first_step; s < steps_per_epoch; ++s) {
            if (done()) {
                epoch_complete = false;
                break;
            }
            bool go_on = boundary();
            // Ranks stop together: a cancel on any of them cancels all at the same step.
            if (dist.is_distributed())
                go_on = dist.all_reduce_sum(std::int64_t{go_on ? 0 : 1}) == 0;
            if (!go_on)
                throw Cancelled{};
            if (control.take_checkpoint_request() && state.global_step != last_checkpoint_step)
                save("step-" + std::to_string(state.global_step), "request", "running");
            const std::int64_t micro =
                std::min<std::int64_t>((s + 1) * accumulation, micro_batches_per_epoch) -
                s * accumulation;
            train_step(batches, static_cast<std::size_t>(micro),
                       static_cast<std::int64_t>(step_sizes[static_cast<std::size_t>(s)]), epoch);
            state.step_in_epoch = s + 1;
            after_step(epoch, /*epoch_end=*/s + 1 == steps_per_epoch);
        }
        if (epoch_complete && state.step_in_epoch == steps_per_epoch)
            end_of_epoch(epoch);
    }
    finish_training();
}

// Sum of per-example losses: single-label classification keeps class weights and label
// smoothing; the other heads' losses are means over the micro-batch, turned into sums.
torch::Tensor Trainer::Impl::step_loss(const torch::Tensor& logits, const Batch& batch) const {
    if (model->kind() == model::HeadKind::SequenceClassification)
        return loss_fn->sum(logits, batch.labels);
    return model->loss(logits, batch.labels) * static_cast<double>(batch.size());
}

bool Trainer::Impl::train_step(BatchPrefetcher& batches, std::size_t micro_batches,
                               std::int64_t examples, int epoch) {
    const auto& t = config.training;
    const double lr = schedule->lr_at(state.global_step);
    set_learning_rate(*optimizer, lr, lr_multipliers);
    optimizer->zero_grad();
    const bool poisoned = options.inject_nan && options.inject_nan(state.global_step + 1);

    // loss = (sum of per-example losses) / (examples in the whole accumulated step), so the
    // accumulated gradient equals one big batch's; a distributed run divides by the global
    // count and all-reduces with SUM to get the same math.
    const double denominator = static_cast<double>(std::max<std::int64_t>(1, examples));
    double loss_value = 0.0;
    bool finite = true;
    for (std::size_t m = 0; m < micro_batches; ++m) {
        Batch batch = batches.next();
        if (!finite)
            continue;  // the step is lost anyway; its batches are still consumed in order
        if (batch.size() == 0)
            continue;  // this rank's slice of a batch smaller than the world is empty
        torch::Tensor loss;
        {
            AutocastScope autocast(t.precision, device);
            auto logits = model->forward(batch);
            loss = step_loss(logits, batch) / denominator;
        }
        if (poisoned)
            loss = loss * std::numeric_limits<double>::quiet_NaN();
        const double value = loss.item<double>();
        loss_value += value;
        if (!std::isfinite(value)) {
            finite = false;
            continue;
        }
        (scaler->enabled() ? loss * scaler->scale() : loss).backward();
        // FGM: move the word embeddings along their gradient (accumulated so far in this step),
        // add the perturbed pass's gradients, then put the embeddings back before the update.
        if (fgm && fgm->attack()) {
            torch::Tensor adversarial;
            {
                AutocastScope autocast(t.precision, device);
                auto logits = model->forward(batch);
                adversarial = step_loss(logits, batch) / denominator;
            }
            (scaler->enabled() ? adversarial * scaler->scale() : adversarial).backward();
            fgm->restore();
            ++adversarial_steps;
        }
    }

    // Data parallel: sum the ranks' gradients after every backward of the step and before
    // unscaling, clipping and the update, so all of them see the global batch's gradient and
    // norm. A non-finite loss on any rank makes the step non-finite on all of them.
    if (dist.is_distributed()) {
        const auto sums =
            dist.all_reduce_sum(std::vector<double>{finite ? loss_value : 0.0, finite ? 0.0 : 1.0});
        finite = sums[1] == 0.0;
        loss_value = finite ? sums[0] : std::numeric_limits<double>::quiet_NaN();
        if (finite)
            dist.all_reduce_gradients(trainable, ReduceMode::Sum);
    }

    double grad_norm = std::numeric_limits<double>::quiet_NaN();
    bool stepped = false;
    if (finite) {
        const bool grads_finite = scaler->unscale(trainable);
        // With clipping off, an infinite bound still measures the norm without scaling.
        grad_norm = clip_grad_norm(trainable, t.max_grad_norm > 0
                                                  ? t.max_grad_norm
                                                  : std::numeric_limits<double>::infinity());
        if (scaler->enabled()) {
            // An fp16 overflow is the loss scaler's business, not the NaN policy's.
            if (grads_finite)
                optimizer->step();
            scaler->update(grads_finite);
            stepped = true;
        } else if (std::isfinite(grad_norm)) {
            optimizer->step();
            stepped = true;
        } else {
            finite = false;
        }
    }
    const std::int64_t step_number = state.global_step + 1;
    if (!finite) {
        if (t.nan_policy != "skip")
            throw Error(
                "the training loss became " +
                    std::string(std::isfinite(loss_value) ? "finite but the gradients "
                                                            "non-finite"
                                                          : std::to_string(loss_value)) +
                    " at step " + std::to_string(step_number) +
                    "; lower training.learning_rate or check the data, or set "
                    "training.nan_policy: skip" +
                    (last_checkpoint.empty() ? std::string(" (no checkpoint was saved yet)")
                                             : " (last good checkpoint: " + last_checkpoint + ")"),
                SourceLocation{{}, 0, 0, "training.nan_policy"});
        optimizer->zero_grad();
        ++state.skipped_steps;
        log("step " + std::to_string(step_number) +
            ": non-finite loss, step skipped (nan_policy: skip; " +
            std::to_string(state.skipped_steps) + " skipped so far)");
    }
    ++state.global_step;

    StepMetrics metrics;
    metrics.epoch = epoch + 1;
    metrics.step = state.global_step;
    metrics.total_steps = total_steps;
    metrics.loss = loss_value;
    metrics.learning_rate = lr;
    metrics.grad_norm = grad_norm;
    metrics.skipped = !finite;
    metrics.elapsed_seconds = std::chrono::duration<double>(Clock::now() - train_start).count();
    const std::int64_t done_here = std::max<std::int64_t>(1, state.global_step - first_step_of_run);
    metrics.eta_seconds = metrics.elapsed_seconds / static_cast<double>(done_here) *
                          static_cast<double>(total_steps - state.global_step);
    history["train_loss"].push_back(loss_value);
    observer.on_step(metrics);
    if (metrics_log && t.log_every_steps > 0 &&
        (state.global_step % t.log_every_steps == 0 || state.step_in_epoch + 1 == steps_per_epoch ||
         state.global_step == total_steps))
        metrics_log->write_step(metrics);
    return stepped;
}

void Trainer::Impl::after_step(int epoch, bool epoch_end) {
    const auto& t = config.training;
    bool evaluated = false;
    if (t.eval_every_steps > 0 && state.global_step % t.eval_every_steps == 0 &&
        data.dev.size() > 0) {
        dev_evaluation(epoch + 1);
        evaluated = true;
    }
    // The epoch's own checkpoint follows at an epoch end; otherwise save here when due.
    const bool epoch_save_follows = epoch_end && policy->each_epoch();
    if (epoch_save_follows || state.global_step == last_checkpoint_step)
        return;
    char stem[40];
    if (policy->due_after_step(state.global_step)) {
        std::snprintf(stem, sizeof stem, "step-%06lld", static_cast<long long>(state.global_step));
        save(stem, "step", done() ? "finished" : "running");
    } else if (evaluated && best_pending_step == state.global_step) {
        std::snprintf(stem, sizeof stem, "best-step-%06lld",
                      static_cast<long long>(state.global_step));
        save(stem, "best", done() ? "finished" : "running");
    }
}

void Trainer::Impl::end_of_epoch(int epoch) {
    state.epoch = epoch + 1;
    state.step_in_epoch = 0;
    if (config.training.eval_every_steps == 0 && data.dev.size() > 0)
        dev_evaluation(epoch + 1);
    if (done() && data.test.size() > 0) {
        evaluate_split("test", data.test, epoch + 1);
        test_evaluated = true;
    }
    if (policy->each_epoch() || best_pending_step == state.global_step) {
        char stem[32];
        std::snprintf(stem, sizeof stem, "epoch-%03d", epoch + 1);
        save(stem, policy->each_epoch() ? "epoch" : "best", done() ? "finished" : "running");
    }
}

void Trainer::Impl::finish_training() {
    const int epoch = state.step_in_epoch > 0 ? state.epoch + 1 : state.epoch;
    if (stop_early)
        log("early stopping: " + early->metric() + " did not improve for " +
            std::to_string(early->evaluations_since_best()) + " evaluations");
    // The final model always has a dev score (evaluation every N steps may not end on it).
    if (last_dev_eval_step != state.global_step && data.dev.size() > 0 &&
        config.training.eval_every_steps > 0)
        dev_evaluation(epoch);
    if (!test_evaluated && data.test.size() > 0)
        evaluate_split("test", data.test, epoch);
    if (state.global_step != last_checkpoint_step)
        save("final-step-" + std::to_string(state.global_step), "final", "finished");
}

EvalReport Trainer::Impl::evaluate_split(const std::string& name, const EncodedSplit& split,
                                         int epoch) {
    auto out = evaluate(*model, split, data.labels.names(), config.training.eval_batch_size,
                        pad_id(), device, &dist);
    if (name == "dev" && model->kind() == model::HeadKind::MultiLabel &&
        config.model.multi_label_thresholds == "tune")
        tune_thresholds_on(out, split);
    EvalReport report;
    report.split = name;
    report.epoch = epoch;
    report.step = state.global_step;
    report.loss = out.loss;
    report.report = out.report;
    report.task = out.task;
    report.details_json = out.details_json;
    report.scores = out.scores;
    history[name + "_loss"].push_back(out.loss);
    const bool regression = model->kind() == model::HeadKind::Regression;
    if (!regression) {
        history[name + "_accuracy"].push_back(out.report.accuracy);
        history[name + "_macro_f1"].push_back(out.report.macro.f1);
    }
    for (const auto& [key, value] : out.scores)
        if (key != "accuracy" && key != "macro_f1")
            history[name + "_" + key].push_back(value);
    if (metrics_log)
        metrics_log->write_eval(report);
    observer.on_eval(report);
    char line[240];
    if (regression)
        std::snprintf(line, sizeof line,
                      "%s epoch %d step %lld: loss %.4f, mse %.6g, mae %.6g, r2 %.4f", name.c_str(),
                      epoch, static_cast<long long>(state.global_step), out.loss, out.scores["mse"],
                      out.scores["mae"], out.scores["r2"]);
    else
        std::snprintf(line, sizeof line,
                      "%s epoch %d step %lld: loss %.4f, accuracy %.4f, macro-F1 %.4f",
                      name.c_str(), epoch, static_cast<long long>(state.global_step), out.loss,
                      out.report.accuracy, out.report.macro.f1);
    log(line);
    return report;
}

// multi_label_thresholds: tune — each label's threshold becomes the one maximising its dev F1
// (the starting thresholds where a label has no positive dev example); the head keeps them, so
// the next checkpoint stores them, and the dev report is recomputed with them.
void Trainer::Impl::tune_thresholds_on(EvalOutput& out, const EncodedSplit& split) {
    std::vector<std::vector<int>> truth;
    for (const auto& t : split.targets)
        truth.emplace_back(t.begin(), t.end());
    const std::vector<float> start(data.labels.size(),
                                   static_cast<float>(config.model.multi_label_threshold));
    const auto tuned = metrics::tune_thresholds(out.probabilities, truth, start);
    model->text()->head().set_thresholds(tuned);
    rescore_multilabel(out, split, data.labels.names(), tuned);
    std::string text;
    for (std::size_t j = 0; j < tuned.size(); ++j) {
        char item[64];
        std::snprintf(item, sizeof item, "%s%s %.3f", j ? ", " : "",
                      data.labels.name(static_cast<int>(j)).c_str(), tuned[j]);
        text += item;
    }
    log("thresholds tuned on dev: " + text);
}

void Trainer::Impl::dev_evaluation(int epoch) {
    const auto dev = evaluate_split("dev", data.dev, epoch);
    last_dev_eval_step = state.global_step;
    if (best->update(metric_value(best->metric(), dev))) {
        best_pending_step = state.global_step;
        state.best_metric = best->best();
        state.best_step = state.global_step;
    }
    early->update(metric_value(early->metric(), dev));
    state.early_stopping_best = early->best();
    state.early_stopping_evals = early->evaluations();
    state.early_stopping_bad_evals = early->evaluations_since_best();
    const int patience = config.training.early_stopping_patience;
    if (patience > 0 && early->evaluations_since_best() >= patience)
        stop_early = true;
}

std::string Trainer::Impl::save(const std::string& stem, const std::string& reason,
                                const std::string& run_state) {
    if (!run_dir)
        return "";  // not the primary process
    const std::string dir = run_dir->file("checkpoints");
    const std::string path = dir + "/" + stem + ".h5";
    // Without a dev split there is no dev metric: the newest rolling checkpoint counts as best.
    const bool rolling =
        reason == "epoch" || reason == "step" || reason == "best" || reason == "final";
    const bool is_best =
        best_pending_step == state.global_step || (rolling && data.dev.size() == 0);
    CheckpointContent content;
    content.config_yaml = io::to_yaml(config);
    content.labels = data.labels.names();
    content.vocab = vocabulary;
    content.trainer = state;
    content.trainer.state = run_state;
    content.trainer.reason = reason;
    content.trainer.loss_scale = scaler->enabled() ? scaler->scale() : 0.0;
    content.trainer.loss_scale_good_steps = scaler->good_steps();
    if (is_best) {
        content.trainer.best_checkpoint = path;
        content.trainer.best_step = state.global_step;
    }
    content.metrics = history;
    last_checkpoint =
        write_checkpoint(dir, stem, model->module(), *optimizer, parameters, content, device);
    last_checkpoint_step = state.global_step;
    std::vector<std::string> remove;
    if (rolling)
        remove = policy->add_rolling(last_checkpoint);
    if (is_best) {
        state.best_checkpoint = last_checkpoint;
        state.best_step = state.global_step;
        best_pending_step = -1;
        const auto more = policy->set_best(last_checkpoint);
        remove.insert(remove.end(), more.begin(), more.end());
    }
    for (const auto& old : remove) {
        std::error_code ec;
        fs::remove(old, ec);
    }
    run_dir->update_status({{"last_checkpoint", last_checkpoint},
                            {"best_checkpoint", state.best_checkpoint},
                            {"global_step", state.global_step}});
    observer.on_checkpoint({last_checkpoint, state.epoch, state.global_step, reason});
    log("checkpoint: " + last_checkpoint);
    return last_checkpoint;
}

}  // namespace tb::train
