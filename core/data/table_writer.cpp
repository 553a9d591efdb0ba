// Writes a Table back to CSV/TSV/JSONL, and names new dataset versions (name.v2.csv, ...), so
// that edits made in tunebench never overwrite the user's original file.
#include "data/table_writer.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

namespace tb::data {

namespace {

void append_field(std::string& out, const std::string& field, char separator) {
    bool quote = false;
    for (char c : field)
        if (c == separator || c == '"' || c == '\n' || c == '\r')
            quote = true;
    if (!quote) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void append_delimited_row(std::string& out, const std::vector<std::string>& cells, char separator) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += separator;
        append_field(out, cells[i], separator);
    }
    out += '\n';
}

}  // namespace

std::string format_table(const Table& table, TableFormat format) {
    if (format == TableFormat::Auto)
        format = table.format;
    std::string out;
    if (format == TableFormat::Jsonl) {
        for (const auto& row : table.rows) {
            nlohmann::ordered_json object = nlohmann::ordered_json::object();
            for (std::size_t c = 0; c < table.columns.size() && c < row.size(); ++c)
                object[table.columns[c]] = row[c];
            out += object.dump();
            out += '\n';
        }
        return out;
    }
    const char separator = format == TableFormat::Csv ? ',' : '\t';
    append_delimited_row(out, table.columns, separator);
    for (const auto& row : table.rows)
        append_delimited_row(out, row, separator);
    return out;
}

void write_new_table_file(const Table& table, const std::string& path, TableFormat format) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        throw Error("will not overwrite the existing file; choose a new name",
                    SourceLocation{path, 0, 0, ""});
    const std::string content = format_table(table, format);
    atomic_write(path, [&](const std::string& tmp) {
        write_whole_file(tmp, content.data(), content.size());
    });
}

std::string next_version_path(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path p(path);
    const std::string extension = p.extension().string();
    std::string stem = p.stem().string();
    int version = 2;
    // "name.v2" -> stem "name", next version 3.
    const auto dot = stem.rfind(".v");
    if (dot != std::string::npos && dot + 2 < stem.size()) {
        const std::string digits = stem.substr(dot + 2);
        bool all_digits = digits.size() <= 6;
        for (char c : digits)
            all_digits = all_digits && c >= '0' && c <= '9';
        if (all_digits) {
            version = std::stoi(digits) + 1;
            stem = stem.substr(0, dot);
        }
    }
    std::error_code ec;
    for (;; ++version) {
        fs::path candidate = p.parent_path() / (stem + ".v" + std::to_string(version) + extension);
        if (!fs::exists(candidate, ec))
            return candidate.string();
    }
}

}  // namespace tb::data
