// Locale-independent conversion between YAML scalar text and C++ values.
#include "io/yaml_scalar.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace tb::io {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// [-+]? digits, the whole text.
bool is_decimal_integer(const std::string& t) {
    std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
    if (i == t.size())
        return false;
    for (; i < t.size(); ++i) {
        if (!is_digit(t[i]))
            return false;
    }
    return true;
}

// YAML 1.2 core schema float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_yaml_real(const std::string& t) {
    std::size_t i = 0;
    if (i < t.size() && (t[i] == '-' || t[i] == '+'))
        ++i;
    std::size_t int_digits = 0;
    while (i < t.size() && is_digit(t[i]))
        ++i, ++int_digits;
    std::size_t frac_digits = 0;
    if (i < t.size() && t[i] == '.') {
        ++i;
        while (i < t.size() && is_digit(t[i]))
            ++i, ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0)
        return false;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '-' || t[i] == '+'))
            ++i;
        std::size_t exp_digits = 0;
        while (i < t.size() && is_digit(t[i]))
            ++i, ++exp_digits;
        if (exp_digits == 0)
            return false;
    }
    return i == t.size();
}

bool is_reserved_word(const std::string& t) {
    // Words YAML 1.1 or 1.2 readers resolve to null or bool in some case style.
    static const char* const words[] = {"null",  "Null",  "NULL",  "~",   "true", "True", "TRUE",
                                        "false", "False", "FALSE", "yes", "Yes",  "YES",  "no",
                                        "No",    "NO",    "on",    "On",  "ON",   "off",  "Off",
                                        "OFF",   "y",     "Y",     "n",   "N"};
    for (const char* w : words) {
        if (t == w)
            return true;
    }
    return false;
}

// Characters that may appear in a plain scalar we write. Deliberately narrower than YAML allows:
// anything else is quoted, which is always safe.
bool is_plain_safe_ascii(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == '/' || c == '+' || c == '=' || c == '@' || c == '(' || c == ')' || c == ' ' ||
           c == ':' || c == ',';
}

// Decodes the code point starting at t[i] (valid UTF-8 assumed) and advances i.
std::uint32_t next_code_point(const std::string& t, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(t[k]); };
    const unsigned char b0 = byte(i);
    std::size_t n = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : 4;
    if (i + n > t.size())
        n = t.size() - i;
    std::uint32_t cp = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    for (std::size_t k = 1; k < n; ++k)
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    i += n;
    return cp;
}

// Code points YAML treats as line breaks or that are invisible; written as \u escapes.
bool needs_unicode_escape(std::uint32_t cp) {
    return (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
}

bool can_be_plain(const std::string& t) {
    if (t.empty() || t.front() == ' ' || t.back() == ' ' || t.back() == ':')
        return false;
    const unsigned char first = static_cast<unsigned char>(t.front());
    // A leading digit, sign or dot could read as a number; indicators (- ? : , etc.) change
    // meaning at the start of a scalar.
    if (!(std::isalpha(first) || first == '_' || first == '/' || first >= 0x80))
        return false;
    if (is_reserved_word(t))
        return false;
    if (t.find(": ") != std::string::npos || t.find(" #") != std::string::npos)
        return false;
    for (std::size_t i = 0; i < t.size();) {
        if (static_cast<unsigned char>(t[i]) < 0x80) {
            if (!is_plain_safe_ascii(t[i]))
                return false;
            ++i;
        } else if (needs_unicode_escape(next_code_point(t, i))) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<long long> parse_yaml_integer(const std::string& text) {
    if (!is_decimal_integer(text))
        return std::nullopt;
    const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
    long long value = 0;
    const auto r = std::from_chars(begin, text.data() + text.size(), value);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::optional<std::uint64_t> parse_yaml_unsigned(const std::string& text) {
    if (!is_decimal_integer(text) || text[0] == '-')
        return std::nullopt;
    const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
    std::uint64_t value = 0;
    const auto r = std::from_chars(begin, text.data() + text.size(), value);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::optional<double> parse_yaml_real(const std::string& text) {
    if (!is_yaml_real(text))
        return std::nullopt;
    // std::from_chars rejects a leading '+'.
    const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
    double value = 0.0;
    const auto r = std::from_chars(begin, text.data() + text.size(), value);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<bool> parse_yaml_bool(const std::string& text) {
    static const char* const truthy[] = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                         "on",   "On",   "ON",   "y",   "Y"};
    static const char* const falsy[] = {"false", "False", "FALSE", "no", "No", "NO",
                                        "off",   "Off",   "OFF",   "n",  "N"};
    for (const char* w : truthy) {
        if (text == w)
            return true;
    }
    for (const char* w : falsy) {
        if (text == w)
            return false;
    }
    return std::nullopt;
}

std::string format_yaml_real(double value) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);  // shortest round-trip form
    std::string out(buf, r.ptr);
    if (!std::isfinite(value))
        return out;  // not produced by a valid config
    const std::size_t e = out.find('e');
    const std::string mantissa = out.substr(0, e);
    if (mantissa.find('.') == std::string::npos) {
        out.insert(e == std::string::npos ? out.size() : e, ".0");
    }
    return out;
}

std::string format_yaml_string(const std::string& text) {
    if (can_be_plain(text))
        return text;
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const std::size_t start = i;
            const std::uint32_t cp = next_code_point(text, i);
            if (needs_unicode_escape(cp)) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
                out += buf;
            } else {
                out.append(text, start, i - start);
            }
            continue;
        }
        ++i;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += "\"";
    return out;
}

}  // namespace tb::io
