#include "metrics/threshold_tuning.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.h"

namespace tb::metrics {

std::vector<float> tune_thresholds(const std::vector<std::vector<float>>& probabilities,
                                   const std::vector<std::vector<int>>& truth,
                                   const std::vector<float>& fallback) {
    const std::size_t labels = fallback.size();
    if (probabilities.size() != truth.size())
        throw Error("tune_thresholds: " + std::to_string(probabilities.size()) +
                        " probability rows but " + std::to_string(truth.size()) + " truth rows",
                    SourceLocation{{}, 0, 0, "model.multi_label_thresholds"});
    for (std::size_t i = 0; i < truth.size(); ++i)
        if (probabilities[i].size() != labels || truth[i].size() != labels)
            throw Error("tune_thresholds: row " + std::to_string(i) + " does not have " +
                            std::to_string(labels) + " labels",
                        SourceLocation{{}, 0, 0, "model.multi_label_thresholds"});
    std::vector<float> out = fallback;
    for (std::size_t j = 0; j < labels; ++j) {
        // (probability, is positive), sorted by probability descending: lowering the threshold
        // past each distinct value turns that value's examples positive.
        std::vector<std::pair<float, int>> items;
        std::int64_t positives = 0;
        for (std::size_t i = 0; i < truth.size(); ++i) {
            items.emplace_back(probabilities[i][j], truth[i][j] != 0 ? 1 : 0);
            positives += truth[i][j] != 0 ? 1 : 0;
        }
        if (positives == 0)
            continue;
        std::sort(items.begin(), items.end(),
                  [](const auto& a, const auto& b) { return a.first > b.first; });
        double best_f1 = 0.0;  // threshold above every probability: nothing predicted, F1 0
        double best_t = fallback[j];
        bool found = false;
        std::int64_t tp = 0, predicted = 0;
        for (std::size_t k = 0; k < items.size();) {
            std::size_t end = k;
            while (end < items.size() && items[end].first == items[k].first) {
                tp += items[end].second;
                ++predicted;
                ++end;
            }
            // Predict positive for p >= this value: threshold halfway to the next lower value.
            const double upper = items[k].first;
            const double lower = end < items.size() ? items[end].first : 0.0;
            const double t = (upper + lower) / 2.0;
            const double f1 =
                2.0 * static_cast<double>(tp) / static_cast<double>(predicted + positives);
            const bool better = f1 > best_f1 + 1e-12;
            const bool tie = !better && found && std::abs(f1 - best_f1) <= 1e-12 &&
                             std::abs(t - fallback[j]) < std::abs(best_t - fallback[j]);
            if (f1 > 0.0 && (better || tie)) {
                best_f1 = std::max(best_f1, f1);
                best_t = t;
                found = true;
            }
            k = end;
        }
        if (found)
            out[j] = static_cast<float>(std::clamp(best_t, 1e-6, 1.0 - 1e-6));
    }
    return out;
}

}  // namespace tb::metrics
