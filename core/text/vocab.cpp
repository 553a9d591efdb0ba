// WordPiece vocabulary: vocab.txt reading and writing, token <-> id lookup.
#include "text/vocab.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/error.h"
#include "text/utf8.h"

namespace tb::text {

Vocab::Vocab(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {
    ids_.reserve(tokens_.size());
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        ids_[tokens_[i]] = static_cast<std::int64_t>(i);
        max_token_chars_ = std::max(max_token_chars_, count_code_points(tokens_[i]));
    }
}

Vocab Vocab::load(const std::string& vocab_txt_path) {
    SourceLocation where;
    where.file = vocab_txt_path;
    std::error_code ec;
    if (!std::filesystem::exists(vocab_txt_path, ec)) {
        throw Error(
            "vocabulary file not found; expected a vocab.txt with one WordPiece token per "
            "line (as shipped with BERT models)",
            where);
    }
    if (std::filesystem::is_directory(vocab_txt_path, ec)) {
        throw Error("this is a folder, not a vocabulary file; point to the vocab.txt inside it",
                    where);
    }
    std::ifstream in(vocab_txt_path, std::ios::binary);
    if (!in) {
        throw Error("cannot open the vocabulary file (check its permissions)", where);
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
        throw Error("cannot read the vocabulary file", where);
    }
    std::string content = buffer.str();
    if (content.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        content.erase(0, 3);
    }

    std::vector<std::string> tokens;
    std::size_t start = 0;
    while (start < content.size()) {
        std::size_t end = content.find('\n', start);
        if (end == std::string::npos) {
            end = content.size();
        }
        std::string line = content.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        tokens.push_back(std::move(line));
        start = end + 1;
    }
    bool any_token = false;
    for (const auto& token : tokens) {
        any_token = any_token || !token.empty();
    }
    if (!any_token) {
        throw Error("the vocabulary file is empty; expected one WordPiece token per line", where);
    }
    return Vocab(std::move(tokens));
}

void Vocab::save(const std::string& path) const {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const auto& token : tokens_) {
        out << token << '\n';
    }
    out.flush();
    if (!out) {
        SourceLocation where;
        where.file = path;
        throw Error("cannot write the vocabulary file", where);
    }
}

std::int64_t Vocab::id(const std::string& token) const {
    const auto it = ids_.find(token);
    return it == ids_.end() ? -1 : it->second;
}

const std::string& Vocab::token(std::int64_t id) const {
    if (id < 0 || id >= size()) {
        throw std::out_of_range("token id " + std::to_string(id) +
                                " is outside the vocabulary (size " + std::to_string(size()) + ")");
    }
    return tokens_[static_cast<std::size_t>(id)];
}

}  // namespace tb::text
