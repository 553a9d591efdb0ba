// Writes a Table back to CSV/TSV/JSONL, and names new dataset versions (name.v2.csv, ...), so
// that edits made in tunebench never overwrite the user's original file.
#pragma once

#include <string>

#include "data/table.h"

namespace tb::data {

// The table as file content in `format` (Csv, Tsv or Jsonl; Auto means the table's own format,
// LabelText-style formats are written as TSV with a header). CSV follows RFC 4180: a field with
// the separator, a quote, CR or LF is quoted and its quotes doubled. TSV quotes the same way a
// field holding a tab, CR, LF or starting with a quote, so read_table reads back the same cells.
// JSONL writes one object per row with every cell as a JSON string, keys in column order.
// Row lines are not written (they are re-derived on reading).
std::string format_table(const Table& table, TableFormat format = TableFormat::Auto);

// Writes format_table(table, format) to `path` atomically. Throws tb::Error (located at `path`)
// if `path` already exists, so a user's file is never replaced, or if the write fails.
void write_new_table_file(const Table& table, const std::string& path,
                          TableFormat format = TableFormat::Auto);

// The first free "version" name next to `path`: "dir/name.csv" -> "dir/name.v2.csv" (or v3, ...
// when that exists); "dir/name.v2.csv" -> "dir/name.v3.csv". The extension is kept (a name
// without one gets none). Never returns an existing path.
std::string next_version_path(const std::string& path);

}  // namespace tb::data
