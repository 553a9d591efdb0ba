// CSV/TSV reader: a single forward pass over the bytes with RFC 4180 quoting. Positions are
// tracked as (byte, line, line start) and turned into character columns only for errors.
#include "data/delimited_reader.h"

#include <array>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/error.h"
#include "data/text_encoding.h"

namespace tb::data {
namespace {

bool is_line_break(char c) {
    return c == '\n' || c == '\r';
}

std::string separator_name(char separator) {
    return separator == '\t' ? std::string("tab") : "'" + std::string(1, separator) + "'";
}

class DelimitedParser {
public:
    DelimitedParser(const std::string& content, std::size_t start, const DelimitedOptions& options,
                    const std::string& source)
        : s_(content), options_(options), source_(source), pos_(start), line_start_(start) {
        for (char c : {'\r', '\n', options.separator}) {
            unquoted_stops_[static_cast<unsigned char>(c)] = true;
        }
        if (options.strict_quotes)
            unquoted_stops_['"'] = true;
        for (char c : {'\r', '\n', '"'})
            quoted_stops_[static_cast<unsigned char>(c)] = true;
    }

    Table run() {
        Table table;
        table.source = source_;
        Record record;
        if (!read_record(record)) {
            throw Error("the file is empty: expected a header row with the column names",
                        SourceLocation{source_, 0, 0, {}});
        }
        check_header(record);
        table.columns = std::move(record.fields);
        const std::size_t expected = table.columns.size();
        while (read_record(record)) {
            check_field_count(record, expected);
            table.rows.push_back(std::move(record.fields));
            table.row_lines.push_back(record.line);
            record.fields = {};
        }
        return table;
    }

private:
    // A position in the input; the column is computed from it only when an error needs it.
    struct Mark {
        std::size_t pos = 0;
        long line = 0;
        std::size_t line_start = 0;
    };

    struct Record {
        std::vector<std::string> fields;
        std::vector<Mark> starts;  // where each field starts
        Mark end;                  // where the record's line break (or the end of input) is
        long line = 0;             // line where the record starts
    };

    Mark mark() const { return Mark{pos_, line_, line_start_}; }

    SourceLocation where(const Mark& m) const {
        return SourceLocation{source_, m.line, character_column(s_, m.line_start, m.pos), {}};
    }

    bool at_end() const { return pos_ >= s_.size(); }

    // First position at or after pos_ whose byte is in `stops`, or the end of input. A table
    // lookup: std::string::find_first_of calls memchr on the set for every byte.
    std::size_t scan(const std::array<bool, 256>& stops) const {
        std::size_t pos = pos_;
        while (pos < s_.size() && !stops[static_cast<unsigned char>(s_[pos])])
            ++pos;
        return pos;
    }

    // Consumes LF, CRLF or a lone CR as one line break.
    void consume_line_break() {
        if (s_[pos_] == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n')
            ++pos_;
        ++pos_;
        ++line_;
        line_start_ = pos_;
    }

    // Reads one record; returns false at the end of input. Empty lines are skipped (a line with
    // only a separator is not empty: it is a record of empty fields).
    bool read_record(Record& record) {
        while (!at_end() && is_line_break(s_[pos_]))
            consume_line_break();
        if (at_end())
            return false;
        record.fields.clear();
        record.starts.clear();
        record.line = line_;
        for (;;) {
            record.starts.push_back(mark());
            record.fields.emplace_back();
            std::string& field = record.fields.back();
            if (!at_end() && s_[pos_] == '"') {
                read_quoted(field);
            } else {
                read_unquoted(field);
            }
            if (at_end()) {
                record.end = mark();
                return true;
            }
            if (s_[pos_] == options_.separator) {
                ++pos_;
                continue;
            }
            record.end = mark();
            consume_line_break();
            return true;
        }
    }

    void read_unquoted(std::string& field) {
        const std::size_t stop = scan(unquoted_stops_);
        field.assign(s_, pos_, stop - pos_);
        pos_ = stop;
        if (!at_end() && s_[pos_] == '"') {
            if (!field.empty() && field.find_first_not_of(" \t") == std::string::npos) {
                throw Error(
                    "a quote (\") inside an unquoted field: there is a space before the "
                    "opening quote; remove the spaces after the separator",
                    where(mark()));
            }
            throw Error(
                "a quote (\") inside an unquoted field; if the field contains quotes, enclose "
                "the whole field in quotes and double each quote inside it (\"\")",
                where(mark()));
        }
    }

    void read_quoted(std::string& field) {
        const Mark open = mark();
        ++pos_;
        for (;;) {
            if (at_end()) {
                std::string message = "quoted field is never closed: no closing quote (\") found";
                if (line_ > open.line) {
                    message += "; the rest of the file (lines " + std::to_string(open.line) + "-" +
                               std::to_string(line_) + ") was read as part of this field";
                }
                throw Error(message, where(open));
            }
            const char c = s_[pos_];
            if (c == '"') {
                if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '"') {
                    field += '"';
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                break;
            }
            if (is_line_break(c)) {
                const std::size_t begin = pos_;
                consume_line_break();
                field.append(s_, begin, pos_ - begin);
                continue;
            }
            const std::size_t stop = scan(quoted_stops_);
            field.append(s_, pos_, stop - pos_);
            pos_ = stop;
        }
        if (!at_end() && s_[pos_] != options_.separator && !is_line_break(s_[pos_])) {
            throw Error("unexpected text after the closing quote of a quoted field; expected " +
                            separator_name(options_.separator) +
                            " or the end of the line. A quote inside a quoted field must be "
                            "doubled (\"\")",
                        where(mark()));
        }
    }

    void check_header(const Record& header) const {
        std::unordered_map<std::string, std::size_t> seen;
        for (std::size_t i = 0; i < header.fields.size(); ++i) {
            const std::string& name = header.fields[i];
            if (is_blank(name)) {
                std::string message = "column " + std::to_string(i + 1) +
                                      " of the header row has no name; every column needs one";
                if (i == 0 && header.fields.size() > 1) {
                    message +=
                        " (files written by pandas' to_csv() start with an unnamed index "
                        "column: write them with index=False)";
                }
                throw Error(message, where(header.starts[i]));
            }
            const auto inserted = seen.emplace(name, i);
            if (!inserted.second) {
                throw Error("duplicate column name '" + name + "' (columns " +
                                std::to_string(inserted.first->second + 1) + " and " +
                                std::to_string(i + 1) + "); column names must be unique",
                            where(header.starts[i]));
            }
        }
    }

    void check_field_count(const Record& record, std::size_t expected) const {
        const std::size_t found = record.fields.size();
        if (found == expected)
            return;
        std::string message = "expected " + std::to_string(expected) +
                              " fields (as in the header) but found " + std::to_string(found);
        if (found > expected) {
            message += "; a field that contains " + separator_name(options_.separator) +
                       " must be enclosed in quotes";
            throw Error(message, where(record.starts[expected]));
        }
        throw Error(message, where(record.end));
    }

    const std::string& s_;
    const DelimitedOptions options_;
    const std::string& source_;
    std::array<bool, 256> unquoted_stops_{};  // bytes that end an unquoted field
    std::array<bool, 256> quoted_stops_{};    // bytes a quoted field must look at
    std::size_t pos_ = 0;
    long line_ = 1;
    std::size_t line_start_ = 0;
};

}  // namespace

Table parse_delimited(const std::string& content, std::size_t start,
                      const DelimitedOptions& options, const std::string& source) {
    return DelimitedParser(content, start, options, source).run();
}

}  // namespace tb::data
