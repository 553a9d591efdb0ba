// Per-label decision thresholds for multi-label classification, tuned for each label's F1.
#pragma once

#include <vector>

namespace tb::metrics {

// For each label j, the threshold t on probabilities[i][j] (predict 1 when p >= t) that
// maximises the label's F1 against truth[i][j] (0/1). Candidates are the midpoints between
// consecutive distinct probabilities of the label (plus the midpoints below the smallest and
// above the largest), so every achievable decision set is tried once and the threshold sits in
// the middle of its interval. Ties go to the candidate closest to `fallback[j]`; a label with no
// positive example in `truth` (F1 0 for every threshold) keeps `fallback[j]`. Results are in
// (0, 1). Throws tb::Error when row widths differ from fallback.size().
std::vector<float> tune_thresholds(const std::vector<std::vector<float>>& probabilities,
                                   const std::vector<std::vector<int>>& truth,
                                   const std::vector<float>& fallback);

}  // namespace tb::metrics
