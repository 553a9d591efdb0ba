#include "console_progress.h"

#include <algorithm>
#include <cstdio>

namespace tb::cli {

std::string format_hms(double seconds) {
    const long s = static_cast<long>(std::max(0.0, seconds) + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return buf;
}

ConsoleProgress::ConsoleProgress(bool quiet, bool interactive)
    : quiet_(quiet), interactive_(interactive) {}

ConsoleProgress::~ConsoleProgress() {
    if (!status_.empty())
        std::printf("\n");
    std::fflush(stdout);
}

void ConsoleProgress::end_status() {
    if (interactive_ && !status_.empty()) {
        std::printf("\n");
        std::fflush(stdout);
    }
    status_.clear();
}

void ConsoleProgress::clear_status() {
    if (interactive_ && !status_.empty()) {
        std::printf("\r\033[2K");  // carriage return + erase the whole line
        std::fflush(stdout);
    }
}

void ConsoleProgress::draw_status() {
    if (interactive_ && !status_.empty()) {
        std::printf("\r\033[2K%s", status_.c_str());
        std::fflush(stdout);
    }
}

void ConsoleProgress::print_line(const std::string& line, bool to_stderr) {
    clear_status();
    std::fprintf(to_stderr ? stderr : stdout, "%s\n", line.c_str());
    std::fflush(to_stderr ? stderr : stdout);
    draw_status();
}

void ConsoleProgress::on_start(const train::RunInfo& info) {
    epochs_ = info.epochs;
    char line[256];
    std::snprintf(line, sizeof line, "device: %s, %lld parameters (%lld trainable), %lld steps",
                  info.device.c_str(), static_cast<long long>(info.parameters),
                  static_cast<long long>(info.trainable_parameters),
                  static_cast<long long>(info.total_steps));
    print_line(line);
    // Plain output: about 50 progress lines per run, enough to follow, few enough to read.
    report_every_ = std::max<std::int64_t>(1, info.total_steps / 50);
}

void ConsoleProgress::on_step(const train::StepMetrics& m) {
    if (quiet_)
        return;
    const double fraction =
        m.total_steps > 0 ? static_cast<double>(m.step) / static_cast<double>(m.total_steps) : 0;
    if (interactive_) {
        constexpr int kWidth = 24;
        const int filled = std::clamp(static_cast<int>(fraction * kWidth + 0.5), 0, kWidth);
        char line[256];
        std::snprintf(line, sizeof line,
                      "epoch %d/%d [%s%s] %3.0f%%  step %lld/%lld  loss %.4f  lr %.2e  eta %s",
                      m.epoch, epochs_, std::string(static_cast<std::size_t>(filled), '#').c_str(),
                      std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(),
                      100.0 * fraction, static_cast<long long>(m.step),
                      static_cast<long long>(m.total_steps), m.loss, m.learning_rate,
                      format_hms(m.eta_seconds).c_str());
        status_ = line;
        draw_status();
        return;
    }
    if (m.step % report_every_ != 0 && m.step != m.total_steps)
        return;
    std::printf("epoch %d  step %lld/%lld  loss %.4f  lr %.2e  elapsed %s  eta %s\n", m.epoch,
                static_cast<long long>(m.step), static_cast<long long>(m.total_steps), m.loss,
                m.learning_rate, format_hms(m.elapsed_seconds).c_str(),
                format_hms(m.eta_seconds).c_str());
    std::fflush(stdout);
}

void ConsoleProgress::on_log(const std::string& line) {
    // Quiet keeps what a script wants to grep: evaluation results.
    if (!quiet_ || line.rfind("dev ", 0) == 0 || line.rfind("test ", 0) == 0)
        print_line(line);
}

void ConsoleProgress::on_error(const std::string& message) {
    print_line("error: " + message, /*to_stderr=*/true);
}

void ConsoleProgress::on_state(train::RunState state) {
    if (state == train::RunState::Paused || state == train::RunState::Cancelling)
        print_line("state: " + train::run_state_name(state));
}

}  // namespace tb::cli
