#include "train/evaluator.h"

#include <algorithm>
#include <numeric>

#include "metrics/entity_report.h"
#include "metrics/regression_report.h"
#include "metrics/report_json.h"
#include "model/label_alignment.h"
#include "train/batching.h"
#include "train/data_sharding.h"
#include "train/distributed_context.h"
#include "train/run_model.h"

namespace tb::train {
namespace {

using model::HeadKind;

// Every example's outcome flattened into one integer row (so ranks can sum-combine them):
// single-label: [class]; multi-label: the 0/1 row; tagging: one tag per word.
std::vector<int> outcome_row(HeadKind kind, const torch::Tensor& predicted, std::int64_t row,
                             const EncodedSplit& split, std::size_t example) {
    if (kind == HeadKind::SequenceClassification)
        return {static_cast<int>(predicted[row].item<std::int64_t>())};
    if (kind == HeadKind::MultiLabel) {
        const auto r = predicted[row].to(torch::kInt64).contiguous();
        const auto* p = r.data_ptr<std::int64_t>();
        return std::vector<int>(p, p + r.numel());
    }
    const auto& word_ids = split.word_ids[example];
    const auto tokens = predicted[row]
                            .slice(0, 0, static_cast<std::int64_t>(word_ids.size()))
                            .to(torch::kInt64)
                            .contiguous();
    const auto* p = tokens.data_ptr<std::int64_t>();
    const auto words =
        model::word_predictions(word_ids, std::vector<std::int64_t>(p, p + tokens.numel()),
                                split.word_tags[example].size(), /*missing=*/0);
    return std::vector<int>(words.begin(), words.end());
}

std::size_t row_width(HeadKind kind, const EncodedSplit& split, std::size_t example,
                      std::size_t labels) {
    if (kind == HeadKind::SequenceClassification)
        return 1;
    if (kind == HeadKind::MultiLabel)
        return labels;
    if (kind == HeadKind::Regression)
        return 0;  // values travel separately (doubles)
    return split.word_tags[example].size();
}

void multilabel_report(EvalOutput& out, const EncodedSplit& split,
                       const std::vector<std::vector<int>>& rows,
                       const std::vector<std::string>& labels) {
    out.label_sets = rows;
    std::vector<std::vector<int>> truth;
    for (const auto& t : split.targets)
        truth.emplace_back(t.begin(), t.end());
    const auto ml = metrics::multilabel_report(truth, rows, labels);
    out.report = metrics::as_classification_report(ml);
    out.details_json = nlohmann::json{
        {"samples avg",
         {{"precision", ml.samples.precision},
          {"recall", ml.samples.recall},
          {"f1", ml.samples.f1},
          {"support", ml.samples.support}}},
        {"subset_accuracy", ml.subset_accuracy},
        {"hamming_loss",
         ml.hamming_loss}}.dump();
    out.scores = {{"micro_f1", ml.micro.f1},
                  {"macro_f1", ml.macro.f1},
                  {"samples_f1", ml.samples.f1},
                  {"subset_accuracy", ml.subset_accuracy}};
}

void fill_report(EvalOutput& out, HeadKind kind, const EncodedSplit& split,
                 const std::vector<std::vector<int>>& rows,
                 const std::vector<std::string>& labels) {
    if (kind == HeadKind::SequenceClassification) {
        for (std::size_t i = 0; i < rows.size(); ++i)
            out.predictions[i] = rows[i].empty() ? 0 : rows[i][0];
        out.report = metrics::classification_report(split.labels, out.predictions, labels);
        out.scores = {{"accuracy", out.report.accuracy},
                      {"macro_f1", out.report.macro.f1},
                      {"weighted_f1", out.report.weighted.f1}};
        return;
    }
    if (kind == HeadKind::MultiLabel) {
        multilabel_report(out, split, rows, labels);
        return;
    }
    if (kind == HeadKind::Regression) {
        const auto r = metrics::regression_report(split.values, out.values);
        out.report = metrics::ClassificationReport{};
        out.report.labels.clear();
        out.report.total = r.count;
        out.details_json =
            nlohmann::json{{"regression", metrics::regression_report_to_json(r)}}.dump();
        out.scores = {{"mse", r.mse}, {"rmse", r.rmse},       {"mae", r.mae},
                      {"r2", r.r2},   {"pearson", r.pearson}, {"spearman", r.spearman}};
        return;
    }
    out.word_tags = rows;
    std::vector<int> gold_words, predicted_words;
    std::vector<std::vector<std::string>> gold_tags, predicted_tags;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        gold_tags.emplace_back();
        predicted_tags.emplace_back();
        for (std::size_t w = 0; w < rows[i].size(); ++w) {
            gold_words.push_back(split.word_tags[i][w]);
            predicted_words.push_back(rows[i][w]);
            gold_tags.back().push_back(labels[static_cast<std::size_t>(split.word_tags[i][w])]);
            predicted_tags.back().push_back(labels[static_cast<std::size_t>(rows[i][w])]);
        }
    }
    const auto per_word = metrics::classification_report(gold_words, predicted_words, labels);
    if (!tags_are_entities(labels)) {
        out.report = per_word;
        out.scores = {{"precision", per_word.micro.precision},
                      {"recall", per_word.micro.recall},
                      {"f1", per_word.micro.f1},
                      {"accuracy", per_word.accuracy}};
        return;
    }
    const auto entities = metrics::entity_report(gold_tags, predicted_tags);
    out.report = metrics::ClassificationReport{};
    out.report.labels.clear();
    for (const auto& c : entities.counts)
        out.report.labels.push_back(c.type);
    out.report.per_class = entities.per_type;
    out.report.micro = entities.micro;
    out.report.macro = entities.macro;
    out.report.weighted = entities.weighted;
    out.report.accuracy = per_word.accuracy;  // word-level tag accuracy
    out.report.total = per_word.total;
    out.scores = {{"precision", entities.micro.precision},
                  {"recall", entities.micro.recall},
                  {"f1", entities.micro.f1},
                  {"accuracy", per_word.accuracy}};
    out.details_json = nlohmann::json{
        {"entities", metrics::entity_report_to_json(entities)},
        {"word_accuracy", per_word.accuracy},
        {"words",
         per_word.total}}.dump();
}

}  // namespace

void rescore_multilabel(EvalOutput& out, const EncodedSplit& split,
                        const std::vector<std::string>& labels,
                        const std::vector<float>& thresholds) {
    std::vector<std::vector<int>> rows;
    for (const auto& p : out.probabilities) {
        rows.emplace_back(p.size(), 0);
        for (std::size_t j = 0; j < p.size(); ++j)
            rows.back()[j] = p[j] >= thresholds.at(j) ? 1 : 0;
    }
    multilabel_report(out, split, rows, labels);
}

bool tags_are_entities(const std::vector<std::string>& tags) {
    bool any_entity = false;
    for (const auto& t : tags) {
        if (t == "O")
            continue;
        if (t.size() < 3 || (t.compare(0, 2, "B-") != 0 && t.compare(0, 2, "I-") != 0))
            return false;
        any_entity = true;
    }
    return any_entity;
}

EvalOutput evaluate(RunModel& model, const EncodedSplit& split,
                    const std::vector<std::string>& labels, int batch_size, std::int64_t pad_id,
                    const torch::Device& device, DistributedContext* distributed) {
    const HeadKind kind = model.kind();
    EvalOutput out;
    out.task = model::head_kind_name(kind);
    out.predictions.assign(split.size(), 0);
    if (kind == HeadKind::Regression)
        out.values.assign(split.size(), 0.0);
    if (kind == HeadKind::MultiLabel)
        out.probabilities.assign(split.size(), std::vector<float>(labels.size(), 0.0f));
    std::vector<std::vector<int>> rows(split.size());
    if (split.size() == 0) {
        fill_report(out, kind, split, rows, labels);
        return out;
    }
    const bool was_training = model.module().is_training();
    model.module().eval();
    torch::NoGradGuard no_grad;

    std::vector<std::size_t> order(split.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (!split.input_ids.empty() || split.text_rows)  // text; images all have one size
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return split.token_count(a) < split.token_count(b);
        });
    const bool sharded = distributed && distributed->is_distributed();
    if (sharded) {
        // Strided over the length-sorted order: every rank gets a similar mix of lengths.
        std::vector<std::size_t> mine;
        for (auto position :
             eval_shard(order.size(), distributed->rank(), distributed->world_size()))
            mine.push_back(order[position]);
        order = std::move(mine);
    }

    double loss_sum = 0.0;
    for (std::size_t start = 0; start < order.size();
         start += static_cast<std::size_t>(batch_size)) {
        const std::size_t end =
            std::min(order.size(), start + static_cast<std::size_t>(batch_size));
        std::vector<std::size_t> idx(order.begin() + static_cast<std::ptrdiff_t>(start),
                                     order.begin() + static_cast<std::ptrdiff_t>(end));
        Batch batch = collate(split, idx, pad_id, device);
        auto logits = model.forward(batch);
        if (kind == HeadKind::SequenceClassification) {
            loss_sum += torch::nn::functional::cross_entropy(
                            logits, batch.labels,
                            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                            .item<double>();
        } else {
            loss_sum +=
                model.loss(logits, batch.labels).item<double>() * static_cast<double>(idx.size());
        }
        const auto predicted = model.predict(logits).to(torch::kCPU);
        if (kind == HeadKind::Regression) {
            const auto v = predicted.to(torch::kDouble).contiguous();
            for (std::size_t i = 0; i < idx.size(); ++i)
                out.values[idx[i]] = v.data_ptr<double>()[i];
            continue;
        }
        if (kind == HeadKind::MultiLabel) {
            const auto p = torch::sigmoid(logits.to(torch::kFloat)).to(torch::kCPU).contiguous();
            const auto k = p.size(1);
            for (std::size_t i = 0; i < idx.size(); ++i)
                std::copy(p.data_ptr<float>() + static_cast<std::int64_t>(i) * k,
                          p.data_ptr<float>() + static_cast<std::int64_t>(i + 1) * k,
                          out.probabilities[idx[i]].begin());
        }
        for (std::size_t i = 0; i < idx.size(); ++i)
            rows[idx[i]] =
                outcome_row(kind, predicted, static_cast<std::int64_t>(i), split, idx[i]);
    }
    if (sharded) {
        // Each example was scored on exactly one rank: value + 1 there, 0 elsewhere.
        std::vector<std::int64_t> flat;
        std::vector<bool> mine(split.size(), false);
        for (auto i : order)
            mine[i] = true;
        for (std::size_t i = 0; i < split.size(); ++i) {
            const std::size_t width = row_width(kind, split, i, labels.size());
            for (std::size_t w = 0; w < width; ++w)
                flat.push_back(mine[i] ? rows[i][w] + 1 : 0);
        }
        flat = distributed->all_reduce_sum(flat);
        std::size_t at = 0;
        for (std::size_t i = 0; i < split.size(); ++i) {
            const std::size_t width = row_width(kind, split, i, labels.size());
            rows[i].assign(width, 0);
            for (std::size_t w = 0; w < width; ++w)
                rows[i][w] = static_cast<int>(flat[at++] - 1);
        }
        loss_sum = distributed->all_reduce_sum(loss_sum);
        // Doubles (regression values, multi-label probabilities): 0 on every other rank.
        std::vector<double> reals;
        for (std::size_t i = 0; i < split.size(); ++i) {
            if (kind == HeadKind::Regression)
                reals.push_back(mine[i] ? out.values[i] : 0.0);
            if (kind == HeadKind::MultiLabel)
                for (float p : out.probabilities[i])
                    reals.push_back(mine[i] ? p : 0.0);
        }
        if (!reals.empty()) {
            reals = distributed->all_reduce_sum(reals);
            std::size_t k = 0;
            for (std::size_t i = 0; i < split.size(); ++i) {
                if (kind == HeadKind::Regression)
                    out.values[i] = reals[k++];
                if (kind == HeadKind::MultiLabel)
                    for (auto& p : out.probabilities[i])
                        p = static_cast<float>(reals[k++]);
            }
        }
    }
    out.loss = loss_sum / static_cast<double>(split.size());
    fill_report(out, kind, split, rows, labels);
    if (was_training)
        model.module().train();
    return out;
}

}  // namespace tb::train
