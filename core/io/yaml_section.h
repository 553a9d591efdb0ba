// Typed, located reading of one YAML mapping: every error names the dotted key and its line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/error.h"

namespace tb::io {

// yaml-cpp marks are 0-based with -1 for "unknown"; SourceLocation is 1-based with 0 for unknown.
SourceLocation yaml_location(const std::string& file, const YAML::Mark& mark, std::string key);

// Short description of a value for "found ..." in messages: "\"three\"", "a list", ...
std::string describe_yaml_value(const YAML::Node& node);

class YamlSection {
public:
    // `node` is the mapping; a null or undefined node is an absent or empty section, in which every
    // key keeps its default. `path` is the dotted prefix of its keys ("" at the root) and `where`
    // points at the key that opened the section (line 0 when the section is absent).
    // Throws tb::Error when the node is not a mapping or has a non-scalar, duplicate or unknown key
    // (one not in `known_keys`).
    YamlSection(const YAML::Node& node, std::string path, SourceLocation where,
                std::vector<std::string> known_keys);

    // The mapping under `key` (absent or empty: an empty section).
    YamlSection section(const std::string& key, std::vector<std::string> known_keys) const;

    bool has(const std::string& key) const;

    // Each read leaves `out` unchanged when the key is absent and throws tb::Error naming the key,
    // its line, the expected type and the value found when the value has another type. Quoted
    // scalars are strings: `epochs: "3"` is not an integer. An empty value (`key:`, `~`, `null`)
    // reads as "" for strings and is a type error for everything else.
    void read(const std::string& key, std::string& out) const;
    void read(const std::string& key, int& out) const;
    void read(const std::string& key, double& out) const;
    void read(const std::string& key, bool& out) const;
    void read(const std::string& key, std::uint64_t& out) const;

    // The value node, or an undefined node when the key is absent.
    YAML::Node value(const std::string& key) const;
    // The plain (unquoted, untagged) scalar text of `key`, or "" when it is absent, quoted, or not
    // a scalar. For values with their own spellings, e.g. `lowercase: auto`.
    std::string plain_scalar(const std::string& key) const;

    std::string dotted(const std::string& key) const;
    // Where the key's value is (the key itself for an empty value); the section's own location,
    // with the key filled in, when the key is absent.
    SourceLocation location(const std::string& key) const;
    const SourceLocation& location() const { return where_; }

    [[noreturn]] void fail(const std::string& key, const std::string& message) const;
    // "expected <expected>, found <description of the value>"
    [[noreturn]] void type_error(const std::string& key, const std::string& expected) const;

private:
    struct Entry {
        std::string key;
        YAML::Mark key_mark;
        YAML::Node value;
    };
    const Entry* find(const std::string& key) const;
    // The scalar text for a typed read, or throws a type error; `tag` is the YAML core tag that
    // may be given explicitly (e.g. "tag:yaml.org,2002:int").
    const std::string& typed_scalar(const Entry& e, const std::string& tag,
                                    const std::string& expected) const;

    std::string path_;
    SourceLocation where_;
    std::vector<Entry> entries_;
};

}  // namespace tb::io
