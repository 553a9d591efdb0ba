// `inspect`, `tokenize`, `score` and `init-model`: thin wiring from options to core functions.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "common/error.h"
#include "data/data_summary.h"
#include "data/dataset_inspect.h"
#include "data/table.h"
#include "data/text_dataset.h"
#include "metrics/classification_report.h"
#include "metrics/report_json.h"
#include "model/bert_config.h"
#include "model/model_factory.h"
#include "text/bert_tokenizer.h"

namespace tb::cli {
namespace {

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open file", SourceLocation{path, 0, 0, {}});
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(line);
    }
    while (!lines.empty() && lines.back().empty())
        lines.pop_back();  // trailing blank lines
    return lines;
}

}  // namespace

int run_inspect(const InspectOptions& o) {
    data::InspectRequest request;
    request.path = o.path;
    request.format = o.format;
    request.task = o.task;
    request.text_column = o.text_column;
    request.label_column = o.label_column;
    request.text_pair_column = o.text_pair_column;
    request.label_separator = o.label_separator;
    request.label_columns = o.label_columns;
    request.tag_column = o.tag_column;
    request.split_column = o.split_column;
    request.labels_path = o.labels_path;
    request.deidentify = o.deidentify;
    request.stream_above_bytes =
        static_cast<std::uint64_t>(std::max(0.0, o.stream_above_mb) * 1048576.0);
    const nlohmann::json summary = data::inspect_dataset(request);
    std::cout << summary.dump(2) << '\n';
    return summary.value("ok", true) ? 0 : 1;
}

int run_tokenize(const TokenizeOptions& o) {
    try {
        text::BertTokenizer tokenizer =
            o.model_dir.empty() ? text::BertTokenizer(text::Vocab::load(o.vocab_path), {})
                                : text::BertTokenizer::from_model_dir(o.model_dir);
        if (o.lowercase >= 0) {
            auto options = tokenizer.options();
            options.lowercase = o.lowercase == 1;
            tokenizer = tokenizer.with_options(options);
        }
        std::string line;
        while (std::getline(std::cin, line)) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            nlohmann::json out = nlohmann::json::array();
            if (o.max_length > 0) {
                for (auto id :
                     tokenizer.encode(line, static_cast<std::size_t>(o.max_length)).input_ids)
                    o.tokens ? out.push_back(tokenizer.vocab().token(id)) : out.push_back(id);
            } else {
                for (const auto& piece : tokenizer.tokenize(line))
                    o.tokens ? out.push_back(piece) : out.push_back(tokenizer.vocab().id(piece));
            }
            std::cout << out.dump() << '\n';
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}

int run_score(const std::string& true_path, const std::string& pred_path, bool text) {
    try {
        const auto y_true = read_lines(true_path);
        const auto y_pred = read_lines(pred_path);
        if (y_true.size() != y_pred.size())
            throw Error("the files have " + std::to_string(y_true.size()) + " and " +
                        std::to_string(y_pred.size()) +
                        " labels; they must have one per line each");
        const auto report = metrics::classification_report(y_true, y_pred);
        if (text)
            std::cout << metrics::report_to_text(report);
        else
            std::cout << metrics::report_to_json(report).dump(2) << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}

int run_init_model(const InitModelOptions& o) {
    try {
        const auto table = data::read_table(o.corpus_path);
        const auto column = table.column_index(o.text_column);
        std::vector<std::string> texts;
        texts.reserve(table.rows.size());
        for (const auto& row : table.rows)
            texts.push_back(row[column]);
        text::BasicTokenizerOptions options;
        options.lowercase = o.lowercase;
        const auto vocab =
            text::build_vocab(texts, options, static_cast<std::size_t>(o.vocab_size));

        model::BertConfig config;
        config.vocab_size = vocab.size();
        config.hidden_size = o.hidden;
        config.num_hidden_layers = o.layers;
        config.num_attention_heads = o.heads;
        config.intermediate_size = o.intermediate;
        config.max_position_embeddings = o.max_positions;
        model::create_random_bert_folder(o.out_dir, config, vocab.tokens(), o.seed, o.lowercase);
        std::printf(
            "created %s: vocabulary %lld, hidden %d, %d layers (random initialisation, not "
            "pretrained)\n",
            o.out_dir.c_str(), static_cast<long long>(vocab.size()), o.hidden, o.layers);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}

}  // namespace tb::cli
