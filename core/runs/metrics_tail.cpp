#include "runs/metrics_tail.h"

#include <sys/stat.h>

#include <fstream>

#include <nlohmann/json.hpp>

namespace tb::runs {
namespace {

double number_or_nan(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : NAN;
}

}  // namespace

bool parse_metrics_record(const std::string& line, MetricsRecord& out) {
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object())
        return false;
    const auto kind = j.find("kind");
    const auto step = j.find("step");
    if (kind == j.end() || !kind->is_string() || step == j.end() || !step->is_number_integer())
        return false;
    out = MetricsRecord{};
    out.kind = kind->get<std::string>();
    out.step = step->get<std::int64_t>();
    if (const auto e = j.find("epoch"); e != j.end() && e->is_number_integer())
        out.epoch = e->get<int>();
    out.loss = number_or_nan(j, "loss");
    out.learning_rate = number_or_nan(j, "learning_rate");
    out.grad_norm = number_or_nan(j, "grad_norm");
    if (const auto r = j.find("report"); r != j.end() && r->is_object()) {
        out.accuracy = number_or_nan(*r, "accuracy");
        if (const auto m = r->find("macro avg"); m != r->end() && m->is_object())
            out.macro_f1 = number_or_nan(*m, "f1");
        out.report_json = r->dump();
    }
    return true;
}

MetricsTail::MetricsTail(std::string path) : path_(std::move(path)) {}

std::vector<MetricsRecord> MetricsTail::poll() {
    std::vector<MetricsRecord> records;
    restarted_ = false;
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0)
        return records;  // not created yet (or removed): nothing new
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const auto inode = static_cast<std::uint64_t>(st.st_ino);
    if ((inode_ != 0 && inode != inode_) || size < offset_) {
        offset_ = 0;  // replaced or truncated: read it again from the start
        partial_.clear();
        restarted_ = true;
    }
    inode_ = inode;
    if (size == offset_)
        return records;
    std::ifstream in(path_, std::ios::binary);
    if (!in)
        return records;
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string chunk(static_cast<std::size_t>(size - offset_), '\0');
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    chunk.resize(static_cast<std::size_t>(in.gcount()));
    offset_ += chunk.size();
    partial_ += chunk;
    std::size_t begin = 0;
    for (std::size_t nl; (nl = partial_.find('\n', begin)) != std::string::npos; begin = nl + 1) {
        const std::string line = partial_.substr(begin, nl - begin);
        if (line.empty())
            continue;
        MetricsRecord r;
        if (parse_metrics_record(line, r))
            records.push_back(std::move(r));
        else
            ++skipped_;
    }
    partial_.erase(0, begin);
    return records;
}

}  // namespace tb::runs
