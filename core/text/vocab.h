// A WordPiece vocabulary: one token per line of vocab.txt, id = line index (0-based).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tb::text {

class Vocab {
public:
    Vocab() = default;
    // A token listed twice maps to its LAST line, as Hugging Face's load_vocab (Python) and
    // WordPiece::from_file (Rust) both do; token(id) still returns each line as written.
    explicit Vocab(std::vector<std::string> tokens);
    // One token per line ('\n' or "\r\n"; a leading UTF-8 byte order mark is ignored).
    // Throws tb::Error naming the path when the file is missing, unreadable or has no tokens.
    static Vocab load(const std::string& vocab_txt_path);
    void save(const std::string& path) const;  // throws tb::Error when the file cannot be written

    std::int64_t id(const std::string& token) const;  // -1 if absent
    bool contains(const std::string& token) const { return id(token) >= 0; }
    const std::string& token(std::int64_t id) const;  // throws std::out_of_range
    std::int64_t size() const { return static_cast<std::int64_t>(tokens_.size()); }
    const std::vector<std::string>& tokens() const { return tokens_; }
    // Length in code points of the longest token; bounds WordPiece's candidate search.
    std::size_t max_token_chars() const { return max_token_chars_; }

private:
    std::vector<std::string> tokens_;
    std::unordered_map<std::string, std::int64_t> ids_;
    std::size_t max_token_chars_ = 0;
};

}  // namespace tb::text
