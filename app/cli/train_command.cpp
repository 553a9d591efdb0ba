// `tunebench-cli train`: runs an experiment with console progress; SIGINT cancels gracefully
// (checkpoint saved, run marked cancelled), a second SIGINT stops immediately.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "commands.h"
#include "common/error.h"
#include "io/experiment_config.h"
#include "train/trainer.h"

namespace tb::cli {
namespace {

std::atomic<int> g_interrupts{0};

extern "C" void on_sigint(int) {
    if (g_interrupts.fetch_add(1) >= 1)
        std::_Exit(130);
}

std::string hms(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return buf;
}

class ConsoleObserver : public train::TrainingObserver {
public:
    explicit ConsoleObserver(bool quiet) : quiet_(quiet) {}
    void on_start(const train::RunInfo& info) override {
        // The run folder was already printed by the trainer's first log line.
        std::printf("device: %s, %lld parameters, %lld steps (%d epochs x %lld)\n",
                    info.device.c_str(), static_cast<long long>(info.parameters),
                    static_cast<long long>(info.total_steps), info.epochs,
                    static_cast<long long>(info.steps_per_epoch));
        std::fflush(stdout);
        report_every_ = std::max<std::int64_t>(1, info.total_steps / 50);
    }
    void on_step(const train::StepMetrics& m) override {
        if (quiet_ || (m.step % report_every_ != 0 && m.step != m.total_steps))
            return;
        std::printf("epoch %d  step %lld/%lld  loss %.4f  lr %.2e  elapsed %s  eta %s\n", m.epoch,
                    static_cast<long long>(m.step), static_cast<long long>(m.total_steps), m.loss,
                    m.learning_rate, hms(m.elapsed_seconds).c_str(), hms(m.eta_seconds).c_str());
        std::fflush(stdout);
    }
    void on_log(const std::string& line) override {
        if (!quiet_ || line.rfind("dev ", 0) == 0 || line.rfind("test ", 0) == 0) {
            std::printf("%s\n", line.c_str());
            std::fflush(stdout);
        }
    }
    void on_error(const std::string& message) override {
        std::fprintf(stderr, "error: %s\n", message.c_str());
    }

private:
    bool quiet_;
    std::int64_t report_every_ = 1;
};

}  // namespace

int run_train(const std::string& experiment_path, bool quiet) {
    io::ExperimentConfig config;
    try {
        config = io::load_experiment(experiment_path);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
    train::RunControl control;
    ConsoleObserver observer(quiet);
    std::signal(SIGINT, on_sigint);
    std::signal(SIGTERM, on_sigint);
    // RunControl::cancel() takes a mutex, which a signal handler must not: a watcher forwards it.
    std::atomic<bool> done{false};
    std::thread watcher([&] {
        while (!done.load()) {
            if (g_interrupts.load() > 0 && !control.is_cancelled()) {
                std::fprintf(stderr,
                             "interrupt: cancelling after the current step (again to stop now)\n");
                control.cancel();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    train::Trainer trainer(std::move(config), observer, control);
    const auto result = trainer.run();
    done.store(true);
    watcher.join();
    std::signal(SIGINT, SIG_DFL);

    std::printf("%s in %s\n", train::run_state_name(result.state).c_str(),
                hms(result.wall_seconds).c_str());
    if (!result.run_dir.empty())
        std::printf("run folder: %s\n", result.run_dir.c_str());
    if (!result.last_checkpoint.empty())
        std::printf("checkpoint: %s\n", result.last_checkpoint.c_str());
    if (!result.run_dir.empty())
        std::printf("metrics: %s/metrics.csv\n", result.run_dir.c_str());
    switch (result.state) {
        case train::RunState::Finished:
            return 0;
        case train::RunState::Cancelled:
            return 130;
        default:
            return 1;
    }
}

}  // namespace tb::cli
