// Hand-written scanners for the de-identification pass. Each matcher looks at one start
// position and returns the length of its match (0 = none); deidentify() tries them in priority
// order at every position where a match may start. No std::regex: it is slow on long texts and
// its backtracking can explode on hostile input.
#include "data/deidentify.h"

#include <cstring>

namespace tb::data {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
    return is_digit(c) || is_alpha(c);
}
bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::size_t digit_run(const std::string& s, std::size_t i) {
    std::size_t j = i;
    while (j < s.size() && is_digit(s[j]))
        ++j;
    return j - i;
}

// A number may start at `i` unless it is glued to a letter or digit, or continues a decimal
// number (".5" in "3.5", ",000" in "1,000").
bool number_may_start(const std::string& s, std::size_t i) {
    if (i == 0)
        return true;
    const char p = s[i - 1];
    if (is_alnum(p))
        return false;
    if ((p == '.' || p == ',') && i >= 2 && is_digit(s[i - 2]))
        return false;
    return true;
}

// A number may end at `end` unless a letter/digit follows or a decimal continues it.
bool number_may_end(const std::string& s, std::size_t end) {
    if (end >= s.size())
        return true;
    const char c = s[end];
    if (is_alnum(c))
        return false;
    if ((c == '.' || c == ',') && end + 1 < s.size() && is_digit(s[end + 1]))
        return false;
    return true;
}

bool starts_with_ci(const std::string& s, std::size_t i, const char* prefix) {
    const std::size_t n = std::strlen(prefix);
    if (i + n > s.size())
        return false;
    for (std::size_t k = 0; k < n; ++k) {
        char c = s[i + k];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[k])
            return false;
    }
    return true;
}

std::size_t match_url(const std::string& s, std::size_t i) {
    std::size_t j = 0;
    for (const char* scheme : {"https://", "http://", "ftp://"}) {
        if (starts_with_ci(s, i, scheme)) {
            j = i + std::strlen(scheme);
            break;
        }
    }
    if (j == 0) {
        if (!starts_with_ci(s, i, "www.") || (i > 0 && is_alnum(s[i - 1])))
            return 0;
        j = i + 4;
    }
    const std::size_t host = j;
    // ASCII only: a URL in Chinese text usually ends where the Chinese resumes
    // ("见https://a.cn。").
    while (j < s.size() && static_cast<unsigned char>(s[j]) > 0x20 &&
           static_cast<unsigned char>(s[j]) < 0x7F && std::strchr("<>\"'`", s[j]) == nullptr) {
        ++j;
    }
    while (j > host && std::strchr(".,;:!?)]}", s[j - 1]) != nullptr)
        --j;  // sentence punctuation after the URL
    if (j == host || !is_alnum(s[host]))
        return 0;
    return j - i;
}

bool is_local_char(char c) {
    return is_alnum(c) || std::strchr("._%+-", c) != nullptr;
}

std::size_t match_email(const std::string& s, std::size_t i) {
    if (!is_alnum(s[i]) || (i > 0 && is_local_char(s[i - 1])))
        return 0;
    std::size_t j = i;
    while (j < s.size() && is_local_char(s[j]))
        ++j;
    if (j >= s.size() || s[j] != '@' || s[j - 1] == '.')
        return 0;
    ++j;
    // Domain: labels of letters, digits and '-', separated by single dots; a letter-only TLD.
    std::size_t end = 0;
    std::size_t label_start = j;
    std::size_t labels = 0;
    while (true) {
        std::size_t k = label_start;
        while (k < s.size() && (is_alnum(s[k]) || s[k] == '-'))
            ++k;
        if (k == label_start)
            break;
        ++labels;
        bool alpha_label = k - label_start >= 2;
        for (std::size_t m = label_start; m < k && alpha_label; ++m)
            alpha_label = is_alpha(s[m]);
        if (labels >= 2 && alpha_label)
            end = k;
        if (k < s.size() && s[k] == '.' && k + 1 < s.size() && is_alnum(s[k + 1])) {
            label_start = k + 1;
            continue;
        }
        break;
    }
    return end == 0 ? 0 : end - i;
}

std::size_t match_ipv4(const std::string& s, std::size_t i) {
    std::size_t j = i;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (j >= s.size() || s[j] != '.')
                return 0;
            ++j;
        }
        const std::size_t n = digit_run(s, j);
        if (n == 0 || n > 3 || std::stoi(s.substr(j, n)) > 255)
            return 0;
        j += n;
    }
    return number_may_end(s, j) &&
                   !(j < s.size() && s[j] == '.' && j + 1 < s.size() && is_digit(s[j + 1]))
               ? j - i
               : 0;
}

std::size_t match_ipv6(const std::string& s, std::size_t i) {
    if (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == ':'))
        return 0;
    std::size_t j = i;
    while (j < s.size() && (is_hex(s[j]) || s[j] == ':'))
        ++j;
    if (j < s.size() && is_alnum(s[j]))
        return 0;
    const std::string candidate = s.substr(i, j - i);
    std::size_t colons = 0;
    std::size_t double_colons = 0;
    bool any_digit = false;
    std::size_t groups = 0;
    std::size_t group_length = 0;
    for (std::size_t k = 0; k < candidate.size(); ++k) {
        const char c = candidate[k];
        if (c == ':') {
            ++colons;
            if (k + 1 < candidate.size() && candidate[k + 1] == ':') {
                ++double_colons;
                if (k + 2 < candidate.size() && candidate[k + 2] == ':')
                    return 0;
            }
            if (group_length > 0)
                ++groups;
            group_length = 0;
            continue;
        }
        any_digit = any_digit || is_digit(c);
        if (++group_length > 4)
            return 0;
    }
    if (group_length > 0)
        ++groups;
    // A lone colon at either end is not an address ("a:" ends a sentence; ":1" is not valid).
    const bool bad_edge = (candidate.size() >= 2 && candidate[0] == ':' && candidate[1] != ':') ||
                          (candidate.size() >= 2 && candidate.back() == ':' &&
                           candidate[candidate.size() - 2] != ':');
    if (colons < 2 || !any_digit || double_colons > 1 || bad_edge)
        return 0;
    if (double_colons == 0 ? groups != 8 : groups > 7)
        return 0;
    return candidate.size();
}

// Phone numbers: digit groups with separators; see the header for the accepted shapes.
std::size_t match_phone(const std::string& s, std::size_t i) {
    std::size_t j = i;
    const bool plus = s[j] == '+';
    if (plus) {
        ++j;
        if (j >= s.size() || !(is_digit(s[j]) || s[j] == '('))
            return 0;
    }
    std::vector<std::size_t> groups;
    std::string separators;  // one char per gap: ' ', '-', '.', '(' for a parenthesised group
    bool parens = false;
    while (j < s.size()) {
        std::size_t k = j;
        bool in_parens = false;
        if (s[k] == '(') {
            in_parens = true;
            ++k;
        }
        const std::size_t n = digit_run(s, k);
        if (n == 0 || (in_parens && (k + n >= s.size() || s[k + n] != ')')))
            break;
        groups.push_back(n);
        parens = parens || in_parens;
        j = k + n + (in_parens ? 1 : 0);
        if (in_parens && j < s.size() && (s[j] == ' ' || s[j] == '-') && j + 1 < s.size() &&
            is_digit(s[j + 1])) {
            separators += '(';
            ++j;
            continue;
        }
        if (j + 1 < s.size() && (s[j] == ' ' || s[j] == '-' || s[j] == '.') &&
            (is_digit(s[j + 1]) || s[j + 1] == '(')) {
            separators += s[j];
            ++j;
            continue;
        }
        if (in_parens && j < s.size() && is_digit(s[j]))
            continue;  // "(010)12345678"
        break;
    }
    if (groups.empty())
        return 0;
    // Back off a separator that was consumed but not followed by a group.
    while (j > i && !is_digit(s[j - 1]) && s[j - 1] != ')')
        --j;
    if (!number_may_end(s, j))
        return 0;
    std::size_t digits = 0;
    for (std::size_t g : groups)
        digits += g;
    if (digits < 7 || digits > 15)
        return 0;
    if (plus || parens)
        return j - i;
    if (groups.size() == 1) {
        // Mainland China mobile numbers are written without separators.
        return digits == 11 && s[i] == '1' && s[i + 1] >= '3' && s[i + 1] <= '9' ? j - i : 0;
    }
    const bool all_dots = separators.find_first_not_of('.') == std::string::npos;
    if (separators.find('.') != std::string::npos) {
        if (!all_dots || groups.size() != 3 || groups[0] != 3 || groups[1] != 3 || groups[2] != 4)
            return 0;
        return j - i;
    }
    if (groups.size() == 2) {
        const bool us_local = groups[0] == 3 && groups[1] == 4 && separators[0] == '-';
        const bool cn_landline =
            (groups[0] == 3 || groups[0] == 4) && s[i] == '0' && (groups[1] == 7 || groups[1] == 8);
        return us_local || cn_landline ? j - i : 0;
    }
    if (groups.size() == 3) {
        // Dates: 2024-01-15, 15 01 2024.
        const bool date = (groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2) ||
                          (groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4);
        if (date)
            return 0;
    }
    return j - i;
}

// Long digit runs, and card numbers written in groups of 4 (e.g. 4111 1111 1111 1111).
std::size_t match_id(const std::string& s, std::size_t i, std::size_t min_digits) {
    const std::size_t n = digit_run(s, i);
    if (n >= min_digits && number_may_end(s, i + n))
        return n;
    if (n != 4)
        return 0;
    std::size_t j = i + n;
    std::size_t digits = n;
    while (j + 1 < s.size() && (s[j] == ' ' || s[j] == '-') && is_digit(s[j + 1])) {
        const std::size_t g = digit_run(s, j + 1);
        if (g < 4 || g > 6)
            break;
        digits += g;
        j += 1 + g;
    }
    return digits >= 13 && digits <= 19 && number_may_end(s, j) ? j - i : 0;
}

}  // namespace

DeidentifyCounts& DeidentifyCounts::operator+=(const DeidentifyCounts& other) {
    email += other.email;
    url += other.url;
    ip += other.ip;
    phone += other.phone;
    id += other.id;
    return *this;
}

std::string deidentify(const std::string& text, DeidentifyCounts* counts,
                       const DeidentifyOptions& options) {
    DeidentifyCounts local;
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        std::size_t n = 0;
        if (c == 'h' || c == 'H' || c == 'f' || c == 'F' || c == 'w' || c == 'W') {
            if ((n = match_url(text, i)) > 0) {
                out += "[URL]";
                ++local.url;
            }
        }
        if (n == 0 && is_alnum(c) && (n = match_email(text, i)) > 0) {
            out += "[EMAIL]";
            ++local.email;
        }
        if (n == 0 && (is_hex(c) || c == ':') && (n = match_ipv6(text, i)) > 0) {
            out += "[IP]";
            ++local.ip;
        }
        const bool number_start =
            (is_digit(c) || c == '+' || c == '(') && number_may_start(text, i);
        if (n == 0 && is_digit(c) && number_start && (n = match_ipv4(text, i)) > 0) {
            out += "[IP]";
            ++local.ip;
        }
        if (n == 0 && number_start && (n = match_phone(text, i)) > 0) {
            out += "[PHONE]";
            ++local.phone;
        }
        if (n == 0 && is_digit(c) && number_start &&
            (n = match_id(text, i, options.min_id_digits)) > 0) {
            out += "[ID]";
            ++local.id;
        }
        if (n > 0) {
            i += n;
            continue;
        }
        // No match: copy the whole word or number, so no match can start in its middle.
        std::size_t end = i + 1;
        if (is_alnum(c)) {
            while (end < text.size() && is_alnum(text[end]))
                ++end;
        }
        out.append(text, i, end - i);
        i = end;
    }
    if (counts != nullptr)
        *counts += local;
    return out;
}

DeidentifyCounts deidentify_rows(std::vector<std::vector<std::string>>& rows,
                                 const std::vector<std::size_t>& columns,
                                 const DeidentifyOptions& options) {
    DeidentifyCounts counts;
    for (auto& row : rows) {
        if (columns.empty()) {
            for (std::string& cell : row)
                cell = deidentify(cell, &counts, options);
            continue;
        }
        for (std::size_t c : columns) {
            if (c < row.size())
                row[c] = deidentify(row[c], &counts, options);
        }
    }
    return counts;
}

}  // namespace tb::data
