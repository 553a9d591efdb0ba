// `tunebench-cli resume|eval|predict`: continue a run from a checkpoint, score a labelled file,
// and label stdin lines with a trained checkpoint.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "common/error.h"
#include "console_progress.h"
#include "io/yaml_overrides.h"
#include "metrics/regression_report.h"
#include "metrics/report_json.h"
#include "train/inference_session.h"
#include "train/resume_plan.h"
#include "train/trainer.h"

namespace tb::cli {

int run_resume(const ResumeOptions& options) {
    train::ResumePlan plan;
    io::ExperimentConfig config;
    try {
        plan = train::plan_resume(options.run_dir, options.checkpoint);
        config = plan.config;
        if (!options.overrides.empty()) {
            // Overrides apply to the experiment the checkpoint was trained with; the Trainer
            // then refuses any change that would alter the continued training's math.
            std::vector<io::YamlOverride> overrides;
            for (const auto& s : options.overrides)
                overrides.push_back(io::parse_yaml_override(s));
            config = io::parse_experiment(
                io::apply_yaml_overrides(io::to_yaml(plan.config), overrides), plan.checkpoint);
            config.base_dir = plan.config.base_dir;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
    std::printf("resuming from %s (epoch %d, step %lld)\n", plan.checkpoint.c_str(), plan.epoch,
                static_cast<long long>(plan.global_step));
    std::fflush(stdout);
    train::RunControl control;
    ConsoleProgress progress(options.quiet, isatty(STDOUT_FILENO) == 1);
    train::TrainerOptions trainer_options;
    trainer_options.resume_from = plan.checkpoint;
    const auto result = run_with_signals(control, progress, [&] {
        train::Trainer trainer(std::move(config), progress, control, trainer_options);
        return trainer.run();
    });
    progress.end_status();
    print_run_summary(result);
    return exit_code_for(result);
}

int run_eval(const EvalOptions& options) {
    try {
        train::InferenceOptions io_options;
        io_options.device = options.device;
        const auto session = train::InferenceSession::open(options.checkpoint, io_options);
        const auto result =
            session->evaluate_file(options.data, options.text_column, options.label_column);
        for (const auto& p : result.problems)
            std::fprintf(stderr, "skipped: %s\n", p.c_str());
        const bool regression = result.task == "regression";
        const auto thresholds = session->thresholds();
        if (options.text) {
            std::printf("checkpoint: %s\ntask: %s\n", session->checkpoint_path().c_str(),
                        result.task.c_str());
            if (regression) {
                const auto details = nlohmann::json::parse(result.details_json)["regression"];
                metrics::RegressionReport r;
                r.count = details["count"];
                r.mse = details["mse"];
                r.rmse = details["rmse"];
                r.mae = details["mae"];
                r.r2 = details["r2"];
                r.pearson = details["pearson"];
                r.spearman = details["spearman"];
                std::printf("%s", metrics::regression_report_to_text(r).c_str());
            } else {
                std::printf("%s", metrics::report_to_text(result.report).c_str());
                if (!result.details_json.empty())
                    std::printf("%s\n", nlohmann::json::parse(result.details_json).dump(2).c_str());
            }
            if (!thresholds.empty()) {
                std::printf("thresholds:");
                for (std::size_t k = 0; k < thresholds.size(); ++k)
                    std::printf(" %s=%.4g", session->labels()[k].c_str(), thresholds[k]);
                std::printf("\n");
            }
        } else {
            // Regression has no per-class table: its numbers are under "regression".
            auto j = regression ? nlohmann::json::object() : metrics::report_to_json(result.report);
            j["task"] = result.task;
            if (!result.scores.empty())
                j["scores"] = result.scores;
            if (regression)
                j["regression"] = nlohmann::json::parse(result.details_json)["regression"];
            else if (!thresholds.empty())
                j["thresholds"] = thresholds;
            if (!result.details_json.empty() && !regression)
                j["details"] = nlohmann::json::parse(result.details_json);
            j["checkpoint"] = session->checkpoint_path();
            j["data"] = options.data;
            j["loss"] = result.loss;
            j["skipped_rows"] = result.skipped_rows;
            std::printf("%s\n", j.dump(2).c_str());
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}

int run_predict(const PredictOptions& options) {
    std::unique_ptr<train::InferenceSession> session;
    try {
        train::InferenceOptions io_options;
        io_options.device = options.device;
        session = train::InferenceSession::open(options.checkpoint, io_options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    const auto& labels = session->labels();
    const bool multi_label = session->task() == "multi_label";
    const bool regression = session->task() == "regression";
    // Lines are predicted in chunks so a long stdin streams instead of waiting for EOF.
    std::vector<std::string> chunk;
    auto flush = [&] {
        for (const auto& p : session->predict(chunk)) {
            nlohmann::json line;
            if (regression) {
                line["value"] = p.value;
            } else if (!p.words.empty() || !p.word_tags.empty()) {  // token classification
                line["tokens"] = nlohmann::json::array();
                for (std::size_t w = 0; w < p.words.size(); ++w)
                    line["tokens"].push_back(
                        {p.words[w], labels[static_cast<std::size_t>(p.word_tags[w])]});
            } else {
                nlohmann::json probs = nlohmann::json::object();
                for (std::size_t k = 0; k < labels.size(); ++k)
                    probs[labels[k]] = p.probabilities[k];
                if (multi_label) {
                    line["labels"] = nlohmann::json::array();
                    for (int k : p.label_set)
                        line["labels"].push_back(labels[static_cast<std::size_t>(k)]);
                } else {
                    line["label"] = labels[static_cast<std::size_t>(p.label)];
                }
                line["probabilities"] = probs;
            }
            std::printf("%s\n", line.dump().c_str());
        }
        std::fflush(stdout);
        chunk.clear();
    };
    try {
        for (std::string line; std::getline(std::cin, line);) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            chunk.push_back(line);
            if (chunk.size() >= 64)
                flush();
        }
        flush();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}

}  // namespace tb::cli
