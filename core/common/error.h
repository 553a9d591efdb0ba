// The one exception type core throws for user-facing problems, carrying where the problem is.
#pragma once

#include <stdexcept>
#include <string>

namespace tb {

// Where a problem was found. Every field is optional; fill what is known.
// `key` holds a YAML key path, a tensor name or a JSON field, depending on the source.
struct SourceLocation {
    std::string file;
    long line = 0;    // 1-based; 0 = unknown
    long column = 0;  // 1-based; 0 = unknown
    std::string key;
};

// Renders "file:line:column: [key] " (only the known parts), used as the prefix of what().
std::string format_location(const SourceLocation& where);

// A problem the user can fix (bad file, bad config, missing tensor). what() is the full
// message with its location prefix; message() is the plain sentence for UIs that show the
// location separately (e.g. by selecting the offending row).
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, SourceLocation where = {});

    const std::string& message() const noexcept { return message_; }
    const SourceLocation& where() const noexcept { return where_; }

private:
    std::string message_;
    SourceLocation where_;
};

}  // namespace tb
