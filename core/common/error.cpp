#include "common/error.h"

namespace tb {

std::string format_location(const SourceLocation& where) {
    // "file:line:column: " as compilers print it; "line L, column C: " when there is no file
    // (text parsed from memory), so the position is never lost.
    std::string out;
    if (!where.file.empty()) {
        out += where.file;
        if (where.line > 0) {
            out += ":" + std::to_string(where.line);
            if (where.column > 0)
                out += ":" + std::to_string(where.column);
        }
        out += ": ";
    } else if (where.line > 0) {
        out += "line " + std::to_string(where.line);
        if (where.column > 0)
            out += ", column " + std::to_string(where.column);
        out += ": ";
    }
    if (!where.key.empty())
        out += "[" + where.key + "] ";
    return out;
}

Error::Error(const std::string& message, SourceLocation where)
    : std::runtime_error(format_location(where) + message),
      message_(message),
      where_(std::move(where)) {}

}  // namespace tb
