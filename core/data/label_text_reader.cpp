// Headerless label<TAB>text lines: one split per line, line numbers kept for every row.
#include "data/label_text_reader.h"

#include "common/error.h"
#include "data/text_encoding.h"

namespace tb::data {

Table parse_label_text(const std::string& content, std::size_t start, const std::string& source) {
    Table table;
    table.source = source;
    table.columns = {"label", "text"};
    long line = 1;
    std::size_t pos = start;
    while (pos < content.size()) {
        std::size_t end = pos;
        while (end < content.size() && content[end] != '\n' && content[end] != '\r')
            ++end;
        const std::string text = content.substr(pos, end - pos);
        if (!is_blank(text)) {
            const std::size_t tab = text.find('\t');
            if (tab == std::string::npos) {
                throw Error(
                    "the line has no tab; a label_text file has `label<TAB>text` on every line "
                    "(choose format csv or tsv for files with a header)",
                    SourceLocation{source, line, character_column(content, pos, end), {}});
            }
            table.rows.push_back({text.substr(0, tab), text.substr(tab + 1)});
            table.row_lines.push_back(line);
        }
        ++line;
        if (end < content.size() && content[end] == '\r' && end + 1 < content.size() &&
            content[end + 1] == '\n')
            ++end;
        pos = end + 1;
    }
    if (table.rows.empty()) {
        throw Error("the file has no `label<TAB>text` line (it is empty or blank)",
                    SourceLocation{source, 0, 0, {}});
    }
    return table;
}

}  // namespace tb::data
