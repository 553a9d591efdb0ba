#include "metrics/regression_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "common/error.h"

namespace tb::metrics {
namespace {

double mean(const std::vector<double>& v) {
    double sum = 0.0;
    for (double x : v)
        sum += x;
    return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

// Pearson correlation; 0 when either side has no variance (scipy returns NaN there).
double correlation(const std::vector<double>& a, const std::vector<double>& b) {
    const double ma = mean(a), mb = mean(b);
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (!(saa > 0.0) || !(sbb > 0.0))
        return 0.0;
    return std::clamp(sab / std::sqrt(saa * sbb), -1.0, 1.0);
}

}  // namespace

std::vector<double> average_ranks(const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return values[x] < values[y]; });
    std::vector<double> ranks(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]])
            ++j;
        const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (std::size_t k = i; k <= j; ++k)
            ranks[order[k]] = rank;
        i = j + 1;
    }
    return ranks;
}

RegressionReport regression_report(const std::vector<double>& truth,
                                   const std::vector<double>& predicted) {
    if (truth.size() != predicted.size())
        throw Error("regression_report: " + std::to_string(truth.size()) + " true values but " +
                        std::to_string(predicted.size()) + " predictions",
                    SourceLocation{{}, 0, 0, ""});
    RegressionReport r;
    r.count = static_cast<std::int64_t>(truth.size());
    if (truth.empty())
        return r;
    const double n = static_cast<double>(truth.size());
    r.truth_mean = mean(truth);
    r.prediction_mean = mean(predicted);
    double squares = 0.0, absolute = 0.0, total = 0.0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const double e = truth[i] - predicted[i];
        squares += e * e;
        absolute += std::abs(e);
        total += (truth[i] - r.truth_mean) * (truth[i] - r.truth_mean);
    }
    r.mse = squares / n;
    r.rmse = std::sqrt(r.mse);
    r.mae = absolute / n;
    // sklearn (force_finite): a constant truth scores 1 when predicted exactly, else 0.
    if (total > 0.0)
        r.r2 = 1.0 - squares / total;
    else
        r.r2 = squares == 0.0 ? 1.0 : 0.0;
    r.pearson = correlation(truth, predicted);
    r.spearman = correlation(average_ranks(truth), average_ranks(predicted));
    return r;
}

nlohmann::json regression_report_to_json(const RegressionReport& r) {
    return {{"count", r.count},
            {"mse", r.mse},
            {"rmse", r.rmse},
            {"mae", r.mae},
            {"r2", r.r2},
            {"pearson", r.pearson},
            {"spearman", r.spearman},
            {"truth_mean", r.truth_mean},
            {"prediction_mean", r.prediction_mean}};
}

std::string regression_report_to_text(const RegressionReport& r, int digits) {
    std::string out;
    char line[96];
    const std::pair<const char*, double> rows[] = {
        {"mse", r.mse}, {"rmse", r.rmse},       {"mae", r.mae},
        {"r2", r.r2},   {"pearson", r.pearson}, {"spearman", r.spearman}};
    for (const auto& [name, value] : rows) {
        std::snprintf(line, sizeof line, "%12s %.*f\n", name, digits, value);
        out += line;
    }
    std::snprintf(line, sizeof line, "%12s %lld\n", "count", static_cast<long long>(r.count));
    return out + line;
}

}  // namespace tb::metrics
