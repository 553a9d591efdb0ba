// Command-line overrides of an experiment file (`--set training.epochs=5`), applied to the YAML
// before it is validated, so an override is checked exactly like the same key in the file.
#pragma once

#include <string>
#include <vector>

#include "io/experiment_config.h"

namespace tb::io {

struct YamlOverride {
    std::string key;    // dotted path, e.g. "training.learning_rate"
    std::string value;  // YAML text: "5", "cosine", "[0.5, 2.0]"
};

// Splits "key=value" at the first '='. Throws tb::Error for a missing '=' or an empty key.
YamlOverride parse_yaml_override(const std::string& argument);

// Returns yaml_text with each override set (later ones win), creating missing sections.
// Throws tb::Error naming the override when the text is not YAML, a value is not valid YAML,
// or a key walks into something that is not a mapping (e.g. "name.x").
std::string apply_yaml_overrides(const std::string& yaml_text,
                                 const std::vector<YamlOverride>& overrides);

// load_experiment() with overrides. A validation error on an overridden key is reported against
// the `--set` argument rather than a line of the rewritten text.
ExperimentConfig load_experiment_with_overrides(const std::string& path,
                                                const std::vector<YamlOverride>& overrides);

}  // namespace tb::io
