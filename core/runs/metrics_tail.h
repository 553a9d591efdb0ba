// Follows a run's growing metrics.jsonl (like `tail -f`): each poll returns the records
// appended since the last one. Used to watch a run written by another process or machine.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace tb::runs {

struct MetricsRecord {
    std::string kind;  // "train" | "dev" | "test"
    int epoch = 0;
    std::int64_t step = 0;
    double loss = NAN;
    double learning_rate = NAN;  // train records
    double grad_norm = NAN;      // train records
    double accuracy = NAN;       // evaluation records
    double macro_f1 = NAN;       // evaluation records
    std::string report_json;     // evaluation records: the full classification report
};

class MetricsTail {
public:
    explicit MetricsTail(std::string path);

    // New complete records since the previous call. A trailing line without '\n' is still being
    // written and waits for the next poll. A file that shrank or was replaced starts over: then
    // restarted() is true until the next poll, and the caller should clear what it showed.
    // Malformed lines are counted in skipped_lines(), never thrown.
    std::vector<MetricsRecord> poll();

    bool restarted() const { return restarted_; }
    std::int64_t skipped_lines() const { return skipped_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::uint64_t offset_ = 0;
    std::uint64_t inode_ = 0;
    std::string partial_;
    bool restarted_ = false;
    std::int64_t skipped_ = 0;
};

// Parses one metrics.jsonl line. Returns false for a line that is not a metrics record.
bool parse_metrics_record(const std::string& line, MetricsRecord& out);

}  // namespace tb::runs
