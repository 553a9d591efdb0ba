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
    explicit Vocab(std::vector<std::string> tokens);  // duplicate tokens keep their first id, as HF does
    static Vocab load(const std::string& vocab_txt_path);  // throws tb::Error (missing file, empty)
    void save(const std::string& path) const;

    std::int64_t id(const std::string& token) const;   // -1 if absent
    bool contains(const std::string& token) const { return id(token) >= 0; }
    const std::string& token(std::int64_t id) const;
    std::int64_t size() const { return static_cast<std::int64_t>(tokens_.size()); }
    const std::vector<std::string>& tokens() const { return tokens_; }

private:
    std::vector<std::string> tokens_;
    std::unordered_map<std::string, std::int64_t> ids_;
};

}  // namespace tb::text
