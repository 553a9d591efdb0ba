#include "train/scratch_text_model.h"

#include <unordered_map>

#include "common/error.h"
#include "model/bilstm_classifier.h"
#include "train/run_model.h"

namespace tb::train {

namespace {

text::VocabLevel scratch_level(const io::ExperimentConfig& config) {
    return config.model.architecture == "bilstm_char" ? text::VocabLevel::Char
                                                      : text::VocabLevel::Word;
}

bool scratch_lowercase(const io::ExperimentConfig& config) {
    return config.model.lowercase != 0;  // auto (-1) and true (1) lowercase
}

void remap(std::vector<std::vector<std::int64_t>>& rows, const std::vector<std::int64_t>& to) {
    for (auto& row : rows)
        for (auto& id : row)
            id = to[static_cast<std::size_t>(id)];
}

}  // namespace

bool is_scratch_text_model(const io::ExperimentConfig& config) {
    return config.dataset.task != "image_classification" && !config.model.architecture.empty();
}

std::unique_ptr<text::WordLevelTokenizer> scratch_tokenizer(const io::ExperimentConfig& config,
                                                            std::vector<std::string> vocabulary) {
    return std::make_unique<text::WordLevelTokenizer>(std::move(vocabulary), scratch_level(config),
                                                      scratch_lowercase(config));
}

ScratchTextData prepare_scratch_text_data(const io::ExperimentConfig& config, const LogFn& log) {
    const auto level = scratch_level(config);
    const auto growing = text::WordLevelTokenizer::growing(level, scratch_lowercase(config));
    ScratchTextData out;
    // Never streamed: the vocabulary is built from every training token id, and the growing
    // tokenizer is not thread-safe (prepare_data logs when the file is over the threshold).
    out.data = prepare_data(config, *growing, log, /*allow_streaming=*/false);

    const auto seen = growing->vocab_size();
    std::vector<std::int64_t> id_counts(static_cast<std::size_t>(seen), 0);
    for (const auto& row : out.data.train.input_ids)
        for (const auto id : row)
            ++id_counts[static_cast<std::size_t>(id)];
    std::unordered_map<std::string, std::int64_t> counts;
    for (std::int64_t id = 2; id < seen; ++id)  // 0, 1: [PAD], [UNK]
        if (id_counts[static_cast<std::size_t>(id)] > 0)
            counts.emplace(growing->id_to_token(id), id_counts[static_cast<std::size_t>(id)]);
    auto vocabulary = text::build_word_vocabulary(counts, config.model.vocab_min_count,
                                                  config.model.vocab_max_size);
    out.tokenizer = scratch_tokenizer(config, std::move(vocabulary));

    std::vector<std::int64_t> to(static_cast<std::size_t>(seen), 1);
    to[0] = 0;
    for (std::int64_t id = 2; id < seen; ++id) {
        const auto final_id = out.tokenizer->token_to_id(growing->id_to_token(id));
        to[static_cast<std::size_t>(id)] = final_id < 0 ? 1 : final_id;
    }
    remap(out.data.train.input_ids, to);
    remap(out.data.dev.input_ids, to);
    remap(out.data.test.input_ids, to);
    if (log)
        log("vocabulary: " + std::to_string(out.tokenizer->vocab_size()) + " " +
            (level == text::VocabLevel::Char ? "character" : "word") +
            " units from the training split (" + std::to_string(counts.size()) + " distinct)");
    return out;
}

std::shared_ptr<RunModel> build_bilstm_run_model(const io::ExperimentConfig& config,
                                                 std::int64_t vocab_size,
                                                 std::int64_t num_classes) {
    const auto& m = config.model;
    model::BiLstmOptions o;
    o.vocab_size = vocab_size;
    o.embedding_dim = m.embedding_dim;
    o.hidden_size = m.lstm_hidden_size;
    o.num_layers = m.lstm_layers;
    o.dropout = m.classifier_dropout;
    o.attention_pooling = m.pooling == "attention";
    o.num_classes = num_classes;
    model::BiLstmClassifier net(o);
    net->train();
    return std::make_shared<TokenIdsClassifierRunModel<model::BiLstmClassifier>>(net);
}

}  // namespace tb::train
