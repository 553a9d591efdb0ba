// Maps label strings to contiguous class indices, in a stated order.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace tb::data {

enum class LabelOrder { FirstSeen, Sorted };
LabelOrder label_order_from_name(
    const std::string& name);  // "first_seen" | "sorted"; throws tb::Error

class LabelMap {
public:
    LabelMap() = default;
    explicit LabelMap(std::vector<std::string> names);  // index order as given; duplicates throw

    // Builds from observed values (empty strings are ignored).
    static LabelMap from_values(const std::vector<std::string>& values, LabelOrder order);

    int index_of(const std::string& name) const;  // -1 if unknown
    const std::string& name(int index) const;
    const std::vector<std::string>& names() const { return names_; }
    int size() const { return static_cast<int>(names_.size()); }

private:
    std::vector<std::string> names_;
    std::unordered_map<std::string, int> index_;
};

}  // namespace tb::data
