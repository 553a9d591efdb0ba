// LabelMap: label strings <-> contiguous class indices, built in first-seen or sorted order.
#include "data/label_map.h"

#include <algorithm>
#include <unordered_set>

#include "common/error.h"

namespace tb::data {
namespace {

// Up to 18 digits with an optional minus sign: fits in long long, so the value compares safely.
bool parse_integer(const std::string& text, long long* value) {
    std::size_t i = text.size() > 0 && text[0] == '-' ? 1 : 0;
    const std::size_t digits = text.size() - i;
    if (digits == 0 || digits > 18)
        return false;
    long long magnitude = 0;
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        magnitude = magnitude * 10 + (text[i] - '0');
    }
    *value = text[0] == '-' ? -magnitude : magnitude;
    return true;
}

// Sorted order: numerically when every label is an integer (so "2" < "10", as users of numeric
// class ids expect), else by UTF-8 bytes, which is Unicode code point order.
void sort_labels(std::vector<std::string>& names) {
    std::vector<long long> values(names.size());
    bool all_integers = true;
    for (std::size_t i = 0; i < names.size() && all_integers; ++i) {
        all_integers = parse_integer(names[i], &values[i]);
    }
    if (!all_integers) {
        std::sort(names.begin(), names.end());
        return;
    }
    std::vector<std::size_t> order(names.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (values[a] != values[b])
            return values[a] < values[b];
        return names[a] < names[b];  // "01" vs "1": still a total, deterministic order
    });
    std::vector<std::string> sorted;
    sorted.reserve(names.size());
    for (std::size_t i : order)
        sorted.push_back(std::move(names[i]));
    names = std::move(sorted);
}

}  // namespace

LabelOrder label_order_from_name(const std::string& name) {
    if (name == "first_seen")
        return LabelOrder::FirstSeen;
    if (name == "sorted")
        return LabelOrder::Sorted;
    throw Error("unknown label order '" + name + "'; expected first_seen or sorted");
}

LabelMap::LabelMap(std::vector<std::string> names) : names_(std::move(names)) {
    index_.reserve(names_.size());
    for (std::size_t i = 0; i < names_.size(); ++i) {
        if (names_[i].empty()) {
            throw Error("label " + std::to_string(i) + " has an empty name");
        }
        if (!index_.emplace(names_[i], static_cast<int>(i)).second) {
            throw Error("duplicate label '" + names_[i] + "' in the label list");
        }
    }
}

LabelMap LabelMap::from_values(const std::vector<std::string>& values, LabelOrder order) {
    std::vector<std::string> names;
    std::unordered_set<std::string> seen;
    for (const std::string& value : values) {
        if (value.empty())
            continue;
        if (seen.insert(value).second)
            names.push_back(value);
    }
    if (order == LabelOrder::Sorted)
        sort_labels(names);
    return LabelMap(std::move(names));
}

int LabelMap::index_of(const std::string& name) const {
    const auto found = index_.find(name);
    return found == index_.end() ? -1 : found->second;
}

const std::string& LabelMap::name(int index) const {
    if (index < 0 || index >= size()) {
        throw Error("label index " + std::to_string(index) + " is out of range (" +
                    std::to_string(size()) + " labels)");
    }
    return names_[static_cast<std::size_t>(index)];
}

}  // namespace tb::data
