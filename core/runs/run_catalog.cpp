#include "runs/run_catalog.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace tb::runs {
namespace {

namespace fs = std::filesystem;

std::int64_t mtime_unix(const fs::path& p) {
    std::error_code ec;
    const auto t = fs::last_write_time(p, ec);
    if (ec)
        return 0;
    // file_clock has no portable to_time_t in C++17: shift by the clocks' current offset.
    const auto now_file = fs::file_time_type::clock::now();
    const auto now_sys = std::chrono::system_clock::now();
    const auto sys =
        now_sys + std::chrono::duration_cast<std::chrono::system_clock::duration>(t - now_file);
    return std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
}

std::string text_field(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    return it->dump();
}

}  // namespace

RunSummary read_run_summary(const std::string& run_dir) {
    RunSummary r;
    const fs::path dir(run_dir);
    r.path = run_dir;
    r.name = dir.filename().string();
    r.state = "unknown";
    for (const char* f : {"run.json", "metrics.jsonl", "console.log"})
        r.last_activity = std::max(r.last_activity, mtime_unix(dir / f));
    std::ifstream in(dir / "run.json", std::ios::binary);
    if (!in) {
        r.problem = "no run.json in " + run_dir;
        return r;
    }
    nlohmann::json j;
    try {
        in >> j;
    } catch (const nlohmann::json::exception& e) {
        r.problem = "run.json is not valid JSON (" + std::string(e.what()) + ")";
        return r;
    }
    if (!j.is_object()) {
        r.problem = "run.json is not a JSON object";
        return r;
    }
    r.state = text_field(j, "state");
    if (r.state.empty())
        r.state = "unknown";
    r.experiment = text_field(j, "experiment");
    r.device = text_field(j, "device");
    r.started = text_field(j, "started");
    r.ended = text_field(j, "ended");
    r.error = text_field(j, "error");
    r.last_checkpoint = text_field(j, "last_checkpoint");
    r.best_checkpoint = text_field(j, "best_checkpoint");
    if (const auto it = j.find("resumed_from"); it != j.end() && it->is_object())
        r.resumed_from = text_field(*it, "run_dir");
    if (const auto it = j.find("wall_seconds"); it != j.end() && it->is_number())
        r.wall_seconds = it->get<double>();
    return r;
}

std::vector<RunSummary> list_runs(const std::string& runs_dir) {
    std::vector<RunSummary> runs;
    std::error_code ec;
    for (fs::directory_iterator it(runs_dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (!it->is_directory(type_ec) || !fs::exists(it->path() / "run.json", type_ec))
            continue;
        runs.push_back(read_run_summary(it->path().string()));
    }
    std::sort(runs.begin(), runs.end(), [](const RunSummary& a, const RunSummary& b) {
        if (a.started != b.started)
            return a.started > b.started;  // ISO-8601 UTC sorts as text
        return a.name > b.name;
    });
    return runs;
}

std::string display_state(const RunSummary& run, std::int64_t now_unix,
                          std::int64_t stale_after_seconds) {
    if (run.state == "running" && run.last_activity > 0 &&
        now_unix - run.last_activity > stale_after_seconds)
        return "running?";
    return run.state;
}

}  // namespace tb::runs
