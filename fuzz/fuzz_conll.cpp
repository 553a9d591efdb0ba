// libFuzzer target: token files (CoNLL, token JSONL, tagged text) parse and build into a token
// dataset or throw tb::Error; every sentence has one tag per token and every problem a line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/error.h"
#include "data/token_dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string content(reinterpret_cast<const char*>(data), size);
    using tb::data::TokenFormat;
    for (TokenFormat format : {TokenFormat::Conll, TokenFormat::Jsonl, TokenFormat::Tagged}) {
        try {
            const auto dataset =
                tb::data::build_token_dataset(tb::data::parse_token_file(content, format, "fuzz"));
            for (const auto& sentence : dataset.sentences) {
                if (sentence.tokens.size() != sentence.tags.size())
                    std::abort();
            }
            for (const auto& problem : dataset.problems) {
                if (problem.line < 1)
                    std::abort();
            }
        } catch (const tb::Error&) {
        }
    }
    return 0;
}
