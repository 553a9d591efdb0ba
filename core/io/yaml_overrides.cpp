#include "io/yaml_overrides.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "common/error.h"

namespace tb::io {
namespace {

std::string argument_text(const YamlOverride& o) {
    return "--set " + o.key + "=" + o.value;
}

std::vector<std::string> split_key(const YamlOverride& o) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(o.key);
    while (std::getline(in, part, '.')) {
        if (part.empty())
            throw Error(argument_text(o) +
                            ": the key has an empty part; write e.g. "
                            "training.epochs",
                        SourceLocation{"--set", 0, 0, o.key});
        parts.push_back(part);
    }
    return parts;
}

bool overrides_key(const std::vector<YamlOverride>& overrides, const std::string& key,
                   const YamlOverride** found) {
    for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
        // An error on "training" itself or on a key below the override counts as the override's.
        const std::string& k = it->key;
        if (key == k || key.rfind(k + ".", 0) == 0 || k.rfind(key + ".", 0) == 0) {
            *found = &*it;
            return true;
        }
    }
    return false;
}

}  // namespace

YamlOverride parse_yaml_override(const std::string& argument) {
    const auto eq = argument.find('=');
    if (eq == std::string::npos || eq == 0)
        throw Error("--set expects KEY=VALUE (e.g. training.epochs=5), got \"" + argument + "\"",
                    SourceLocation{"--set", 0, 0, ""});
    return {argument.substr(0, eq), argument.substr(eq + 1)};
}

std::string apply_yaml_overrides(const std::string& yaml_text,
                                 const std::vector<YamlOverride>& overrides) {
    if (overrides.empty())
        return yaml_text;
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
        throw Error("the experiment file is not valid YAML (" + e.msg + ")",
                    SourceLocation{"", e.mark.line + 1, e.mark.column + 1, ""});
    }
    if (!root || root.IsNull())
        root = YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap())
        throw Error("the experiment file's top level is not a mapping of sections",
                    SourceLocation{"", 1, 1, ""});
    for (const auto& o : overrides) {
        const auto parts = split_key(o);
        YAML::Node value;
        try {
            value = YAML::Load(o.value);
        } catch (const YAML::Exception& e) {
            throw Error(argument_text(o) + ": the value is not valid YAML (" + e.msg + ")",
                        SourceLocation{"--set", 0, 0, o.key});
        }
        if (!value || value.IsNull())
            value = YAML::Node(o.value);  // "--set output.run_name=" means an empty string
        YAML::Node node = root;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            if (!node.IsMap() && !node.IsNull())
                throw Error(argument_text(o) + ": \"" + parts[i - 1] +
                                "\" is not a section, so it has no key \"" + parts[i] + "\"",
                            SourceLocation{"--set", 0, 0, o.key});
            YAML::Node child = node[parts[i]];
            if (!child || child.IsNull())
                node[parts[i]] = YAML::Node(YAML::NodeType::Map);
            node.reset(node[parts[i]]);  // rebind; plain assignment would overwrite the value
        }
        if (!node.IsMap())
            throw Error(argument_text(o) + ": \"" +
                            o.key.substr(0, o.key.size() - parts.back().size() - 1) +
                            "\" is not a section",
                        SourceLocation{"--set", 0, 0, o.key});
        node[parts.back()] = value;
    }
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

ExperimentConfig load_experiment_with_overrides(const std::string& path,
                                                const std::vector<YamlOverride>& overrides) {
    if (overrides.empty())
        return load_experiment(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(std::string("cannot open the experiment file: ") + std::strerror(errno),
                    SourceLocation{path, 0, 0, ""});
    std::ostringstream text;
    text << in.rdbuf();
    ExperimentConfig config;
    try {
        config = parse_experiment(apply_yaml_overrides(text.str(), overrides), path);
    } catch (const Error& e) {
        const YamlOverride* culprit = nullptr;
        if (e.where().line == 0 && e.where().key.empty())
            throw;
        if (overrides_key(overrides, e.where().key, &culprit))
            throw Error(argument_text(*culprit) + ": " + e.message(),
                        SourceLocation{"--set", 0, 0, e.where().key});
        // An error elsewhere: line numbers refer to the rewritten text, so name only the key.
        throw Error(e.message(), SourceLocation{path, 0, 0, e.where().key});
    }
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(std::filesystem::path(path), ec);
    config.base_dir =
        (ec ? std::filesystem::path(path) : absolute).parent_path().lexically_normal().string();
    return config;
}

}  // namespace tb::io
