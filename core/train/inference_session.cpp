#include "train/inference_session.h"

#include <algorithm>
#include <filesystem>

#include <torch/torch.h>

#include "common/error.h"
#include "data/table.h"
#include "data/text_dataset.h"
#include "io/checkpoint.h"
#include "model/bert_model.h"
#include "model/model_folder.h"
#include "text/bert_tokenizer.h"
#include "train/checkpoint_catalog.h"
#include "train/checkpoint_writer.h"
#include "train/device_resolve.h"
#include "train/evaluator.h"
#include "train/resume_plan.h"

namespace tb::train {
namespace {

namespace fs = std::filesystem;

// A run folder means its best checkpoint (the one a user would deploy), else the newest.
std::string checkpoint_of(const std::string& run_or_checkpoint) {
    if (!fs::is_directory(run_or_checkpoint))
        return run_or_checkpoint;
    const auto entries = run_checkpoints(run_or_checkpoint);
    for (const auto& e : entries)
        if (e.is_best)
            return e.path;
    return select_checkpoint(run_or_checkpoint);
}

}  // namespace

struct InferenceSession::Impl {
    InferenceOptions options;
    std::string checkpoint_path;
    io::ExperimentConfig config;
    std::vector<std::string> labels;
    std::unique_ptr<text::BertTokenizer> tokenizer;
    model::BertForSequenceClassification model{nullptr};
    torch::Device device{torch::kCPU};

    EncodedSplit encode(const std::vector<std::string>& texts) const {
        EncodedSplit split;
        const auto encodings =
            tokenizer->encode_batch(texts, static_cast<std::size_t>(config.model.max_length));
        for (const auto& e : encodings) {
            split.input_ids.push_back(e.input_ids);
            split.labels.push_back(0);  // unused by prediction
            split.lines.push_back(0);
        }
        return split;
    }
};

InferenceSession::InferenceSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
InferenceSession::~InferenceSession() = default;

std::unique_ptr<InferenceSession> InferenceSession::open(const std::string& run_or_checkpoint,
                                                         const InferenceOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->checkpoint_path = checkpoint_of(run_or_checkpoint);
    // plan_resume recovers the experiment with its paths resolving as when it was trained.
    const auto plan = plan_resume(impl->checkpoint_path);
    impl->config = plan.config;
    const auto checkpoint = io::load_checkpoint(impl->checkpoint_path);
    impl->labels = checkpoint.labels;
    if (impl->labels.empty())
        throw Error("the checkpoint has no label names",
                    SourceLocation{impl->checkpoint_path, 0, 0, "/labels"});

    const auto folder = model::inspect_model_folder(impl->config.resolve(impl->config.model.path));
    const auto base = text::BertTokenizer::from_model_dir(folder.path);
    auto tokenizer_options = base.options();
    if (impl->config.model.lowercase >= 0)
        tokenizer_options.lowercase = impl->config.model.lowercase == 1;
    impl->tokenizer = std::make_unique<text::BertTokenizer>(base.with_options(tokenizer_options));
    if (impl->tokenizer->vocab().tokens() != checkpoint.vocab)
        throw Error(
            "the model folder's vocabulary differs from the one the checkpoint was "
            "trained with; point model.path at the original model folder",
            SourceLocation{folder.path, 0, 0, "model.path"});

    impl->device = resolve_device(options.device);
    impl->model =
        model::BertForSequenceClassification(folder.config, static_cast<int>(impl->labels.size()),
                                             impl->config.model.classifier_dropout);
    restore_model(impl->model, checkpoint);
    impl->model->to(impl->device);
    impl->model->eval();
    return std::unique_ptr<InferenceSession>(new InferenceSession(std::move(impl)));
}

const std::string& InferenceSession::checkpoint_path() const {
    return impl_->checkpoint_path;
}

const std::vector<std::string>& InferenceSession::labels() const {
    return impl_->labels;
}

const io::ExperimentConfig& InferenceSession::config() const {
    return impl_->config;
}

std::vector<Prediction> InferenceSession::predict(const std::vector<std::string>& texts) const {
    std::vector<Prediction> out(texts.size());
    if (texts.empty())
        return out;
    const auto split = impl_->encode(texts);
    torch::NoGradGuard no_grad;
    const auto pad = impl_->tokenizer->pad_id();
    const std::size_t batch = static_cast<std::size_t>(std::max(1, impl_->options.batch_size));
    for (std::size_t begin = 0; begin < texts.size(); begin += batch) {
        const std::size_t end = std::min(texts.size(), begin + batch);
        std::int64_t longest = 0;
        for (std::size_t i = begin; i < end; ++i)
            longest = std::max<std::int64_t>(longest, split.input_ids[i].size());
        auto ids =
            torch::full({static_cast<std::int64_t>(end - begin), longest}, pad, torch::kLong);
        auto mask = torch::zeros_like(ids);
        for (std::size_t i = begin; i < end; ++i) {
            const auto& row = split.input_ids[i];
            const auto n = static_cast<std::int64_t>(row.size());
            const auto r = static_cast<std::int64_t>(i - begin);
            ids[r].slice(0, 0, n).copy_(torch::tensor(row, torch::kLong));
            mask[r].slice(0, 0, n).fill_(1);
        }
        const auto logits = impl_->model->forward(ids.to(impl_->device), mask.to(impl_->device),
                                                  torch::zeros_like(ids).to(impl_->device));
        const auto probs =
            torch::softmax(logits.to(torch::kCPU).to(torch::kDouble), 1).contiguous();
        const double* p = probs.data_ptr<double>();
        const auto k = probs.size(1);
        for (std::size_t i = begin; i < end; ++i) {
            auto& pred = out[i];
            pred.probabilities.assign(p + (i - begin) * k, p + (i - begin + 1) * k);
            pred.label = static_cast<int>(
                std::max_element(pred.probabilities.begin(), pred.probabilities.end()) -
                pred.probabilities.begin());
        }
    }
    return out;
}

FileEvaluation InferenceSession::evaluate_file(const std::string& path,
                                               const std::string& text_column,
                                               const std::string& label_column) const {
    const auto& d = impl_->config.dataset;
    const auto table = data::read_table(path, data::table_format_from_name(d.format));
    const data::LabelMap known(impl_->labels);
    const auto dataset = data::build_text_dataset(
        table, text_column.empty() ? d.text_column : text_column,
        label_column.empty() ? d.label_column : label_column, data::LabelOrder::FirstSeen, &known);
    FileEvaluation result;
    result.skipped_rows = static_cast<std::int64_t>(dataset.problems.size());
    for (const auto& p : dataset.problems)
        result.problems.push_back(p.file + ":" + std::to_string(p.line) + ":" +
                                  std::to_string(p.column) + ": " + p.message);
    if (dataset.examples.empty())
        throw Error("no labelled rows to evaluate", SourceLocation{path, 0, 0, ""});
    std::vector<std::string> texts;
    for (const auto& e : dataset.examples)
        texts.push_back(e.text);
    auto split = impl_->encode(texts);
    for (std::size_t i = 0; i < dataset.examples.size(); ++i) {
        split.labels[i] = dataset.examples[i].label;
        split.lines[i] = dataset.examples[i].line;
    }
    const auto out = evaluate(impl_->model, split, impl_->labels, impl_->options.batch_size,
                              impl_->tokenizer->pad_id(), impl_->device);
    impl_->model->eval();  // evaluate() restores train mode; inference stays in eval mode
    result.loss = out.loss;
    result.report = out.report;
    result.predictions = out.predictions;
    return result;
}

}  // namespace tb::train
