// A JavaScript-literal reader (a superset of JSON, as minifiers write it) and base64.
#include "model/keras/js_module.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/utf8_append.h"

namespace tb::model::keras {
namespace {

using json = nlohmann::json;

class LiteralParser {
public:
    LiteralParser(const std::string& text, std::size_t pos, const std::string& path)
        : s_(text), pos_(pos), path_(path) {}

    json value(int depth = 0) {
        if (depth > 200)
            fail("nesting is too deep");
        skip_space();
        if (pos_ >= s_.size())
            fail("the text ends where a value should start");
        const char c = s_[pos_];
        if (c == '{')
            return object(depth);
        if (c == '[')
            return array(depth);
        if (c == '"' || c == '\'')
            return string();
        if (c == '!' && pos_ + 1 < s_.size() && (s_[pos_ + 1] == '0' || s_[pos_ + 1] == '1')) {
            pos_ += 2;
            return s_[pos_ - 1] == '0';  // !0 is true, !1 is false
        }
        if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))
            return number();
        const std::string word = identifier();
        if (word == "true")
            return true;
        if (word == "false")
            return false;
        if (word == "null" || word == "undefined")
            return nullptr;
        if (word == "void") {
            skip_space();
            number();
            return nullptr;
        }
        fail(word.empty() ? "unexpected character '" + std::string(1, c) + "'"
                          : "'" + word + "' is not a literal value");
    }

    std::size_t pos() const { return pos_; }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("not a JavaScript literal at byte " + std::to_string(pos_) + ": " + what,
                    SourceLocation{path_, 0, 0, ""});
    }

    void skip_space() {
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                ++pos_;
            } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/') {
                while (pos_ < s_.size() && s_[pos_] != '\n')
                    ++pos_;
            } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
                const std::size_t end = s_.find("*/", pos_ + 2);
                pos_ = end == std::string::npos ? s_.size() : end + 2;
            } else {
                break;
            }
        }
    }

    static bool ident_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '$';
    }

    std::string identifier() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && ident_char(s_[pos_]))
            ++pos_;
        return s_.substr(start, pos_ - start);
    }

    json object(int depth) {
        json out = json::object();
        ++pos_;
        for (;;) {
            skip_space();
            if (pos_ < s_.size() && s_[pos_] == '}') {
                ++pos_;
                return out;
            }
            std::string key;
            if (pos_ < s_.size() && (s_[pos_] == '"' || s_[pos_] == '\''))
                key = string().get<std::string>();
            else
                key = identifier();
            if (key.empty())
                fail("expected a property name");
            skip_space();
            if (pos_ >= s_.size() || s_[pos_] != ':')
                fail("expected ':' after property '" + key + "'");
            ++pos_;
            out[key] = value(depth + 1);
            skip_space();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
            } else if (pos_ >= s_.size() || s_[pos_] != '}') {
                fail("expected ',' or '}' in an object");
            }
        }
    }

    json array(int depth) {
        json out = json::array();
        ++pos_;
        for (;;) {
            skip_space();
            if (pos_ < s_.size() && s_[pos_] == ']') {
                ++pos_;
                return out;
            }
            out.push_back(value(depth + 1));
            skip_space();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
            } else if (pos_ >= s_.size() || s_[pos_] != ']') {
                fail("expected ',' or ']' in an array");
            }
        }
    }

    std::uint32_t hex(std::size_t digits) {
        if (pos_ + digits > s_.size())
            fail("truncated escape sequence");
        const std::string h = s_.substr(pos_, digits);
        char* end = nullptr;
        const unsigned long v = std::strtoul(h.c_str(), &end, 16);
        if (end != h.c_str() + digits)
            fail("bad escape sequence");
        pos_ += digits;
        return static_cast<std::uint32_t>(v);
    }

    json string() {
        const char quote = s_[pos_++];
        std::string out;
        // Fast path for the long base64 strings of weight shards: copy runs without escapes.
        for (;;) {
            const std::size_t stop = s_.find_first_of(quote == '"' ? "\"\\" : "'\\", pos_);
            if (stop == std::string::npos)
                fail("unterminated string");
            out.append(s_, pos_, stop - pos_);
            pos_ = stop;
            if (s_[pos_] == quote) {
                ++pos_;
                return out;
            }
            ++pos_;  // backslash
            if (pos_ >= s_.size())
                fail("unterminated string");
            const char e = s_[pos_++];
            switch (e) {
                case 'n':
                    out += '\n';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'v':
                    out += '\v';
                    break;
                case '0':
                    out += '\0';
                    break;
                case 'x':
                    append_utf8(out, hex(2));
                    break;
                case 'u': {
                    std::uint32_t cp = hex(4);
                    if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 1 < s_.size() && s_[pos_] == '\\' &&
                        s_[pos_ + 1] == 'u') {
                        pos_ += 2;
                        const std::uint32_t low = hex(4);
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    append_utf8(out, cp);
                    break;
                }
                case '\n':
                    break;  // line continuation
                default:
                    out += e;
            }
        }
    }

    json number() {
        const std::size_t start = pos_;
        if (s_[pos_] == '-' || s_[pos_] == '+')
            ++pos_;
        if (pos_ + 1 < s_.size() && s_[pos_] == '0' &&
            (s_[pos_ + 1] == 'x' || s_[pos_ + 1] == 'X')) {
            pos_ += 2;
            const std::size_t digits = pos_;
            while (pos_ < s_.size() && std::isxdigit(static_cast<unsigned char>(s_[pos_])))
                ++pos_;
            if (pos_ == digits)
                fail("bad hexadecimal number");
            const long long v = std::stoll(s_.substr(digits, pos_ - digits), nullptr, 16);
            return s_[start] == '-' ? -v : v;
        }
        while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) ||
                                    s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E' ||
                                    ((s_[pos_] == '-' || s_[pos_] == '+') &&
                                     (s_[pos_ - 1] == 'e' || s_[pos_ - 1] == 'E'))))
            ++pos_;
        const std::string text = s_.substr(start, pos_ - start);
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size())
            fail("bad number '" + text + "'");
        if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9007199254740992.0)
            return static_cast<std::int64_t>(v);
        return v;
    }

    const std::string& s_;
    std::size_t pos_;
    const std::string& path_;
};

}  // namespace

nlohmann::json parse_js_literal(const std::string& text, std::size_t& pos,
                                const std::string& path) {
    LiteralParser parser(text, pos, path);
    json out = parser.value();
    pos = parser.pos();
    return out;
}

nlohmann::json read_js_module_value(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open the file", SourceLocation{path, 0, 0, ""});
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
        json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (!j.is_discarded())
            return j;
    }
    // A bundle: try each assignment to exports (the first ones are often `module.exports=e()`
    // in the bundler's prelude, which is not a literal) and ES modules' `export default`.
    for (const std::string marker : {"exports=", "exports =", "export default "}) {
        for (std::size_t at = text.find(marker); at != std::string::npos;
             at = text.find(marker, at + 1)) {
            std::size_t pos = at + marker.size();
            try {
                json value = parse_js_literal(text, pos, path);
                if (value.is_object() || value.is_string() || value.is_array())
                    return value;
            } catch (const Error&) {
                // not a literal here; keep looking
            }
        }
    }
    throw Error(
        "no exported JSON-like value found (expected JSON, or a JavaScript module whose "
        "exports are an object or string literal, as TF.js model bundles write them)",
        SourceLocation{path, 0, 0, ""});
}

std::string decode_base64(const std::string& text, const std::string& what) {
    static const auto table = [] {
        std::array<int, 256> t{};
        t.fill(-1);
        const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i)
            t[static_cast<unsigned char>(alphabet[i])] = i;
        return t;
    }();
    std::string out;
    out.reserve(text.size() / 4 * 3);
    std::uint32_t acc = 0;
    int bits = 0;
    bool padding = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=') {
            padding = true;
            continue;
        }
        const int v = table[c];
        if (v < 0 || padding)
            throw Error(what + ": not valid base64 at character " + std::to_string(i),
                        SourceLocation{what, 0, 0, ""});
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

}  // namespace tb::model::keras
