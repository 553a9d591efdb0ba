// Table entry points: format names and detection, column lookup, and read/parse dispatch to
// the CSV/TSV and JSONL readers after the shared encoding check.
#include "data/table.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <filesystem>

#include "common/error.h"
#include "data/delimited_reader.h"
#include "data/file_bytes.h"
#include "data/jsonl_reader.h"
#include "data/label_text_reader.h"
#include "data/text_encoding.h"

namespace tb::data {
namespace {

// Bytes read to sniff the format of a file with an unknown extension: enough for a header.
constexpr std::size_t kSniffBytes = 64 * 1024;
// Column names listed in a "no such column" error before the list is cut short.
constexpr std::size_t kMaxListedColumns = 20;

std::string lowercase_ascii(std::string text) {
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string extension_of(const std::string& path) {
    return lowercase_ascii(std::filesystem::path(path).extension().string());
}

TableFormat format_from_extension(const std::string& extension) {
    if (extension == ".csv")
        return TableFormat::Csv;
    if (extension == ".tsv" || extension == ".tab")
        return TableFormat::Tsv;
    if (extension == ".jsonl" || extension == ".ndjson")
        return TableFormat::Jsonl;
    return TableFormat::Auto;
}

// Looks at the first line: '{' means JSON Lines; more tabs than commas (outside quotes) means
// TSV; anything else is read as CSV. `path` only improves the message for a JSON array.
TableFormat sniff_format(const std::string& head, const std::string& path) {
    std::size_t pos = head.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (pos < head.size() &&
           (head[pos] == ' ' || head[pos] == '\t' || head[pos] == '\r' || head[pos] == '\n')) {
        ++pos;
    }
    if (pos < head.size() && head[pos] == '{')
        return TableFormat::Jsonl;
    if (pos < head.size() && head[pos] == '[' && extension_of(path) == ".json") {
        throw Error(
            "the file is a JSON array; tunebench reads JSON Lines: one object per line, "
            "e.g. {\"text\": \"...\", \"label\": \"...\"}, saved as .jsonl",
            SourceLocation{path, 1, 1, {}});
    }
    std::size_t tabs = 0;
    std::size_t commas = 0;
    bool quoted = false;
    for (; pos < head.size(); ++pos) {
        const char c = head[pos];
        if (c == '"')
            quoted = !quoted;
        if (quoted)
            continue;
        if (c == '\n' || c == '\r')
            break;
        if (c == '\t')
            ++tabs;
        if (c == ',')
            ++commas;
    }
    return tabs > commas ? TableFormat::Tsv : TableFormat::Csv;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    const std::size_t shown = std::min(names.size(), kMaxListedColumns);
    for (std::size_t i = 0; i < shown; ++i) {
        if (i > 0)
            out += ", ";
        out += "'" + names[i] + "'";
    }
    if (names.size() > shown)
        out += ", ... (" + std::to_string(names.size() - shown) + " more)";
    return out;
}

}  // namespace

TableFormat table_format_from_name(const std::string& name) {
    if (name == "auto")
        return TableFormat::Auto;
    if (name == "csv")
        return TableFormat::Csv;
    if (name == "tsv")
        return TableFormat::Tsv;
    if (name == "jsonl")
        return TableFormat::Jsonl;
    if (name == "label_text")
        return TableFormat::LabelText;
    throw Error("unknown table format '" + name +
                "'; expected one of: auto, csv, tsv, jsonl, label_text");
}

std::string table_format_name(TableFormat format) {
    switch (format) {
        case TableFormat::Auto:
            return "auto";
        case TableFormat::Csv:
            return "csv";
        case TableFormat::Tsv:
            return "tsv";
        case TableFormat::Jsonl:
            return "jsonl";
        case TableFormat::LabelText:
            return "label_text";
    }
    return "auto";
}

TableFormat detect_table_format(const std::string& path) {
    const TableFormat by_extension = format_from_extension(extension_of(path));
    if (by_extension != TableFormat::Auto)
        return by_extension;
    return sniff_format(read_text_file(path, kSniffBytes), path);
}

std::size_t Table::column_index(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == name)
            return i;
    }
    std::string message = "no column named '" + name + "'";
    // A near miss (case or surrounding spaces) is the usual cause; name it.
    for (const std::string& column : columns) {
        if (lowercase_ascii(trim_blank(column)) == lowercase_ascii(trim_blank(name))) {
            message += " (did you mean '" + column + "'?)";
            break;
        }
    }
    message += "; the columns are: " + quoted_list(columns);
    throw Error(message, SourceLocation{source, 0, 0, {}});
}

Table parse_table(const std::string& content, TableFormat format, const std::string& source) {
    const std::size_t start = check_text_encoding(content, source);
    if (format == TableFormat::Auto) {
        format = format_from_extension(extension_of(source));
        if (format == TableFormat::Auto)
            format = sniff_format(content, source);
    }
    return parse_checked_table(content, start, format, source);
}

Table parse_checked_table(const std::string& content, std::size_t start, TableFormat format,
                          const std::string& source) {
    Table table;
    switch (format) {
        case TableFormat::Jsonl:
            table = parse_jsonl(content, start, source);
            break;
        case TableFormat::LabelText:
            table = parse_label_text(content, start, source);
            break;
        case TableFormat::Tsv:
            table = parse_delimited(content, start, DelimitedOptions{'\t', false}, source);
            break;
        default:
            table = parse_delimited(content, start, DelimitedOptions{',', true}, source);
    }
    table.format = format;
    return table;
}

Table read_table(const std::string& path, TableFormat format) {
    return parse_table(read_text_file(path), format, path);
}

}  // namespace tb::data
