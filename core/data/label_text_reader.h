// Reader for headerless "label<TAB>text" files, used by parse_table; content is encoding-checked.
#pragma once

#include <cstddef>
#include <string>

#include "data/table.h"

namespace tb::data {

// Every non-blank line is `label<TAB>text`, split at the first tab (the text may hold more
// tabs). Columns are "label" and "text". A line without a tab throws tb::Error with its line and
// column; a file without any line throws too.
Table parse_label_text(const std::string& content, std::size_t start, const std::string& source);

}  // namespace tb::data
