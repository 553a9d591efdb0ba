#include "test_support.h"

#include "data/table.h"
#include "model/bert_config.h"
#include "model/model_factory.h"
#include "text/bert_tokenizer.h"

namespace tb::testing {

void make_tiny_model(const std::string& dir, const std::string& csv_path, int hidden, int layers,
                     int max_positions) {
    const auto table = data::read_table(csv_path);
    const auto column = table.column_index("text");
    std::vector<std::string> texts;
    for (const auto& row : table.rows)
        texts.push_back(row[column]);
    const auto vocab = text::build_vocab(texts, text::BasicTokenizerOptions{}, /*max_size=*/500,
                                         /*min_frequency=*/1);
    model::BertConfig config;
    config.vocab_size = vocab.size();
    config.hidden_size = hidden;
    config.num_hidden_layers = layers;
    config.num_attention_heads = 2;
    config.intermediate_size = hidden * 2;
    config.max_position_embeddings = max_positions;
    model::create_random_bert_folder(dir, config, vocab.tokens(), /*seed=*/7, /*lowercase=*/true);
}

std::string fixture(const std::string& relative) {
    return std::string(TB_FIXTURES_DIR) + "/" + relative;
}

}  // namespace tb::testing
