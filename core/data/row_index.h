// Streaming import of large CSV/TSV/JSONL/label_text files: one pass builds a row-offset index,
// and previews and batches then read just the rows they need by offset.
//
// Memory bound (stated contract): building the index holds one read buffer (`buffer_bytes`,
// default 1 MiB, plus at most 3 bytes of a split UTF-8 sequence), the header text, and 16 bytes
// per data row (a 64-bit byte offset and a 64-bit line number). A file is never loaded whole:
// for a 1 GB CSV of 100-byte rows the index is ~160 MB. read_rows() holds only the requested
// rows' bytes and their parsed cells.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/table.h"

namespace tb::data {

// Called after every buffer with the bytes read so far and the file size (for a progress bar
// and an ETA); return false to cancel. Runs on the indexing thread.
using ImportProgress = std::function<bool(std::uint64_t bytes_done, std::uint64_t bytes_total)>;

struct RowIndex {
    std::string path;
    TableFormat format = TableFormat::Auto;  // never Auto once built
    std::uint64_t file_size = 0;
    std::vector<std::string> columns;    // CSV/TSV header; label_text: label, text; JSONL: none
    std::string header_text;             // raw bytes before the first data row (CSV/TSV)
    std::vector<std::uint64_t> offsets;  // byte offset where each data row starts
    std::vector<std::uint64_t> lines;    // 1-based line where each data row starts
    std::uint64_t data_end = 0;          // offset just past the last byte of data
    bool cancelled = false;              // the callback stopped the pass: the index is partial

    std::size_t rows() const { return offsets.size(); }
};

// One streaming pass over `path`. Rows are split the way the in-memory readers split them
// (RFC 4180 quotes may hold line breaks in CSV/TSV; blank lines skipped). Validates the encoding
// as it goes: tb::Error with line, column and byte offset for invalid UTF-8 or a NUL byte, and
// the usual message for a UTF-16/32 BOM. Per-row content errors (ragged rows, bad JSON) are
// found when the rows are read. Format Auto: detect_table_format.
RowIndex build_row_index(const std::string& path, TableFormat format = TableFormat::Auto,
                         const ImportProgress& progress = {},
                         std::size_t buffer_bytes = std::size_t{1} << 20);

// Rows [first, first + count) (clamped to the index) read by offset and parsed with the
// in-memory reader, with the file's own line numbers in Table::row_lines and in any tb::Error.
// JSONL columns are the keys of the rows read.
Table read_rows(const RowIndex& index, std::size_t first, std::size_t count);

}  // namespace tb::data
