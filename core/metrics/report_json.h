// Serialises a ClassificationReport: JSON for metric logs, the UI and reports; text like sklearn.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "metrics/classification_report.h"

namespace tb::metrics {

// Shape (keys as sklearn's output_dict where one exists):
// {"labels": [...],
//  "per_class": [{"label", "precision", "recall", "f1", "support"}, ...],   // label order
//  "accuracy": x,
//  "micro avg" | "macro avg" | "weighted avg": {"precision", "recall", "f1", "support"},
//  "confusion_matrix": {"labels": [...], "matrix": [[...]]},                // [true][predicted]
//  "total": n}
nlohmann::json report_to_json(const ClassificationReport& report);

// The text table of sklearn.metrics.classification_report(..., digits=digits): same column
// widths (label names measured in code points), same rows. The "accuracy" row replaces
// "micro avg" when every label occurs in y_true or y_pred, as sklearn does; a label that occurs
// in neither (given only through the label list) brings the full "micro avg" row back.
std::string report_to_text(const ClassificationReport& report, int digits = 2);

}  // namespace tb::metrics
