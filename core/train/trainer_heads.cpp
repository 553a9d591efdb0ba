// The Trainer's task-specific set-up: regression target normalisation, multi-label thresholds,
// FGM adversarial training and the dev metric a task can be selected on.
#include <cstdio>

#include "common/error.h"
#include "model/task_head.h"
#include "train/trainer_impl.h"

namespace tb::train {

namespace {

bool is_regression_metric(const std::string& name) {
    return name == "dev_mse" || name == "dev_rmse" || name == "dev_mae" || name == "dev_r2";
}

}  // namespace

std::string Trainer::Impl::effective_metric(const std::string& name) const {
    const bool regression = config.dataset.task == "regression";
    if (regression && name != "dev_loss" && !is_regression_metric(name))
        return "dev_mse";  // classification scores do not exist for a regression run
    return name;
}

void Trainer::Impl::check_metrics() {
    const bool regression = config.dataset.task == "regression";
    const std::pair<const char*, std::string> keys[] = {
        {"output.best_metric", config.output.best_metric},
        {"training.early_stopping_metric", config.training.early_stopping_metric}};
    for (const auto& [key, name] : keys) {
        if (!regression && is_regression_metric(name))
            throw Error(std::string(key) + " " + name +
                            " is a regression metric but dataset.task is " + config.dataset.task +
                            "; use dev_macro_f1, dev_weighted_f1, dev_micro_f1, dev_accuracy or "
                            "dev_loss",
                        SourceLocation{{}, 0, 0, key});
        if (effective_metric(name) != name)
            log(std::string(key) + " " + name + " does not apply to regression; using " +
                effective_metric(name));
    }
}

void Trainer::Impl::configure_head() {
    if (!model->text())
        return;  // image classifiers have no head state
    auto& head = model->text()->head();
    const auto& m = config.model;
    if (model->kind() == model::HeadKind::Regression) {
        // Fitted on the training split only; the checkpoint stores it (regression_target) and a
        // resumed run or an inference session restores it with the weights.
        const auto fitted = model::fit_target_normalization(data.train.values);
        head.set_target_normalization(fitted);
        char line[160];
        std::snprintf(line, sizeof line,
                      "regression targets: mean %.6g, standard deviation %.6g (training split)",
                      fitted.mean, fitted.std);
        log(line);
    }
    if (model->kind() == model::HeadKind::MultiLabel) {
        const std::size_t n = data.labels.size();
        std::vector<float> thresholds(n, static_cast<float>(m.multi_label_threshold));
        if (m.multi_label_thresholds == "list") {
            if (m.multi_label_threshold_values.size() != n)
                throw Error("model.multi_label_thresholds lists " +
                                std::to_string(m.multi_label_threshold_values.size()) +
                                " thresholds but the data has " + std::to_string(n) +
                                " labels; give one per label in label order",
                            SourceLocation{{}, 0, 0, "model.multi_label_thresholds"});
            thresholds.assign(m.multi_label_threshold_values.begin(),
                              m.multi_label_threshold_values.end());
        }
        head.set_thresholds(thresholds);
    } else if (m.multi_label_thresholds != "fixed" && config.dataset.task != "multi_label") {
        log("model.multi_label_thresholds applies to multi_label data only; ignored");
    }
}

void Trainer::Impl::configure_adversarial() {
    const auto& t = config.training;
    if (t.adversarial != "fgm")
        return;
    if (!(t.adversarial_epsilon > 0.0)) {
        log("adversarial training: FGM with epsilon 0 changes nothing; off");
        return;
    }
    auto weight = model->word_embeddings();
    if (!weight.defined())
        throw Error(
            "training.adversarial: fgm perturbs a text model's word-embedding table (Hugging "
            "Face encoders, model.architecture: bilstm / bilstm_char, fastText models); image "
            "models have none. Set training.adversarial: none",
            SourceLocation{{}, 0, 0, "training.adversarial"});
    if (!weight.requires_grad())
        throw Error(
            "training.adversarial: fgm moves the word embeddings along their gradient, but they "
            "are frozen (model.freeze_embeddings or model.lora; fastText: "
            "model.freeze_backbone); unfreeze them or set training.adversarial: none",
            SourceLocation{{}, 0, 0, "training.adversarial"});
    fgm = std::make_unique<model::Fgm>(weight, t.adversarial_epsilon);
    char line[128];
    std::snprintf(line, sizeof line,
                  "adversarial training: FGM on the word embeddings, epsilon %g (a second "
                  "forward and backward pass per batch)",
                  t.adversarial_epsilon);
    log(line);
}

}  // namespace tb::train
