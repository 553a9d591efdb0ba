// Locale-independent conversion between YAML scalar text and C++ values (config reading/writing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tb::io {

// Strict parsers: the whole text must be the value, else std::nullopt. They never consult the C
// locale (the GUI sets LC_NUMERIC from the environment, where "0,1" may be a number).

// Decimal integers only ("42", "-3", "+7"); no hex/octal, no "3.0", no "1e3".
std::optional<long long> parse_yaml_integer(const std::string& text);
std::optional<std::uint64_t> parse_yaml_unsigned(const std::string& text);

// YAML 1.2 core-schema floats and integers ("2e-5", "0.1", ".5", "3"); infinities and NaN are
// rejected because no config value accepts them.
std::optional<double> parse_yaml_real(const std::string& text);

// true/false and the YAML 1.1 spellings yaml-cpp accepts (yes/no, on/off, y/n), any case style
// (true, True, TRUE).
std::optional<bool> parse_yaml_bool(const std::string& text);

// Shortest text that reads back as exactly `value`, always with a '.' in the mantissa
// ("2.0e-05", "0.1", "3.0") so YAML 1.1 readers (PyYAML) also see a float.
std::string format_yaml_real(double value);

// `text` as a YAML scalar that reads back as exactly this string: plain when unambiguous
// (text, data/train.csv, 正面), double-quoted with escapes otherwise ("", "123", "null",
// "a: b", " x"). Assumes valid UTF-8.
std::string format_yaml_string(const std::string& text);

}  // namespace tb::io
