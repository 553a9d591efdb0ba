#include "train/resume_plan.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "io/checkpoint.h"
#include "train/checkpoint_catalog.h"

namespace fs = std::filesystem;

namespace tb::train {
namespace {

// "section.key" -> value text, from to_yaml's two-level layout.
std::map<std::string, std::string> flatten(const io::ExperimentConfig& config) {
    std::map<std::string, std::string> out;
    std::istringstream lines(io::to_yaml(config));
    std::string line, section;
    while (std::getline(lines, line)) {
        const auto colon = line.find(": ");
        const bool indented = !line.empty() && line[0] == ' ';
        if (!indented && colon == std::string::npos && !line.empty() && line.back() == ':') {
            section = line.substr(0, line.size() - 1);
            continue;
        }
        if (colon == std::string::npos)
            continue;
        const auto start = line.find_first_not_of(' ');
        const std::string key = line.substr(start, colon - start);
        out[(indented ? section + "." : "") + key] = line.substr(colon + 2);
    }
    return out;
}

const std::set<std::string>& changeable_keys() {
    static const std::set<std::string> keys = {
        "name",
        "dataset.path",  // a moved file is fine: the data hash decides whether it is the same data
        "dataset.dev_path",
        "dataset.test_path",
        "model.path",  // likewise: weights come from the checkpoint, the vocabulary is compared
        "training.epochs",
        "training.max_steps",
        "training.eval_batch_size",
        "training.device",
        "training.log_every_steps",
        "training.threads",
        "training.eval_every_steps",
        "training.early_stopping_metric",
        "training.early_stopping_patience",
        "training.early_stopping_min_delta",
        "training.nan_policy",
        "training.prefetch_batches",
        "training.allow_tf32",
        "output.runs_dir",
        "output.run_name",
        "output.keep_last_checkpoints",
        "output.checkpoint_every_steps",
        "output.checkpoint_each_epoch",
        "output.best_metric",
    };
    return keys;
}

nlohmann::json read_json_file(const fs::path& path) {
    std::ifstream in(path);
    if (!in)
        return nlohmann::json::object();
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception&) {
        return nlohmann::json::object();
    }
}

}  // namespace

std::string config_hash(const io::ExperimentConfig& config) {
    const std::string text = io::to_yaml(config);
    std::uint64_t hash = 1469598103934665603ULL;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

std::vector<ConfigDifference> config_differences(const io::ExperimentConfig& before,
                                                 const io::ExperimentConfig& after) {
    const auto a = flatten(before), b = flatten(after);
    std::vector<ConfigDifference> out;
    for (const auto& [key, value] : a) {
        auto it = b.find(key);
        const std::string other = it == b.end() ? "" : it->second;
        if (other != value)
            out.push_back({key, value, other});
    }
    for (const auto& [key, value] : b)
        if (a.count(key) == 0)
            out.push_back({key, "", value});
    return out;
}

std::vector<ConfigDifference> check_resume_compatible(const io::ExperimentConfig& checkpointed,
                                                      const io::ExperimentConfig& now) {
    std::vector<ConfigDifference> allowed;
    std::string refused;
    for (auto& d : config_differences(checkpointed, now)) {
        if (changeable_keys().count(d.key) != 0) {
            allowed.push_back(d);
        } else {
            refused +=
                (refused.empty() ? "" : "; ") + d.key + " was " + d.before + ", now " + d.after;
        }
    }
    if (!refused.empty())
        throw Error(
            "cannot resume: the experiment differs from the checkpoint's in settings that "
            "change the training itself (" +
                refused + "). Resume with the checkpoint's settings, or start a new run.",
            SourceLocation{{}, 0, 0, ""});
    return allowed;
}

ResumePlan plan_resume(const std::string& run_dir_or_checkpoint, const std::string& which) {
    ResumePlan plan;
    plan.checkpoint = select_checkpoint(run_dir_or_checkpoint, which);
    const io::Checkpoint header = io::load_checkpoint_header(plan.checkpoint);
    if (header.config_yaml.empty())
        throw Error("the checkpoint holds no experiment (/config) to resume with",
                    SourceLocation{plan.checkpoint, 0, 0, "config"});
    plan.config = io::parse_experiment(header.config_yaml, plan.checkpoint + ":/config");
    plan.epoch = header.trainer.epoch;
    plan.global_step = header.trainer.global_step;
    plan.parent_run_dir = run_dir_of_checkpoint(plan.checkpoint);
    if (!plan.parent_run_dir.empty()) {
        const auto status = read_json_file(fs::path(plan.parent_run_dir) / "run.json");
        if (status.contains("experiment_dir") && status["experiment_dir"].is_string())
            plan.config.base_dir = status["experiment_dir"].get<std::string>();
    }
    return plan;
}

std::string run_dir_of_checkpoint(const std::string& checkpoint) {
    std::error_code ec;
    const fs::path folder = fs::absolute(checkpoint, ec).parent_path();
    if (ec || folder.filename() != "checkpoints" || !fs::exists(folder.parent_path() / "run.json"))
        return "";
    return folder.parent_path().lexically_normal().string();
}

void copy_metrics_prefix(const std::string& parent_run_dir, const std::string& run_dir,
                         std::int64_t max_step) {
    std::ifstream jsonl(parent_run_dir + "/metrics.jsonl");
    std::ofstream jsonl_out(run_dir + "/metrics.jsonl", std::ios::app);
    std::string line;
    while (jsonl && std::getline(jsonl, line)) {
        try {
            const auto row = nlohmann::json::parse(line);
            if (row.value("kind", "") != "test" && row.value("step", std::int64_t{0}) <= max_step)
                jsonl_out << line << '\n';
        } catch (const nlohmann::json::exception&) {
            // A torn last line of a killed run: not part of the history.
        }
    }
    std::ifstream csv(parent_run_dir + "/metrics.csv");
    std::ofstream csv_out(run_dir + "/metrics.csv", std::ios::app);
    bool header = true;
    while (csv && std::getline(csv, line)) {
        if (header) {  // the header is written by MetricsLog when it opens an empty file
            csv_out << line << '\n';
            header = false;
            continue;
        }
        // kind,epoch,step,...
        const auto c1 = line.find(',');
        const auto c2 = c1 == std::string::npos ? c1 : line.find(',', c1 + 1);
        const auto c3 = c2 == std::string::npos ? c2 : line.find(',', c2 + 1);
        if (c3 == std::string::npos)
            continue;
        if (line.compare(0, c1, "test") == 0)
            continue;
        const std::int64_t step = std::strtoll(line.c_str() + c2 + 1, nullptr, 10);
        if (step <= max_step)
            csv_out << line << '\n';
    }
    jsonl_out.flush();
    csv_out.flush();
    if (!jsonl_out || !csv_out)
        throw Error("cannot write the metrics log of the resumed run",
                    SourceLocation{run_dir, 0, 0, ""});
}

}  // namespace tb::train
