// `tunebench-cli train`: runs an experiment with console progress; SIGINT/SIGTERM cancel
// gracefully (checkpoint saved, run marked cancelled, exit 130), a second one stops at once;
// SIGUSR1 saves a checkpoint after the current step and goes on.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "commands.h"
#include "common/error.h"
#include "console_progress.h"
#include "io/yaml_overrides.h"
#include "train/dry_run.h"
#include "train/trainer.h"

namespace tb::cli {
namespace {

std::atomic<int> g_interrupts{0};
std::atomic<int> g_checkpoint_requests{0};

extern "C" void on_checkpoint_signal(int) {
    g_checkpoint_requests.fetch_add(1);
}

extern "C" void on_interrupt(int) {
    // The second interrupt stops now: checkpoints are written atomically, so the newest
    // complete one stays loadable; only the run.json state is left behind as "running".
    if (g_interrupts.fetch_add(1) >= 1)
        std::_Exit(130);
}

}  // namespace

// Runs `run` with SIGINT/SIGTERM forwarded to control.cancel(). RunControl takes a mutex, which
// a signal handler must not, so a watcher thread does the forwarding.
train::RunResult run_with_signals(train::RunControl& control, ConsoleProgress& progress,
                                  const std::function<train::RunResult()>& run) {
    g_interrupts.store(0);
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    std::signal(SIGUSR1, on_checkpoint_signal);
    std::atomic<bool> done{false};
    std::thread watcher([&] {
        while (!done.load()) {
            if (g_interrupts.load() > 0 && !control.is_cancelled()) {
                progress.print_line(
                    "interrupt: cancelling after the current step; a checkpoint is saved "
                    "(interrupt again to stop at once)",
                    /*to_stderr=*/true);
                control.cancel();
            }
            if (g_checkpoint_requests.exchange(0) > 0) {
                progress.print_line("signal: saving a checkpoint after the current step");
                control.request_checkpoint();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    const auto result = run();
    done.store(true);
    watcher.join();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGUSR1, SIG_DFL);
    return result;
}

int exit_code_for(const train::RunResult& result) {
    switch (result.state) {
        case train::RunState::Finished:
            return 0;
        case train::RunState::Cancelled:
            return 130;
        default:
            return 1;
    }
}

void print_run_summary(const train::RunResult& result) {
    std::printf("%s in %s\n", train::run_state_name(result.state).c_str(),
                format_hms(result.wall_seconds).c_str());
    if (!result.run_dir.empty())
        std::printf("run folder: %s\n", result.run_dir.c_str());
    if (!result.last_checkpoint.empty())
        std::printf("checkpoint: %s\n", result.last_checkpoint.c_str());
    if (!result.run_dir.empty())
        std::printf("metrics: %s/metrics.csv\n", result.run_dir.c_str());
    std::fflush(stdout);
}

bool load_config_or_report(const TrainOptions& options, io::ExperimentConfig& config) {
    try {
        std::vector<io::YamlOverride> overrides;
        for (const auto& s : options.overrides)
            overrides.push_back(io::parse_yaml_override(s));
        config = io::load_experiment_with_overrides(options.experiment, overrides);
        return true;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return false;
    }
}

int run_dry_run(const io::ExperimentConfig& config, bool json) {
    try {
        const auto report = train::dry_run(config, [json](const std::string& line) {
            if (!json)
                std::fprintf(stderr, "%s\n", line.c_str());
        });
        std::printf("%s", json ? (train::dry_run_to_json(report) + "\n").c_str()
                               : train::dry_run_to_text(report).c_str());
        if (!json)
            std::printf("dry run: the experiment is valid; nothing was written\n");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;  // the same exit code a bad config gets: nothing ran
    }
}

int run_train(const TrainOptions& options) {
    io::ExperimentConfig config;
    if (!load_config_or_report(options, config))
        return 2;
    if (options.dry_run)
        return run_dry_run(config, options.json);
    if (options.find_batch_size)
        return run_find_batch_size(config, options.max_batch_size, options.json);

    train::RunControl control;
    ConsoleProgress progress(options.quiet, isatty(STDOUT_FILENO) == 1);
    const auto result = run_with_signals(control, progress, [&] {
        train::Trainer trainer(std::move(config), progress, control);
        return trainer.run();
    });
    progress.end_status();
    print_run_summary(result);
    return exit_code_for(result);
}

}  // namespace tb::cli
