// Reads a JSON file for the tokenizer loaders, reporting problems as tb::Error with a location.
#include "text/json_file.h"

#include <fstream>
#include <sstream>

#include "common/error.h"

namespace tb::text {

namespace {

// 1-based line and column (in code points) of byte `offset` in `text`.
SourceLocation at_offset(const std::string& path, const std::string& text, std::size_t offset) {
    SourceLocation where;
    where.file = path;
    where.line = 1;
    where.column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++where.line;
            where.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++where.column;
        }
    }
    return where;
}

}  // namespace

nlohmann::json read_json_file(const std::string& path, bool require_object) {
    SourceLocation file_only;
    file_only.file = path;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error("cannot open the file (check that it exists and is readable)", file_only);
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();

    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is 1-based: the byte at which parsing stopped.
        const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        throw Error("not valid JSON: " + std::string(e.what()), at_offset(path, text, offset));
    }
    if (require_object && !doc.is_object()) {
        throw Error("expected a JSON object at the top level", file_only);
    }
    return doc;
}

}  // namespace tb::text
