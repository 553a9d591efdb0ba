// JSON Lines reader: each line parsed on its own with nlohmann::ordered_json, so key order is
// kept and an error points at the line and the character where the JSON parser stopped.
#include "data/jsonl_reader.h"

#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "data/text_encoding.h"

namespace tb::data {
namespace {

using Json = nlohmann::ordered_json;

// Bounds the nesting depth so that hostile input cannot exhaust the stack when a nested value
// is serialised back to text.
constexpr int kMaxDepth = 64;

struct DepthExceeded {};

const char* type_phrase(const Json& value) {
    switch (value.type()) {
        case Json::value_t::array:
            return "a JSON array";
        case Json::value_t::string:
            return "a JSON string";
        case Json::value_t::boolean:
            return "a JSON boolean";
        case Json::value_t::null:
            return "JSON null";
        default:
            return "a JSON number";
    }
}

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1,
// column 7: "; our location prefix already says where, so keep only the explanation.
std::string parser_explanation(const std::string& what) {
    const std::size_t column = what.find(", column ");
    if (column != std::string::npos) {
        const std::size_t colon = what.find(": ", column);
        if (colon != std::string::npos)
            return what.substr(colon + 2);
    }
    const std::size_t bracket = what.find("] ");
    return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

std::string cell_text(const Json& value) {
    switch (value.type()) {
        case Json::value_t::string:
            return value.get<std::string>();
        case Json::value_t::null:
        case Json::value_t::discarded:
            return {};
        default:
            return value.dump();
    }
}

class JsonlParser {
public:
    JsonlParser(const std::string& content, std::size_t start, const std::string& source)
        : s_(content), source_(source), pos_(start) {}

    Table run() {
        Table table;
        table.source = source_;
        long line = 1;
        while (pos_ < s_.size()) {
            std::size_t end = s_.find_first_of("\r\n", pos_);
            if (end == std::string::npos)
                end = s_.size();
            parse_line(line, pos_, end, table);
            pos_ = end;
            if (pos_ < s_.size()) {
                if (s_[pos_] == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n')
                    ++pos_;
                ++pos_;
            }
            ++line;
        }
        if (table.rows.empty()) {
            throw Error(
                "the file has no JSON objects: expected one object per line, e.g. "
                "{\"text\": \"...\", \"label\": \"...\"}",
                SourceLocation{source_, 0, 0, {}});
        }
        if (table.columns.empty()) {
            throw Error(
                "every object in the file is empty ({}); expected fields such as "
                "\"text\" and \"label\"",
                SourceLocation{source_, table.row_lines.front(), 1, {}});
        }
        for (auto& row : table.rows)
            row.resize(table.columns.size());
        return table;
    }

private:
    void parse_line(long line, std::size_t begin, std::size_t end, Table& table) {
        std::size_t first = begin;
        while (first < end && (s_[first] == ' ' || s_[first] == '\t'))
            ++first;
        if (first == end)
            return;  // blank line

        const std::string text = s_.substr(begin, end - begin);
        Json value;
        try {
            value = Json::parse(text, [](int depth, Json::parse_event_t, Json&) {
                if (depth > kMaxDepth)
                    throw DepthExceeded{};
                return true;
            });
        } catch (const Json::parse_error& e) {
            // e.byte is the 1-based index of the byte where parsing stopped (one past the end
            // for a truncated line).
            const std::size_t stop = e.byte == 0 ? 0 : e.byte - 1;
            throw Error("invalid JSON: " + parser_explanation(e.what()),
                        SourceLocation{source_, line, character_column(text, 0, stop), {}});
        } catch (const DepthExceeded&) {
            throw Error("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels",
                        SourceLocation{source_, line, character_column(s_, begin, first), {}});
        } catch (const Json::exception& e) {
            throw Error("invalid JSON: " + parser_explanation(e.what()),
                        SourceLocation{source_, line, character_column(s_, begin, first), {}});
        }
        if (!value.is_object()) {
            throw Error(std::string("the line is ") + type_phrase(value) +
                            ", but each line must be one JSON object, e.g. "
                            "{\"text\": \"...\", \"label\": \"...\"}",
                        SourceLocation{source_, line, character_column(s_, begin, first), {}});
        }

        std::vector<std::string> row(table.columns.size());
        for (auto it = value.begin(); it != value.end(); ++it) {
            const std::string& key = it.key();
            if (key.empty()) {
                throw Error("an object has an empty key \"\"; every field needs a name",
                            SourceLocation{source_, line, character_column(s_, begin, first), {}});
            }
            auto found = column_of_.find(key);
            if (found == column_of_.end()) {
                found = column_of_.emplace(key, table.columns.size()).first;
                table.columns.push_back(key);
                row.resize(table.columns.size());
            }
            row[found->second] = cell_text(it.value());
        }
        table.rows.push_back(std::move(row));
        table.row_lines.push_back(line);
    }

    const std::string& s_;
    const std::string& source_;
    std::size_t pos_ = 0;
    std::unordered_map<std::string, std::size_t> column_of_;
};

}  // namespace

Table parse_jsonl(const std::string& content, std::size_t start, const std::string& source) {
    return JsonlParser(content, start, source).run();
}

}  // namespace tb::data
