// A parsed tabular file: column names plus string cells, with the source line of every row.
#pragma once

#include <string>
#include <vector>

namespace tb::data {

// LabelText: headerless "label<TAB>text" lines (fastText/GLUE style); read as columns
// "label" and "text". Never detected automatically (it looks like a headerless TSV).
enum class TableFormat { Auto, Csv, Tsv, Jsonl, LabelText };
TableFormat table_format_from_name(
    const std::string& name);  // "auto","csv","tsv","jsonl","label_text"; throws tb::Error
std::string table_format_name(TableFormat format);
TableFormat detect_table_format(const std::string& path);  // by extension, then by content sniffing

struct Table {
    std::string source;  // file path as given
    std::vector<std::string>
        columns;  // header names (CSV/TSV header, JSONL keys in first-seen order)
    std::vector<std::vector<std::string>> rows;  // rows[i].size() == columns.size()
    std::vector<long> row_lines;                 // 1-based line where row i starts in the file
    TableFormat format = TableFormat::Auto;      // format it was parsed as (never Auto once read)

    // Index of a column by name; throws tb::Error naming the file and the available columns.
    std::size_t column_index(const std::string& name) const;
};

// Reads the whole file. Malformed input (unterminated quote, wrong field count, invalid UTF-8,
// UTF-16/32 BOM, bad JSON) throws tb::Error with file, line and column (byte offset for encoding).
// Accepts UTF-8 with or without BOM, LF and CRLF, RFC 4180 quoting (embedded separators, "" and
// newlines inside quotes).
Table read_table(const std::string& path, TableFormat format = TableFormat::Auto);
// Same, from memory (tests, fuzzing); `source` is used in error messages.
Table parse_table(const std::string& content, TableFormat format, const std::string& source);
// Same, for content whose encoding was already checked (e.g. rows read through a RowIndex, whose
// build validated every byte): parsing starts at `start`, past any BOM. `format` is not Auto.
Table parse_checked_table(const std::string& content, std::size_t start, TableFormat format,
                          const std::string& source);

}  // namespace tb::data
