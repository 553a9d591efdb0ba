// Typed, located reading of one YAML mapping (see yaml_section.h for the contracts).
#include "io/yaml_section.h"

#include <algorithm>
#include <limits>

#include "io/yaml_scalar.h"

namespace tb::io {
namespace {

const char* const kIntTag = "tag:yaml.org,2002:int";
const char* const kFloatTag = "tag:yaml.org,2002:float";
const char* const kBoolTag = "tag:yaml.org,2002:bool";

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string unknown_key_message(const std::string& key, const std::vector<std::string>& known) {
    std::string out = "unknown key \"" + key + "\"";
    std::size_t best = 3;  // suggest only close typos
    std::string suggestion;
    for (const std::string& k : known) {
        const std::size_t d = edit_distance(key, k);
        if (d < best)
            best = d, suggestion = k;
    }
    if (!suggestion.empty())
        out += " (did you mean \"" + suggestion + "\"?)";
    return out + "; allowed keys here: " + join(known);
}

bool is_plain(const YAML::Node& node) {
    return node.IsScalar() && node.Tag() == "?";
}

}  // namespace

SourceLocation yaml_location(const std::string& file, const YAML::Mark& mark, std::string key) {
    SourceLocation where;
    where.file = file;
    where.line = mark.line >= 0 ? mark.line + 1 : 0;
    where.column = (mark.line >= 0 && mark.column >= 0) ? mark.column + 1 : 0;
    where.key = std::move(key);
    return where;
}

std::string describe_yaml_value(const YAML::Node& node) {
    if (!node.IsDefined() || node.IsNull())
        return "an empty value";
    if (node.IsSequence())
        return "a list";
    if (node.IsMap())
        return "a mapping";
    std::string text = node.Scalar();
    if (text.size() > 60)
        text = text.substr(0, 57) + "...";
    const std::string quoted = "\"" + text + "\"";
    return node.Tag() == "!" ? "the quoted string " + quoted : quoted;
}

YamlSection::YamlSection(const YAML::Node& node, std::string path, SourceLocation where,
                         std::vector<std::string> known_keys)
    : path_(std::move(path)), where_(std::move(where)) {
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!node.IsMap()) {
        SourceLocation at = yaml_location(where_.file, node.Mark(), where_.key);
        if (at.line == 0)
            at = where_;
        throw Error("expected a mapping with the keys " + join(known_keys) + "; found " +
                        describe_yaml_value(node),
                    at);
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key_node = it->first;  // it-> yields a temporary pair
        if (!key_node.IsScalar()) {
            throw Error("keys must be plain names; found " + describe_yaml_value(key_node),
                        yaml_location(where_.file, key_node.Mark(), path_));
        }
        const std::string key = key_node.Scalar();
        if (find(key) != nullptr) {
            throw Error("duplicate key \"" + key + "\" (first given on line " +
                            std::to_string(find(key)->key_mark.line + 1) + ")",
                        yaml_location(where_.file, key_node.Mark(), dotted(key)));
        }
        if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end()) {
            throw Error(unknown_key_message(key, known_keys),
                        yaml_location(where_.file, key_node.Mark(), dotted(key)));
        }
        entries_.push_back(Entry{key, key_node.Mark(), it->second});
    }
}

YamlSection YamlSection::section(const std::string& key,
                                 std::vector<std::string> known_keys) const {
    const Entry* e = find(key);
    if (e == nullptr) {
        SourceLocation absent = where_;
        absent.line = 0;
        absent.column = 0;
        absent.key = dotted(key);
        return YamlSection(YAML::Node(), dotted(key), absent, std::move(known_keys));
    }
    return YamlSection(e->value, dotted(key), yaml_location(where_.file, e->key_mark, dotted(key)),
                       std::move(known_keys));
}

bool YamlSection::has(const std::string& key) const {
    return find(key) != nullptr;
}

YAML::Node YamlSection::value(const std::string& key) const {
    const Entry* e = find(key);
    return e != nullptr ? e->value : YAML::Node(YAML::NodeType::Undefined);
}

std::string YamlSection::plain_scalar(const std::string& key) const {
    const Entry* e = find(key);
    return (e != nullptr && is_plain(e->value)) ? e->value.Scalar() : std::string();
}

std::string YamlSection::dotted(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
}

SourceLocation YamlSection::location(const std::string& key) const {
    const Entry* e = find(key);
    if (e == nullptr) {
        SourceLocation at = where_;
        at.key = dotted(key);
        return at;
    }
    // yaml-cpp marks an empty value at the next token, possibly lines later: use the key.
    const bool use_value = !e->value.IsNull() && e->value.Mark().line >= 0;
    return yaml_location(where_.file, use_value ? e->value.Mark() : e->key_mark, dotted(key));
}

void YamlSection::fail(const std::string& key, const std::string& message) const {
    throw Error(message, location(key));
}

void YamlSection::type_error(const std::string& key, const std::string& expected) const {
    fail(key, "expected " + expected + ", found " + describe_yaml_value(value(key)));
}

const YamlSection::Entry* YamlSection::find(const std::string& key) const {
    for (const Entry& e : entries_) {
        if (e.key == key)
            return &e;
    }
    return nullptr;
}

const std::string& YamlSection::typed_scalar(const Entry& e, const std::string& tag,
                                             const std::string& expected) const {
    if (!e.value.IsScalar() || (e.value.Tag() != "?" && e.value.Tag() != tag)) {
        type_error(e.key, expected);
    }
    return e.value.Scalar();
}

void YamlSection::read(const std::string& key, std::string& out) const {
    const Entry* e = find(key);
    if (e == nullptr)
        return;
    if (e->value.IsNull()) {
        out.clear();
        return;
    }
    // Any scalar is text (`name: 2024` is the name "2024"); lists and mappings are not.
    if (!e->value.IsScalar())
        type_error(key, "a string");
    out = e->value.Scalar();
}

void YamlSection::read(const std::string& key, int& out) const {
    const Entry* e = find(key);
    if (e == nullptr)
        return;
    const auto v = parse_yaml_integer(typed_scalar(*e, kIntTag, "an integer"));
    if (!v)
        type_error(key, "an integer");
    if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
        fail(key, "integer " + e->value.Scalar() + " is out of range");
    }
    out = static_cast<int>(*v);
}

void YamlSection::read(const std::string& key, double& out) const {
    const Entry* e = find(key);
    if (e == nullptr)
        return;
    const std::string& text = typed_scalar(*e, kFloatTag, "a number");
    const auto v = parse_yaml_real(text);
    if (!v)
        type_error(key, "a number");
    out = *v;
}

void YamlSection::read(const std::string& key, bool& out) const {
    const Entry* e = find(key);
    if (e == nullptr)
        return;
    const auto v = parse_yaml_bool(typed_scalar(*e, kBoolTag, "true or false"));
    if (!v)
        type_error(key, "true or false");
    out = *v;
}

void YamlSection::read(const std::string& key, std::uint64_t& out) const {
    const Entry* e = find(key);
    if (e == nullptr)
        return;
    const auto v = parse_yaml_unsigned(typed_scalar(*e, kIntTag, "a non-negative integer"));
    if (!v)
        type_error(key, "a non-negative integer");
    out = *v;
}

}  // namespace tb::io
