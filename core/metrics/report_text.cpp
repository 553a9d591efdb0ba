// ClassificationReport -> the text table of sklearn's classification_report.
#include <algorithm>
#include <cstdio>
#include <string>

#include "common/error.h"
#include "metrics/report_json.h"

namespace tb::metrics {
namespace {

// Python's len() of a str: code points, not bytes (UTF-8 continuation bytes are 10xxxxxx).
std::size_t code_points(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// "{:>{width}s}"
std::string right(const std::string& s, std::size_t width) {
    const std::size_t n = code_points(s);
    return n >= width ? s : std::string(width - n, ' ') + s;
}

// " {:>9.{digits}f}"
std::string number(double value, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %9.*f", digits, value);
    return buf;
}

// " {:>9}" for an integer support
std::string count(std::int64_t value) {
    return " " + right(std::to_string(value), 9);
}

std::string score_row(const ClassScores& s, std::size_t width, int digits) {
    return right(s.label, width) + " " + number(s.precision, digits) + number(s.recall, digits) +
           number(s.f1, digits) + count(s.support) + "\n";
}

// sklearn prints "accuracy" instead of "micro avg" when the label list equals the labels that
// occur in y_true or y_pred (then micro P = R = F1 = accuracy).
bool micro_is_accuracy(const ClassificationReport& report) {
    const std::size_t k = report.per_class.size();
    // A hand-built report may lack the matrix; then only supports can be consulted.
    const bool has_matrix = report.confusion.size() == k;
    for (std::size_t c = 0; c < k; ++c) {
        std::int64_t predicted = 0;
        for (std::size_t t = 0; has_matrix && t < k; ++t) {
            if (c < report.confusion[t].size())
                predicted += report.confusion[t][c];
        }
        if (report.per_class[c].support == 0 && predicted == 0)
            return false;
    }
    return true;
}

}  // namespace

std::string report_to_text(const ClassificationReport& report, int digits) {
    if (digits < 0 || digits > 17) {
        throw Error("digits must be in 0..17, got " + std::to_string(digits));
    }
    std::size_t width = std::max<std::size_t>(code_points("weighted avg"), digits);
    for (const std::string& label : report.labels)
        width = std::max(width, code_points(label));

    std::string out = right("", width) + " ";
    for (const char* header : {"precision", "recall", "f1-score", "support"}) {
        out += " " + right(header, 9);
    }
    out += "\n\n";
    for (const ClassScores& s : report.per_class)
        out += score_row(s, width, digits);
    out += "\n";

    if (micro_is_accuracy(report)) {
        out += right("accuracy", width) + " " + std::string(2 * 10, ' ') +
               number(report.micro.f1, digits) + count(report.micro.support) + "\n";
    } else {
        out += score_row(report.micro, width, digits);
    }
    out += score_row(report.macro, width, digits);
    out += score_row(report.weighted, width, digits);
    return out;
}

}  // namespace tb::metrics
