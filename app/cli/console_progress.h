// Console output of a training run: a redrawn progress bar with ETA on a terminal, plain
// timestamped lines otherwise (logs, pipes, cluster job files), so both read well.
#pragma once

#include <cstdint>
#include <string>

#include "train/training_observer.h"

namespace tb::cli {

std::string format_hms(double seconds);  // "1:02:03"

class ConsoleProgress : public train::TrainingObserver {
public:
    // interactive: redraw one status line with '\r' (stdout is a terminal).
    ConsoleProgress(bool quiet, bool interactive);
    ~ConsoleProgress() override;

    void on_start(const train::RunInfo& info) override;
    void on_step(const train::StepMetrics& m) override;
    void on_log(const std::string& line) override;
    void on_error(const std::string& message) override;
    void on_state(train::RunState state) override;

    // Leaves the status line as it is and moves below it (interactive mode; else no-op).
    void end_status();
    // Prints a message above the status line without garbling it.
    void print_line(const std::string& line, bool to_stderr = false);

private:
    void draw_status();
    void clear_status();

    bool quiet_;
    bool interactive_;
    std::string status_;  // the status line currently shown (interactive mode)
    std::int64_t report_every_ = 1;
    int epochs_ = 0;
};

}  // namespace tb::cli
