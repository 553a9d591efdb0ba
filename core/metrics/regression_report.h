// Regression scores (MSE, RMSE, MAE, R², Pearson, Spearman) as scikit-learn / SciPy define them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tb::metrics {

struct RegressionReport {
    std::int64_t count = 0;
    double mse = 0.0;       // sklearn mean_squared_error
    double rmse = 0.0;      // sqrt(mse)
    double mae = 0.0;       // sklearn mean_absolute_error
    double r2 = 0.0;        // sklearn r2_score (1 - SS_res / SS_tot; constant truth: 1 or 0)
    double pearson = 0.0;   // scipy.stats.pearsonr; 0 when either side is constant
    double spearman = 0.0;  // scipy.stats.spearmanr (Pearson of average ranks); 0 likewise
    double truth_mean = 0.0;
    double prediction_mean = 0.0;
};

// Throws tb::Error when the sizes differ. An empty input gives an all-zero report.
RegressionReport regression_report(const std::vector<double>& truth,
                                   const std::vector<double>& predicted);

// {"count", "mse", "rmse", "mae", "r2", "pearson", "spearman", "truth_mean", "prediction_mean"}
nlohmann::json regression_report_to_json(const RegressionReport& report);
// A short table: one "name value" row per score.
std::string regression_report_to_text(const RegressionReport& report, int digits = 4);

// Average ranks (1-based, ties get the mean of their ranks), as scipy.stats.rankdata.
std::vector<double> average_ranks(const std::vector<double>& values);

}  // namespace tb::metrics
