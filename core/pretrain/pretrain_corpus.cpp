// Reads and packs pretraining text.
#include "pretrain/pretrain_corpus.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "common/error.h"
#include "data/table.h"
#include "text/wordpiece.h"

namespace tb::pretrain {

namespace {

std::string lower_extension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    const auto slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return "";
    }
    std::string ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

bool is_blank(const std::string& line) {
    return std::all_of(line.begin(), line.end(),
                       [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

std::vector<std::string> read_corpus_texts(const std::vector<std::string>& files,
                                           const std::string& text_column) {
    std::vector<std::string> texts;
    for (const auto& path : files) {
        const std::string ext = lower_extension(path);
        if (ext == "csv" || ext == "tsv" || ext == "jsonl") {
            const auto table = data::read_table(path);
            const auto column = table.column_index(text_column);
            for (const auto& row : table.rows) {
                if (!is_blank(row[column])) {
                    texts.push_back(row[column]);
                }
            }
            continue;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            throw Error("cannot read the corpus file", SourceLocation{path, 0, 0, ""});
        }
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            if (!is_blank(line)) {
                texts.push_back(line);
            }
        }
    }
    return texts;
}

std::vector<std::vector<std::int64_t>> pack_blocks(const std::vector<std::string>& texts,
                                                   const text::BertTokenizer& tokenizer,
                                                   std::size_t max_length) {
    if (max_length < 8) {
        throw Error(
            "the pretraining sequence length must be at least 8; got " + std::to_string(max_length),
            SourceLocation{"", 0, 0, "max_length"});
    }
    const auto& vocab = tokenizer.vocab();
    const auto& specials = tokenizer.special_tokens();
    const std::int64_t cls = vocab.id(specials.cls);
    const std::int64_t sep = vocab.id(specials.sep);
    const std::int64_t unk = vocab.id(specials.unk);
    const std::size_t body = max_length - 2;
    std::vector<std::vector<std::int64_t>> blocks;
    std::vector<std::int64_t> current{cls};
    std::vector<std::int64_t> pieces;
    for (const auto& text : texts) {
        text::for_each_basic_token(text, tokenizer.options(), [&](const std::string& word) {
            pieces.clear();
            text::wordpiece_ids(word, vocab, unk, pieces);
            for (std::int64_t id : pieces) {
                current.push_back(id);
                if (current.size() == body + 1) {
                    current.push_back(sep);
                    blocks.push_back(std::move(current));
                    current = {cls};
                }
            }
        });
    }
    if (current.size() > 1) {
        current.push_back(sep);
        blocks.push_back(std::move(current));
    }
    return blocks;
}

}  // namespace tb::pretrain
