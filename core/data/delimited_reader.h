// CSV/TSV reader (RFC 4180 quoting) used by parse_table; content is already encoding-checked.
#pragma once

#include <cstddef>
#include <string>

#include "data/table.h"

namespace tb::data {

struct DelimitedOptions {
    char separator = ',';
    // CSV (true): a quote inside an unquoted field is an error, as RFC 4180 says. TSV (false):
    // such a quote is kept as text, because TSV files are routinely written without quoting
    // (e.g. `He said "hi"` in a sentence column); a field that *starts* with a quote is still
    // read as a quoted field in both.
    bool strict_quotes = true;
};

// Parses `content` from byte `start` (past any BOM). The first record is the header. Empty
// lines are skipped. Throws tb::Error with `source`, line and character column for malformed
// quoting, a field count that differs from the header's, empty or duplicate header names, and
// a file without a header.
Table parse_delimited(const std::string& content, std::size_t start,
                      const DelimitedOptions& options, const std::string& source);

}  // namespace tb::data
