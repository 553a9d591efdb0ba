// libFuzzer target: parse_table as JSONL and as label_text must either return a
// table whose rows all have the header's width or throw tb::Error; nothing else.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/error.h"
#include "data/table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string content(reinterpret_cast<const char*>(data), size);
    for (tb::data::TableFormat format :
         {tb::data::TableFormat::Jsonl, tb::data::TableFormat::LabelText}) {
        try {
            const tb::data::Table table = tb::data::parse_table(content, format, "fuzz");
            for (const auto& row : table.rows) {
                if (row.size() != table.columns.size())
                    std::abort();
            }
            if (table.rows.size() != table.row_lines.size())
                std::abort();
        } catch (const tb::Error&) {
        }
    }
    return 0;
}
