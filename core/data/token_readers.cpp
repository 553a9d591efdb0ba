// CoNLL, token JSONL and tagged-text readers. Each keeps the line (and, where known, the
// character column) of every tag so that tag problems found later point at the file.
#include "data/token_readers.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "data/file_bytes.h"
#include "data/text_encoding.h"

namespace tb::data {
namespace {

// Bytes looked at to detect the format of a file without a telling extension.
constexpr std::size_t kSniffBytes = 64 * 1024;

struct Field {
    std::string text;
    std::size_t begin = 0;  // byte offset in the content
};

// Calls `on_line(begin, end, line_number)` for every line (LF, CRLF or lone CR) from `start`.
template <typename F>
void for_each_line(const std::string& s, std::size_t start, F on_line) {
    long line = 1;
    std::size_t pos = start;
    while (pos < s.size()) {
        std::size_t end = pos;
        while (end < s.size() && s[end] != '\n' && s[end] != '\r')
            ++end;
        on_line(pos, end, line);
        ++line;
        if (end < s.size() && s[end] == '\r' && end + 1 < s.size() && s[end + 1] == '\n')
            ++end;
        pos = end + 1;
    }
}

// Tab-separated when the line has a tab, else separated by runs of spaces. Fills `fields`
// (cleared first; callers reuse it across lines to keep its allocation).
void split_columns(const std::string& s, std::size_t begin, std::size_t end,
                   std::vector<Field>& fields) {
    fields.clear();
    const bool tabs =
        std::find(s.begin() + static_cast<long>(begin), s.begin() + static_cast<long>(end), '\t') !=
        s.begin() + static_cast<long>(end);
    if (tabs) {
        std::size_t field = begin;
        for (std::size_t i = begin; i <= end; ++i) {
            if (i == end || s[i] == '\t') {
                fields.push_back(Field{s.substr(field, i - field), field});
                field = i + 1;
            }
        }
        return;
    }
    std::size_t i = begin;
    while (i < end) {
        while (i < end && s[i] == ' ')
            ++i;
        const std::size_t field = i;
        while (i < end && s[i] != ' ')
            ++i;
        if (i > field)
            fields.push_back(Field{s.substr(field, i - field), field});
    }
}

bool blank_range(const std::string& s, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    }
    return true;
}

std::string lowercase_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// A sentence being collected, with the reason it must be left out (empty when fine).
struct Pending {
    RawTokenSentence sentence;
    bool bad = false;
};

void finish(Pending& pending, TokenFile& file) {
    if (!pending.bad && !pending.sentence.tokens.empty())
        file.sentences.push_back(std::move(pending.sentence));
    pending = Pending{};
}

}  // namespace

TokenFormat token_format_from_name(const std::string& name) {
    if (name == "auto")
        return TokenFormat::Auto;
    if (name == "conll")
        return TokenFormat::Conll;
    if (name == "jsonl")
        return TokenFormat::Jsonl;
    if (name == "tagged")
        return TokenFormat::Tagged;
    throw Error("unknown token file format '" + name +
                "'; expected one of: auto, conll, jsonl, tagged");
}

std::string token_format_name(TokenFormat format) {
    switch (format) {
        case TokenFormat::Auto:
            return "auto";
        case TokenFormat::Conll:
            return "conll";
        case TokenFormat::Jsonl:
            return "jsonl";
        case TokenFormat::Tagged:
            return "tagged";
    }
    return "auto";
}

TokenFormat detect_token_format(const std::string& content, const std::string& path) {
    const std::string ext = lowercase_extension(path);
    if (ext == ".conll" || ext == ".conllu" || ext == ".bio" || ext == ".iob" || ext == ".iobes")
        return TokenFormat::Conll;
    if (ext == ".jsonl" || ext == ".ndjson")
        return TokenFormat::Jsonl;
    std::size_t pos = content.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (pos < content.size() && std::isspace(static_cast<unsigned char>(content[pos])))
        ++pos;
    if (pos < content.size() && content[pos] == '{')
        return TokenFormat::Jsonl;
    std::size_t end = pos;
    while (end < content.size() && content[end] != '\n' && content[end] != '\r')
        ++end;
    std::vector<Field> items;
    split_columns(content, pos, end, items);
    // Tagged text has many word/TAG items per line; a CoNLL line has a few columns.
    std::size_t tagged = 0;
    for (const Field& item : items) {
        const std::size_t slash = item.text.rfind('/');
        if (slash != std::string::npos && slash > 0 && slash + 1 < item.text.size())
            ++tagged;
    }
    if (items.size() >= 2 && tagged == items.size() &&
        std::find(content.begin() + static_cast<long>(pos),
                  content.begin() + static_cast<long>(end),
                  '\t') == content.begin() + static_cast<long>(end)) {
        return TokenFormat::Tagged;
    }
    if (items.size() >= 3 && tagged == items.size())
        return TokenFormat::Tagged;  // indented Brown lines: a tab then word/TAG items
    return TokenFormat::Conll;
}

ConllLineKind conll_line_kind(const char* text, std::size_t length) {
    std::size_t i = 0;
    while (i < length && (text[i] == ' ' || text[i] == '\t'))
        ++i;
    if (i == length)
        return ConllLineKind::Blank;
    // The first column as split_columns cuts it: up to the first tab when the line has one
    // (leading spaces included), else the first run of non-spaces.
    static const std::string kDocStart = "-DOCSTART-";
    const char* tab = static_cast<const char*>(std::memchr(text, '\t', length));
    std::size_t begin = 0;
    std::size_t end = 0;
    if (tab != nullptr) {
        end = static_cast<std::size_t>(tab - text);
    } else {
        begin = 0;
        while (begin < length && text[begin] == ' ')
            ++begin;
        end = begin;
        while (end < length && text[end] != ' ')
            ++end;
    }
    return end - begin == kDocStart.size() &&
                   kDocStart.compare(0, kDocStart.size(), text + begin, end - begin) == 0
               ? ConllLineKind::DocStart
               : ConllLineKind::Token;
}

TokenFile parse_conll(const std::string& content, std::size_t start, const ConllOptions& options,
                      const std::string& source) {
    if (options.token_column < 1 || options.tag_column < 0) {
        throw Error("token_column must be >= 1 and tag_column >= 1 (or 0 for the last column)",
                    SourceLocation{source, 0, 0, "tag_column"});
    }
    TokenFile file;
    file.source = source;
    file.format = TokenFormat::Conll;
    Pending pending;
    std::size_t sentence_width = 0;
    std::vector<Field> fields;  // of the current line
    for_each_line(content, start, [&](std::size_t begin, std::size_t end, long line) {
        if (conll_line_kind(content.data() + begin, end - begin) != ConllLineKind::Token) {
            finish(pending, file);
            return;
        }
        split_columns(content, begin, end, fields);
        if (pending.bad)
            return;
        const std::size_t token_index = static_cast<std::size_t>(options.token_column - 1);
        const std::size_t tag_index = options.tag_column == 0
                                          ? (fields.empty() ? 0 : fields.size() - 1)
                                          : static_cast<std::size_t>(options.tag_column - 1);
        const std::size_t needed = std::max(token_index, tag_index) + 1;
        if (fields.size() < needed || (options.tag_column == 0 && fields.size() < 2)) {
            const std::size_t want = std::max<std::size_t>(needed, 2);
            file.problems.push_back(DataProblem{
                "missing_column", source, line, character_column(content, begin, end),
                "the line has " + std::to_string(fields.size()) + " column(s) but the " +
                    (options.tag_column == 0
                         ? std::string("token and tag need ")
                         : "tag column " + std::to_string(options.tag_column) + " needs ") +
                    std::to_string(want) + "; the sentence is left out"});
            pending.bad = true;
            return;
        }
        if (pending.sentence.tokens.empty()) {
            sentence_width = fields.size();
        } else if (fields.size() != sentence_width) {
            file.problems.push_back(DataProblem{
                "ragged_line", source, line, character_column(content, begin, fields.back().begin),
                "the line has " + std::to_string(fields.size()) +
                    " columns but the sentence's first line has " + std::to_string(sentence_width) +
                    "; the tag column is ambiguous, so the sentence is left out"});
            pending.bad = true;
            return;
        }
        const Field& tag = fields[tag_index];
        if (is_blank(tag.text)) {
            file.problems.push_back(DataProblem{"missing_tag", source, line,
                                                character_column(content, begin, tag.begin),
                                                "the tag is empty; the sentence is left out"});
            pending.bad = true;
            return;
        }
        pending.sentence.tokens.push_back(fields[token_index].text);
        pending.sentence.tags.push_back(tag.text);
        pending.sentence.lines.push_back(line);
        pending.sentence.columns.push_back(character_column(content, begin, tag.begin));
    });
    finish(pending, file);
    return file;
}

TokenFile parse_token_jsonl(const std::string& content, std::size_t start,
                            const std::string& source, const std::string& tokens_key,
                            const std::string& tags_key) {
    TokenFile file;
    file.source = source;
    file.format = TokenFormat::Jsonl;
    for_each_line(content, start, [&](std::size_t begin, std::size_t end, long line) {
        if (blank_range(content, begin, end))
            return;
        auto problem = [&](const std::string& kind, const std::string& message) {
            file.problems.push_back(
                DataProblem{kind, source, line, 1, message + "; the line is left out"});
        };
        nlohmann::json object;
        try {
            object = nlohmann::json::parse(content.begin() + static_cast<long>(begin),
                                           content.begin() + static_cast<long>(end));
        } catch (const nlohmann::json::exception&) {
            problem("parse_error", "the line is not valid JSON");
            return;
        }
        if (!object.is_object()) {
            problem("parse_error", "the line is not a JSON object");
            return;
        }
        RawTokenSentence sentence;
        for (const auto& [key, out] :
             {std::pair<std::string, std::vector<std::string>*>{tokens_key, &sentence.tokens},
              {tags_key, &sentence.tags}}) {
            const auto it = object.find(key);
            if (it == object.end() || !it->is_array()) {
                problem("missing_key", "the object has no array '" + key + "'");
                return;
            }
            for (const auto& item : *it) {
                if (!item.is_string()) {
                    problem("bad_value", "'" + key + "' holds a non-string item " + item.dump());
                    return;
                }
                out->push_back(item.get<std::string>());
            }
        }
        if (sentence.tokens.size() != sentence.tags.size()) {
            problem("length_mismatch", "'" + tokens_key + "' has " +
                                           std::to_string(sentence.tokens.size()) + " items but '" +
                                           tags_key + "' has " +
                                           std::to_string(sentence.tags.size()));
            return;
        }
        if (sentence.tokens.empty())
            return;
        sentence.lines.assign(sentence.tokens.size(), line);
        sentence.columns.assign(sentence.tokens.size(), 0);
        file.sentences.push_back(std::move(sentence));
    });
    return file;
}

TokenFile parse_tagged_text(const std::string& content, std::size_t start,
                            const std::string& source) {
    TokenFile file;
    file.source = source;
    file.format = TokenFormat::Tagged;
    for_each_line(content, start, [&](std::size_t begin, std::size_t end, long line) {
        // Items are separated by spaces and tabs alike.
        RawTokenSentence sentence;
        std::size_t i = begin;
        while (i < end) {
            while (i < end && (content[i] == ' ' || content[i] == '\t'))
                ++i;
            const std::size_t item = i;
            while (i < end && content[i] != ' ' && content[i] != '\t')
                ++i;
            if (i == item)
                continue;
            const std::string text = content.substr(item, i - item);
            const std::size_t slash = text.rfind('/');
            if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) {
                file.problems.push_back(DataProblem{
                    "untagged_token", source, line, character_column(content, begin, item),
                    "'" + text + "' is not word/TAG; the sentence is left out"});
                return;
            }
            sentence.tokens.push_back(text.substr(0, slash));
            sentence.tags.push_back(text.substr(slash + 1));
            sentence.lines.push_back(line);
            sentence.columns.push_back(character_column(content, begin, item + slash + 1));
        }
        if (!sentence.tokens.empty())
            file.sentences.push_back(std::move(sentence));
    });
    return file;
}

TokenFile parse_token_file(const std::string& content, TokenFormat format,
                           const std::string& source, const ConllOptions& conll) {
    const std::size_t start = check_text_encoding(content, source);
    if (format == TokenFormat::Auto)
        format = detect_token_format(content.substr(0, kSniffBytes), source);
    switch (format) {
        case TokenFormat::Jsonl:
            return parse_token_jsonl(content, start, source);
        case TokenFormat::Tagged:
            return parse_tagged_text(content, start, source);
        default:
            return parse_conll(content, start, conll, source);
    }
}

TokenFile read_token_file(const std::string& path, TokenFormat format, const ConllOptions& conll) {
    return parse_token_file(read_text_file(path), format, path, conll);
}

}  // namespace tb::data
