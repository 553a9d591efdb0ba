// Reads the value a JavaScript module exports (the browserify / CommonJS / ES-module bundles
// TF.js models ship in, e.g. nsfwjs' model.min.js) as JSON, without running any JavaScript.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace tb::model::keras {

// Parses a JavaScript literal (objects with bare or quoted keys, arrays, '...' / "..."
// strings, numbers such as .5 or 1e3, true/false/null, the minifier's !0 / !1 and void 0)
// starting at text[pos]; advances pos past it. Throws tb::Error (naming `path` and the byte
// offset) when the text there is not such a literal. Integral numbers become integers.
nlohmann::json parse_js_literal(const std::string& text, std::size_t& pos, const std::string& path);

// The exported value of a module file: plain JSON as a whole, else the first literal assigned
// to `exports=` / `module.exports =` or following `export default`. tb::Error naming the file
// when there is none.
nlohmann::json read_js_module_value(const std::string& path);

// Standard base64 (whitespace ignored, '=' padding optional). tb::Error naming `what` for any
// other character.
std::string decode_base64(const std::string& text, const std::string& what);

}  // namespace tb::model::keras
