#include "train/fasttext_run_model.h"

#include <filesystem>

#include "model/fasttext_classifier.h"
#include "model/fasttext_features.h"
#include "model/fasttext_format.h"
#include "model/fasttext_library.h"
#include "text/post_processor.h"
#include "train/run_model.h"

namespace tb::train {

namespace {

namespace ft = model::fasttext;

class FastTextTokenizer : public text::Tokenizer {
public:
    explicit FastTextTokenizer(std::shared_ptr<const ft::Model> model) : model_(std::move(model)) {
        post_ = text::PostProcessor::none();
        pad_id_ = 0;  // padding is masked out; row 0 is never read for it
    }
    std::string kind() const override { return "fastText"; }
    std::int64_t vocab_size() const override { return model_->input.rows; }
    std::int64_t token_to_id(std::string_view token) const override {
        const std::int64_t nwords = model_->dict.nwords;
        for (std::int64_t i = 0; i < nwords; ++i)
            if (model_->dict.entries[static_cast<std::size_t>(i)].word == token)
                return i;
        return -1;
    }
    std::string id_to_token(std::int64_t id) const override {
        if (id < 0 || id >= model_->input.rows)
            throw std::out_of_range("row " + std::to_string(id) + " outside the fastText table");
        if (id < model_->dict.nwords)
            return model_->dict.entries[static_cast<std::size_t>(id)].word;
        return "<row " + std::to_string(id) + ">";
    }

protected:
    void encode_segment(std::string_view text, std::size_t begin, std::size_t end,
                        text::TokenBuffer& out, std::int64_t& next_word) const override {
        const std::string line(text.substr(begin, end - begin));
        for (const auto row : ft::line_features(*model_, line)) {
            out.ids.push_back(row);
            out.spans.push_back({static_cast<std::int64_t>(begin), static_cast<std::int64_t>(end)});
            out.word_ids.push_back(next_word);
        }
        ++next_word;
    }

private:
    std::shared_ptr<const ft::Model> model_;
};

bool has_fasttext_extension(const std::filesystem::path& p) {
    const auto ext = p.extension().string();
    return ext == ".ftz" || ext == ".bin";
}

}  // namespace

std::string fasttext_model_file(const io::ExperimentConfig& config) {
    if (config.model.path.empty() || config.dataset.task == "image_classification")
        return {};
    const std::filesystem::path p = config.resolve(config.model.path);
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec) && has_fasttext_extension(p))
        return p.string();
    if (std::filesystem::is_directory(p, ec))
        return model::find_fasttext_model_file(p.string());
    return {};
}

FastTextRun load_fasttext_run(const std::string& file) {
    FastTextRun run;
    run.model = std::make_shared<const ft::Model>(ft::read_model(file));
    run.tokenizer = std::make_unique<FastTextTokenizer>(run.model);
    return run;
}

std::shared_ptr<RunModel> build_fasttext_run_model(const io::ExperimentConfig& config,
                                                   const model::fasttext::Model& model,
                                                   std::int64_t num_classes) {
    ft::FastTextClassifier net(model, num_classes, !config.model.freeze_backbone);
    net->train();
    return std::make_shared<TokenIdsClassifierRunModel<ft::FastTextClassifier>>(net);
}

}  // namespace tb::train
