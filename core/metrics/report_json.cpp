// ClassificationReport -> JSON (shape documented in report_json.h).
#include "metrics/report_json.h"

namespace tb::metrics {
namespace {

nlohmann::json scores_json(const ClassScores& s, bool with_label) {
    nlohmann::json out = nlohmann::json::object();
    if (with_label)
        out["label"] = s.label;
    out["precision"] = s.precision;
    out["recall"] = s.recall;
    out["f1"] = s.f1;
    out["support"] = s.support;
    return out;
}

}  // namespace

nlohmann::json report_to_json(const ClassificationReport& report) {
    nlohmann::json out = nlohmann::json::object();
    out["labels"] = report.labels;
    nlohmann::json per_class = nlohmann::json::array();
    for (const ClassScores& s : report.per_class)
        per_class.push_back(scores_json(s, true));
    out["per_class"] = std::move(per_class);
    out["accuracy"] = report.accuracy;
    out["micro avg"] = scores_json(report.micro, false);
    out["macro avg"] = scores_json(report.macro, false);
    out["weighted avg"] = scores_json(report.weighted, false);
    nlohmann::json matrix = nlohmann::json::array();
    for (const auto& row : report.confusion)
        matrix.push_back(row);
    out["confusion_matrix"] = {{"labels", report.labels}, {"matrix", std::move(matrix)}};
    out["total"] = report.total;
    return out;
}

}  // namespace tb::metrics
