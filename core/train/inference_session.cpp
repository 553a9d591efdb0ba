#include "train/inference_session.h"

#include <algorithm>
#include <filesystem>

#include <torch/torch.h>

#include "common/error.h"
#include "data/table.h"
#include "data/text_dataset.h"
#include "io/checkpoint.h"
#include "model/label_alignment.h"
#include "model/model_folder.h"
#include "model/task_model.h"
#include "text/tokenizer.h"
#include "train/checkpoint_catalog.h"
#include "train/checkpoint_writer.h"
#include "train/device_resolve.h"
#include "train/evaluator.h"
#include "train/fasttext_run_model.h"
#include "train/image_model_setup.h"
#include "train/image_source.h"
#include "train/prepared_images.h"
#include "train/prepared_tasks.h"
#include "train/resume_plan.h"
#include "train/run_model.h"
#include "train/run_tokenizer.h"
#include "train/scratch_text_model.h"
#include "train/task_model_setup.h"

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
    std::unique_ptr<text::Tokenizer> tokenizer;
    std::shared_ptr<RunModel> model;
    bool image_task = false;
    torch::Device device{torch::kCPU};

    std::int64_t pad_id() const { return tokenizer ? tokenizer->pad_id() : 0; }

    EncodedSplit encode(const std::vector<std::string>& texts) const {
        EncodedSplit split;
        // A sentence-pair run takes "first<TAB>second" per input.
        std::vector<std::string> firsts, seconds;
        if (!config.dataset.text_pair_column.empty()) {
            for (const auto& t : texts) {
                const auto tab = t.find('\t');
                firsts.push_back(t.substr(0, tab));
                seconds.push_back(tab == std::string::npos ? std::string() : t.substr(tab + 1));
            }
        }
        encode_texts(split, seconds.empty() ? texts : firsts, seconds, *tokenizer,
                     static_cast<std::size_t>(config.model.max_length));
        split.labels.assign(texts.size(), 0);  // unused by prediction
        split.lines.assign(texts.size(), 0);
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

    impl->device = resolve_device(options.device);
    const auto classes = static_cast<std::int64_t>(impl->labels.size());
    impl->image_task = impl->config.dataset.task == "image_classification";
    if (impl->image_task) {
        // The checkpoint's experiment carries the preprocessing; every weight comes from the
        // checkpoint (a model folder is read only for its architecture).
        impl->model = make_image_run_model(build_image_model(impl->config, classes).model);
    } else if (const auto file = fasttext_model_file(impl->config); !file.empty()) {
        auto run = load_fasttext_run(file);
        if (tokenizer_vocabulary(*run.tokenizer) != checkpoint.vocab)
            throw Error(
                "the fastText model file differs from the one the checkpoint was "
                "trained with; point model.path at the original file",
                SourceLocation{file, 0, 0, "model.path"});
        impl->tokenizer = std::move(run.tokenizer);
        impl->model = build_fasttext_run_model(impl->config, *run.model, classes);
    } else if (is_scratch_text_model(impl->config)) {
        // Trained from scratch: the vocabulary is the checkpoint's own.
        if (checkpoint.vocab.size() < 2)
            throw Error("the checkpoint has no vocabulary for its " +
                            impl->config.model.architecture + " model",
                        SourceLocation{impl->checkpoint_path, 0, 0, "/tokenizer/vocab"});
        impl->tokenizer = scratch_tokenizer(impl->config, checkpoint.vocab);
        impl->model = build_bilstm_run_model(
            impl->config, static_cast<std::int64_t>(checkpoint.vocab.size()), classes);
    } else {
        const auto folder =
            model::inspect_model_folder(impl->config.resolve(impl->config.model.path));
        impl->tokenizer = load_run_tokenizer(impl->config, folder.path);
        if (tokenizer_vocabulary(*impl->tokenizer) != checkpoint.vocab)
            throw Error(
                "the model folder's vocabulary differs from the one the checkpoint was "
                "trained with; point model.path at the original model folder",
                SourceLocation{folder.path, 0, 0, "model.path"});
        impl->model = make_text_run_model(
            build_task_model(impl->config, folder, classes, /*load_pretrained=*/false).model);
    }
    restore_model(impl->model->module(), checkpoint);
    impl->model->module().to(impl->device);
    impl->model->module().eval();
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

std::string InferenceSession::task() const {
    return model::head_kind_name(impl_->model->kind());
}

std::vector<float> InferenceSession::thresholds() const {
    if (impl_->model->kind() != model::HeadKind::MultiLabel)
        return {};
    return impl_->model->text()->head().thresholds();
}

namespace {

std::vector<std::string> split_words(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!word.empty())
                words.push_back(std::move(word));
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty())
        words.push_back(std::move(word));
    return words;
}

}  // namespace

namespace {

// Softmax probabilities and the arg-max label per row of `logits` into out[begin...].
void fill_single_label(std::vector<Prediction>& out, std::size_t begin,
                       const torch::Tensor& logits) {
    const auto probs = torch::softmax(logits.to(torch::kDouble), 1).contiguous();
    const double* p = probs.data_ptr<double>();
    const auto k = probs.size(1);
    for (std::int64_t r = 0; r < probs.size(0); ++r) {
        auto& pred = out[begin + static_cast<std::size_t>(r)];
        pred.probabilities.assign(p + r * k, p + (r + 1) * k);
        pred.label = static_cast<int>(
            std::max_element(pred.probabilities.begin(), pred.probabilities.end()) -
            pred.probabilities.begin());
    }
}

}  // namespace

std::vector<Prediction> InferenceSession::predict(const std::vector<std::string>& texts) const {
    std::vector<Prediction> out(texts.size());
    if (texts.empty())
        return out;
    if (impl_->image_task) {
        // Each input is an image file, prepared exactly as the run's dev and test images.
        auto source = std::make_shared<ImageSource>();
        source->transform = image_transform_of(impl_->config.dataset);
        source->paths = texts;
        EncodedSplit split;
        split.images = source;
        for (std::size_t i = 0; i < texts.size(); ++i)
            split.image_ids.push_back(i);
        split.labels.assign(texts.size(), 0);
        torch::NoGradGuard no_grad;
        const std::size_t batch = static_cast<std::size_t>(std::max(1, impl_->options.batch_size));
        for (std::size_t begin = 0; begin < texts.size(); begin += batch) {
            std::vector<std::size_t> idx;
            for (std::size_t i = begin; i < std::min(texts.size(), begin + batch); ++i)
                idx.push_back(i);
            const Batch b = collate(split, idx, 0, impl_->device);
            fill_single_label(out, begin, impl_->model->forward(b).to(torch::kCPU));
        }
        return out;
    }
    const auto kind = impl_->model->kind();
    const bool tokens = kind == model::HeadKind::TokenClassification;
    EncodedSplit split;
    if (tokens) {
        text::EncodeOptions options;
        options.max_length = static_cast<std::size_t>(impl_->config.model.max_length);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            out[i].words = split_words(texts[i]);
            auto enc = impl_->tokenizer->encode_words(out[i].words, options);
            split.word_ids.emplace_back(enc.word_ids.begin(), enc.word_ids.end());
            split.input_ids.push_back(std::move(enc.input_ids));
        }
    } else {
        split = impl_->encode(texts);
    }
    torch::NoGradGuard no_grad;
    const auto pad = impl_->tokenizer->pad_id();
    const std::size_t batch = static_cast<std::size_t>(std::max(1, impl_->options.batch_size));
    for (std::size_t begin = 0; begin < texts.size(); begin += batch) {
        const std::size_t end = std::min(texts.size(), begin + batch);
        std::int64_t longest = 1;
        for (std::size_t i = begin; i < end; ++i)
            longest = std::max<std::int64_t>(longest, split.input_ids[i].size());
        auto ids =
            torch::full({static_cast<std::int64_t>(end - begin), longest}, pad, torch::kLong);
        auto mask = torch::zeros_like(ids);
        auto types = torch::zeros_like(ids);
        for (std::size_t i = begin; i < end; ++i) {
            const auto& row = split.input_ids[i];
            const auto n = static_cast<std::int64_t>(row.size());
            const auto r = static_cast<std::int64_t>(i - begin);
            ids[r].slice(0, 0, n).copy_(torch::tensor(row, torch::kLong));
            mask[r].slice(0, 0, n).fill_(1);
            if (!split.token_type_ids.empty())
                types[r].slice(0, 0, n).copy_(torch::tensor(split.token_type_ids[i], torch::kLong));
        }
        Batch text_batch;
        text_batch.input_ids = ids.to(impl_->device);
        text_batch.attention_mask = mask.to(impl_->device);
        text_batch.token_type_ids = types.to(impl_->device);
        const auto logits = impl_->model->forward(text_batch).to(torch::kCPU);
        if (tokens) {
            const auto tags = logits.argmax(-1).contiguous();
            for (std::size_t i = begin; i < end; ++i) {
                const auto r = static_cast<std::int64_t>(i - begin);
                const auto& word_ids = split.word_ids[i];
                const auto row =
                    tags[r].slice(0, 0, static_cast<std::int64_t>(word_ids.size())).contiguous();
                const auto* p = row.data_ptr<std::int64_t>();
                const auto words = model::word_predictions(
                    word_ids, std::vector<std::int64_t>(p, p + row.numel()), out[i].words.size(),
                    /*missing=*/0);
                out[i].word_tags.assign(words.begin(), words.end());
            }
            continue;
        }
        if (kind == model::HeadKind::Regression) {
            const auto values = impl_->model->predict(logits).to(torch::kDouble).contiguous();
            for (std::size_t i = begin; i < end; ++i) {
                out[i].label = 0;
                out[i].value = values.data_ptr<double>()[i - begin];
            }
            continue;
        }
        const bool multi = kind == model::HeadKind::MultiLabel;
        const auto probs = (multi ? torch::sigmoid(logits.to(torch::kDouble))
                                  : torch::softmax(logits.to(torch::kDouble), 1))
                               .contiguous();
        const auto decided = multi ? impl_->model->predict(logits).contiguous() : torch::Tensor();
        const double* p = probs.data_ptr<double>();
        const auto k = probs.size(1);
        for (std::size_t i = begin; i < end; ++i) {
            auto& pred = out[i];
            pred.probabilities.assign(p + (i - begin) * k, p + (i - begin + 1) * k);
            pred.label = static_cast<int>(
                std::max_element(pred.probabilities.begin(), pred.probabilities.end()) -
                pred.probabilities.begin());
            if (multi) {
                const auto row = decided[static_cast<std::int64_t>(i - begin)];
                for (std::int64_t j = 0; j < k; ++j)
                    if (row[j].item<std::int64_t>() != 0)
                        pred.label_set.push_back(static_cast<int>(j));
            }
        }
    }
    return out;
}

FileEvaluation InferenceSession::evaluate_file(const std::string& path,
                                               const std::string& text_column,
                                               const std::string& label_column) const {
    const auto& d = impl_->config.dataset;
    const data::LabelMap known(impl_->labels);
    if (impl_->image_task) {
        std::vector<data::DataProblem> problems;
        const auto split = encode_labelled_images(impl_->config, path, known, problems);
        FileEvaluation result;
        result.skipped_rows = static_cast<std::int64_t>(problems.size());
        for (const auto& p : problems)
            result.problems.push_back(p.file + ":" + std::to_string(p.line) + ":" +
                                      std::to_string(p.column) + ": " + p.message);
        if (split.size() == 0)
            throw Error("no labelled images to evaluate", SourceLocation{path, 0, 0, ""});
        const auto out = evaluate(*impl_->model, split, impl_->labels, impl_->options.batch_size, 0,
                                  impl_->device);
        impl_->model->module().eval();
        result.loss = out.loss;
        result.task = out.task;
        result.report = out.report;
        result.scores = out.scores;
        result.predictions = out.predictions;
        return result;
    }
    if (impl_->model->kind() != model::HeadKind::SequenceClassification) {
        io::ExperimentConfig config = impl_->config;
        if (!text_column.empty())
            config.dataset.text_column = text_column;
        if (!label_column.empty())
            config.dataset.label_column = label_column;
        std::vector<data::DataProblem> problems;
        const auto split = encode_labelled_file(config, path, known, *impl_->tokenizer, problems);
        FileEvaluation result;
        result.skipped_rows = static_cast<std::int64_t>(problems.size());
        for (const auto& p : problems)
            result.problems.push_back(p.file + ":" + std::to_string(p.line) + ":" +
                                      std::to_string(p.column) + ": " + p.message);
        if (split.size() == 0)
            throw Error("no labelled rows to evaluate", SourceLocation{path, 0, 0, ""});
        const auto out = evaluate(*impl_->model, split, impl_->labels, impl_->options.batch_size,
                                  impl_->pad_id(), impl_->device);
        impl_->model->module().eval();
        result.loss = out.loss;
        result.task = out.task;
        result.details_json = out.details_json;
        result.report = out.report;
        result.scores = out.scores;
        result.values = out.values;
        return result;
    }
    const auto table = data::read_table(path, data::table_format_from_name(d.format));
    const auto dataset = data::build_text_dataset(
        table,
        data::TextColumns{text_column.empty() ? d.text_column : text_column, d.text_pair_column,
                          label_column.empty() ? d.label_column : label_column},
        data::LabelOrder::FirstSeen, &known);
    FileEvaluation result;
    result.skipped_rows = static_cast<std::int64_t>(dataset.problems.size());
    for (const auto& p : dataset.problems)
        result.problems.push_back(p.file + ":" + std::to_string(p.line) + ":" +
                                  std::to_string(p.column) + ": " + p.message);
    if (dataset.examples.empty())
        throw Error("no labelled rows to evaluate", SourceLocation{path, 0, 0, ""});
    std::vector<std::string> texts;
    for (const auto& e : dataset.examples)
        texts.push_back(d.text_pair_column.empty() ? e.text : e.text + "\t" + e.text_pair);
    auto split = impl_->encode(texts);
    for (std::size_t i = 0; i < dataset.examples.size(); ++i) {
        split.labels[i] = dataset.examples[i].label;
        split.lines[i] = dataset.examples[i].line;
    }
    const auto out = evaluate(*impl_->model, split, impl_->labels, impl_->options.batch_size,
                              impl_->pad_id(), impl_->device);
    impl_->model->module().eval();  // evaluate() restores train mode; inference stays in eval mode
    result.loss = out.loss;
    result.task = out.task;
    result.report = out.report;
    result.scores = out.scores;
    result.predictions = out.predictions;
    return result;
}

}  // namespace tb::train
