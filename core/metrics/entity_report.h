// Entity-level precision/recall/F1 for sequence labelling (NER), as seqeval computes them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/classification_report.h"
#include "metrics/entity_spans.h"

namespace tb::metrics {

struct EntityTypeCounts {
    std::string type;
    std::int64_t true_entities = 0;  // support
    std::int64_t predicted_entities = 0;
    std::int64_t correct_entities = 0;  // same sentence, type, start and end
};

struct EntityReport {
    EntityOptions options;
    std::vector<EntityTypeCounts> counts;  // one per type, sorted by name (byte order)
    std::vector<ClassScores> per_type;     // same order; label = type
    ClassScores micro;                     // label "micro avg"
    ClassScores macro;                     // label "macro avg"
    ClassScores weighted;                  // label "weighted avg" (weights = support)
};

// Types are the sorted union of the types found in y_true and y_pred. A span counts as correct
// only if a true span has the same sentence, type, start and end. Division by zero gives 0
// (seqeval's zero_division="warn" without the warning); F1 = 2PR/(P+R), 0 when P+R = 0.
// With no entity anywhere every score is 0 (seqeval itself fails there).
// Throws tb::Error if y_true and y_pred differ in the number of sentences or in a sentence's
// length (naming the first such sentence), and as extract_entities() does.
EntityReport entity_report(const std::vector<std::vector<std::string>>& y_true,
                           const std::vector<std::vector<std::string>>& y_pred,
                           const EntityOptions& options = {});

// The text of seqeval's classification_report(y_true, y_pred, digits=digits): a header, one
// row per type, a blank line, micro/macro/weighted avg rows, ending in a newline; names are
// right-aligned to max(longest type in code points, 12, digits).
std::string entity_report_to_text(const EntityReport& report, int digits = 2);

// {"mode", "scheme", "per_type": [{"label", "precision", "recall", "f1", "support",
//  "predicted", "correct"}], "micro avg" | "macro avg" | "weighted avg": {...}}
nlohmann::json entity_report_to_json(const EntityReport& report);

}  // namespace tb::metrics
