// Entity-level scores (per type, micro, macro, weighted) and seqeval's text report layout.
#include "metrics/entity_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "common/error.h"

namespace tb::metrics {
namespace {

double ratio(std::int64_t num, std::int64_t den) {
    return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

double f1_of(double p, double r) {
    return p + r == 0.0 ? 0.0 : 2.0 * p * r / (p + r);
}

void check_lengths(const std::vector<std::vector<std::string>>& y_true,
                   const std::vector<std::vector<std::string>>& y_pred) {
    if (y_true.size() != y_pred.size())
        throw Error("there are " + std::to_string(y_true.size()) + " true and " +
                        std::to_string(y_pred.size()) + " predicted sentences",
                    SourceLocation{{}, 0, 0, "y_pred"});
    for (std::size_t s = 0; s < y_true.size(); ++s)
        if (y_true[s].size() != y_pred[s].size())
            throw Error("sentence " + std::to_string(s + 1) + " has " +
                            std::to_string(y_true[s].size()) + " true and " +
                            std::to_string(y_pred[s].size()) + " predicted tags",
                        SourceLocation{{}, static_cast<long>(s + 1), 0, "y_pred"});
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string right(const std::string& s, std::size_t width) {
    const auto n = code_points(s);
    return n >= width ? s : std::string(width - n, ' ') + s;
}

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string row(const ClassScores& s, std::size_t width, int digits) {
    return right(s.label, width) + " " + " " + right(fixed(s.precision, digits), 9) + " " +
           right(fixed(s.recall, digits), 9) + " " + right(fixed(s.f1, digits), 9) + " " +
           right(std::to_string(s.support), 9);
}

}  // namespace

EntityReport entity_report(const std::vector<std::vector<std::string>>& y_true,
                           const std::vector<std::vector<std::string>>& y_pred,
                           const EntityOptions& options) {
    check_lengths(y_true, y_pred);
    const auto true_entities = extract_entities(y_true, options);
    const auto pred_entities = extract_entities(y_pred, options);
    const std::set<Entity> true_set(true_entities.begin(), true_entities.end());

    std::map<std::string, EntityTypeCounts> by_type;  // sorted by type, byte order
    for (const auto& e : true_set)
        ++by_type[e.type].true_entities;
    const std::set<Entity> pred_set(pred_entities.begin(), pred_entities.end());
    for (const auto& e : pred_set) {
        auto& c = by_type[e.type];
        ++c.predicted_entities;
        if (true_set.count(e))
            ++c.correct_entities;
    }

    EntityReport report;
    report.options = options;
    std::int64_t tp = 0, pred = 0, support = 0;
    double macro_p = 0, macro_r = 0, macro_f = 0, weighted_p = 0, weighted_r = 0, weighted_f = 0;
    for (auto& [type, c] : by_type) {
        c.type = type;
        report.counts.push_back(c);
        ClassScores s;
        s.label = type;
        s.precision = ratio(c.correct_entities, c.predicted_entities);
        s.recall = ratio(c.correct_entities, c.true_entities);
        s.f1 = f1_of(s.precision, s.recall);
        s.support = c.true_entities;
        report.per_type.push_back(s);
        tp += c.correct_entities;
        pred += c.predicted_entities;
        support += c.true_entities;
        macro_p += s.precision;
        macro_r += s.recall;
        macro_f += s.f1;
        const auto w = static_cast<double>(c.true_entities);
        weighted_p += w * s.precision;
        weighted_r += w * s.recall;
        weighted_f += w * s.f1;
    }
    report.micro = ClassScores{"micro avg", ratio(tp, pred), ratio(tp, support), 0.0, support};
    report.micro.f1 = f1_of(report.micro.precision, report.micro.recall);
    const auto n = static_cast<double>(by_type.size());
    report.macro = n == 0
                       ? ClassScores{"macro avg", 0, 0, 0, support}
                       : ClassScores{"macro avg", macro_p / n, macro_r / n, macro_f / n, support};
    const auto total = static_cast<double>(support);
    report.weighted = support == 0 ? ClassScores{"weighted avg", 0, 0, 0, 0}
                                   : ClassScores{"weighted avg", weighted_p / total,
                                                 weighted_r / total, weighted_f / total, support};
    return report;
}

std::string entity_report_to_text(const EntityReport& report, int digits) {
    std::size_t width = std::max<std::size_t>(12, static_cast<std::size_t>(std::max(digits, 0)));
    for (const auto& s : report.per_type)
        width = std::max(width, code_points(s.label));
    std::string out = std::string(width, ' ') + " ";
    for (const char* h : {"precision", "recall", "f1-score", "support"})
        out += " " + right(h, 9);
    out += "\n\n";
    for (const auto& s : report.per_type)
        out += row(s, width, digits) + "\n";
    out += "\n";
    for (const auto* s : {&report.micro, &report.macro, &report.weighted})
        out += row(*s, width, digits) + "\n";
    return out;
}

nlohmann::json entity_report_to_json(const EntityReport& report) {
    auto scores = [](const ClassScores& s) {
        return nlohmann::json{
            {"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"support", s.support}};
    };
    nlohmann::json j;
    j["mode"] = mode_name(report.options.mode);
    j["scheme"] = scheme_name(report.options.scheme);
    j["per_type"] = nlohmann::json::array();
    for (std::size_t i = 0; i < report.per_type.size(); ++i) {
        auto row_json = scores(report.per_type[i]);
        row_json["label"] = report.per_type[i].label;
        row_json["predicted"] = report.counts[i].predicted_entities;
        row_json["correct"] = report.counts[i].correct_entities;
        j["per_type"].push_back(row_json);
    }
    j["micro avg"] = scores(report.micro);
    j["macro avg"] = scores(report.macro);
    j["weighted avg"] = scores(report.weighted);
    return j;
}

}  // namespace tb::metrics
