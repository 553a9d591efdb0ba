#include "train/run_tokenizer.h"

#include <stdexcept>

#include "text/bert_tokenizer.h"

namespace tb::train {

std::unique_ptr<text::Tokenizer> load_run_tokenizer(const io::ExperimentConfig& config,
                                                    const std::string& model_dir) {
    auto tokenizer = text::load_tokenizer(model_dir);
    if (config.model.lowercase < 0)
        return tokenizer;
    if (const auto* bert = dynamic_cast<const text::BertTokenizer*>(tokenizer.get())) {
        auto options = bert->options();
        options.lowercase = config.model.lowercase == 1;
        return std::make_unique<text::BertTokenizer>(bert->with_options(options));
    }
    return tokenizer;
}

std::vector<std::string> tokenizer_vocabulary(const text::Tokenizer& tokenizer) {
    std::vector<std::string> tokens;
    const std::int64_t n = tokenizer.vocab_size();
    tokens.reserve(static_cast<std::size_t>(n));
    for (std::int64_t id = 0; id < n; ++id) {
        try {
            tokens.push_back(tokenizer.id_to_token(id));
        } catch (const std::out_of_range&) {
            tokens.emplace_back();  // an unused id in a vocabulary with gaps
        }
    }
    return tokens;
}

}  // namespace tb::train
