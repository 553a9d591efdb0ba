// `tunebench-cli models` and `tunebench-cli embed`: thin wiring over the model library and the
// text-encoder factory.
#include "model_commands.h"

#include <torch/torch.h>

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "io/experiment_config.h"
#include "model/builtin_models.h"
#include "model/encoder_factory.h"
#include "model/model_library.h"
#include "text/bert_tokenizer.h"
#include "train/device_resolve.h"

namespace tb::cli {
namespace {

using json = nlohmann::json;

json entry_json(const model::ModelLibraryEntry& e) {
    // The experiment keys that choose this model.
    const json yaml = e.model_architecture.empty()
                          ? json{{"model.path", e.path}}
                          : json{{"model.architecture", e.model_architecture}};
    return json{{"path", e.path},
                {"model_architecture", e.model_architecture},
                {"yaml", yaml},
                {"license", e.license},
                {"tasks", e.tasks},
                {"source", e.source},
                {"repo_id", e.repo_id},
                {"model_type", e.model_type},
                {"architecture", e.architecture},
                {"family", e.family},
                {"kind", e.kind},
                {"source_format", e.source_format},
                {"feature_size", e.feature_size},
                {"labels", e.labels},
                {"parameters", e.parameter_count},
                {"vocab_size", e.vocab_size},
                {"max_positions", e.max_positions},
                {"hidden_size", e.hidden_size},
                {"layers", e.layers},
                {"disk_bytes", e.disk_bytes},
                {"tokenizer_present", e.tokenizer_present},
                {"tokenizer_files", e.tokenizer_files},
                {"supported", e.supported},
                {"reason", e.reason},
                {"notes", e.notes}};
}

std::string human_count(std::int64_t n) {
    char buf[32];
    if (n >= 1000000000)
        std::snprintf(buf, sizeof buf, "%.1fB", n / 1e9);
    else if (n >= 1000000)
        std::snprintf(buf, sizeof buf, "%.1fM", n / 1e6);
    else if (n >= 1000)
        std::snprintf(buf, sizeof buf, "%.1fk", n / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(n));
    return buf;
}

// One batch of encodings -> [batch, hidden] embeddings.
torch::Tensor embed_batch(model::TextEncoder& encoder,
                          const std::vector<std::vector<std::int64_t>>& rows, std::int64_t pad_id,
                          const EmbedOptions& o) {
    std::size_t longest = 0;
    for (const auto& r : rows)
        longest = std::max(longest, r.size());
    auto ids =
        torch::full({static_cast<std::int64_t>(rows.size()), static_cast<std::int64_t>(longest)},
                    pad_id, torch::kLong);
    auto mask = torch::zeros_like(ids);
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < rows[i].size(); ++j) {
            ids[i][j] = rows[i][j];
            mask[i][j] = 1;
        }
    const auto device = encoder.parameters().front().device();
    ids = ids.to(device);
    mask = mask.to(device);
    const bool last_layer = o.layer == -1 || o.layer == encoder.num_layers();
    auto out = encoder.encode(ids, mask, {}, /*output_hidden_states=*/!last_layer);
    if (o.pooling == "pooler") {
        if (!encoder.has_pooler())
            throw Error("this model has no pooler; use --pooling cls or mean",
                        SourceLocation{o.model_dir, 0, 0, "pooling"});
        if (!last_layer)
            throw Error("--pooling pooler works on the last layer only",
                        SourceLocation{{}, 0, 0, "layer"});
        return out.pooled;
    }
    torch::Tensor hidden = out.last_hidden_state;
    if (!last_layer) {
        const auto count = static_cast<int>(out.hidden_states.size());
        const int index = o.layer < 0 ? count + o.layer : o.layer;
        if (index < 0 || index >= count)
            throw Error("--layer " + std::to_string(o.layer) + " is out of range: the model has " +
                            std::to_string(count) + " hidden states (0 = embeddings, " +
                            std::to_string(count - 1) + " = last layer)",
                        SourceLocation{{}, 0, 0, "layer"});
        hidden = out.hidden_states[static_cast<std::size_t>(index)];
    }
    if (o.pooling == "cls")
        return hidden.select(1, 0);
    auto m = mask.unsqueeze(-1).to(hidden.scalar_type());
    return (hidden * m).sum(1) / m.sum(1).clamp_min(1.0);
}

std::string count_text(std::int64_t n) {
    return n > 0 ? human_count(n) : std::string("unknown");
}

// The second line of a folder's or file's listing: its sizes.
void print_summary(const model::ModelLibraryEntry& e) {
    if (e.source_format == "fasttext")
        std::cout << "  " << e.architecture << ", dim " << e.hidden_size << ", " << e.labels
                  << " labels, " << e.vocab_size << " words, " << count_text(e.parameter_count)
                  << " parameters, fasttext, " << human_count(e.disk_bytes) << "B on disk\n";
    else if (e.kind == "image")
        std::cout << "  image backbone " << e.family << " (" << e.architecture << "), "
                  << count_text(e.parameter_count) << " parameters, features "
                  << (e.feature_size > 0 ? std::to_string(e.feature_size)
                                         : std::string("probed at load"))
                  << ", " << e.source_format << ", " << human_count(e.disk_bytes) << "B on disk\n";
    else
        std::cout << "  " << e.family << " (" << e.architecture << "), "
                  << human_count(e.parameter_count) << " parameters, " << e.layers
                  << " layers, hidden " << e.hidden_size << ", vocab " << e.vocab_size
                  << ", max length " << e.max_positions << ", " << human_count(e.disk_bytes)
                  << "B on disk\n";
}

void print_entry(const model::ModelLibraryEntry& e) {
    if (e.source == "built-in") {
        std::cout << "built-in: model.architecture: " << e.model_architecture << '\n';
        if (e.supported)
            std::cout << "  " << e.family << ", " << count_text(e.parameter_count)
                      << " parameters, " << e.source_format << ", for " << e.tasks << '\n';
    } else {
        std::cout << e.path << (e.repo_id.empty() ? "" : "  [" + e.repo_id + "]") << '\n';
    }
    if (!e.supported)
        std::cout << "  unsupported: " << e.reason << '\n';
    else if (e.source != "built-in")  // built-ins were summarised on their first line
        print_summary(e);
    if (!e.tokenizer_present && e.kind == "text" && e.source_format == "Hugging Face safetensors")
        std::cout << "  no tokenizer files\n";
    if (!e.license.empty())
        std::cout << "  licence: " << e.license << '\n';
    for (const auto& note : e.notes)
        if (note.rfind("licence: ", 0) != 0)  // printed above
            std::cout << "  note: " << note << '\n';
}

// The built-ins' sizes: the stated defaults, or the experiment's image size and BiLSTM keys.
model::BuiltinSizes builtin_sizes(const ModelsOptions& o) {
    model::BuiltinSizes sizes;
    sizes.num_classes = o.classes;
    io::ExperimentConfig config;
    if (!o.config_path.empty()) {
        config = io::load_experiment(o.config_path);
        if (config.dataset.task == "image_classification") {
            sizes.image_channels = config.dataset.image_channels;
            sizes.image_height = config.dataset.image_height;
            sizes.image_width = config.dataset.image_width;
        }
        sizes.attention_pooling = config.model.pooling == "attention";
    }
    sizes.embedding_dim = config.model.embedding_dim;
    sizes.hidden_size = config.model.lstm_hidden_size;
    sizes.num_layers = config.model.lstm_layers;
    sizes.vocab_size = config.model.vocab_max_size;
    return sizes;
}

}  // namespace

int run_models(const ModelsOptions& o) {
    std::vector<model::ModelLibraryEntry> entries;
    if (!o.no_builtins) {
        try {
            entries = model::builtin_model_entries(builtin_sizes(o));
        } catch (const Error& e) {
            std::cerr << "models: " << e.what() << '\n';
            return 1;
        }
    }
    for (auto& e : model::scan_model_library(o.paths, !o.no_hub_cache, o.depth))
        entries.push_back(std::move(e));
    if (o.json) {
        json out = json::array();
        for (const auto& e : entries)
            out.push_back(entry_json(e));
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    bool found = false;
    for (const auto& e : entries) {
        found = found || e.source != "built-in";
        print_entry(e);
    }
    if (!found) {
        std::cout << "no model folders or files found (searched";
        for (const auto& p : o.paths)
            std::cout << ' ' << p;
        if (!o.no_hub_cache)
            std::cout << ' ' << model::hub_cache_dir();
        std::cout << ")\n";
    }
    return 0;
}

int run_embed(const EmbedOptions& o) {
    try {
        if (o.pooling != "cls" && o.pooling != "pooler" && o.pooling != "mean")
            throw Error("--pooling must be cls, pooler or mean",
                        SourceLocation{{}, 0, 0, "pooling"});
        torch::NoGradGuard no_grad;
        model::LoadedEncoder loaded = model::load_text_encoder(o.model_dir);
        auto& encoder = *loaded.encoder;
        encoder.to(train::resolve_device(o.device));
        const std::int64_t max_length =
            o.max_length > 0 ? std::min<std::int64_t>(o.max_length, loaded.folder.model_max_length)
                             : loaded.folder.model_max_length;
        std::unique_ptr<text::BertTokenizer> tokenizer;
        if (!o.ids) {
            if (encoder.family() == model::EncoderFamily::Roberta)
                throw Error(
                    "this build has no byte-level BPE tokenizer for RoBERTa models yet; "
                    "pass token ids with --ids (one JSON array per line)",
                    SourceLocation{o.model_dir, 0, 0, {}});
            tokenizer = std::make_unique<text::BertTokenizer>(
                text::BertTokenizer::from_model_dir(loaded.folder.path));
        }
        const std::int64_t pad_id = loaded.folder.config.pad_token_id;
        std::vector<std::vector<std::int64_t>> rows;
        auto flush = [&] {
            if (rows.empty())
                return;
            auto embeddings =
                embed_batch(encoder, rows, pad_id, o).to(torch::kCPU, torch::kDouble).contiguous();
            for (std::int64_t i = 0; i < embeddings.size(0); ++i) {
                const double* data = embeddings[i].data_ptr<double>();
                std::vector<double> v(data, data + embeddings.size(1));
                std::cout << json(v).dump() << '\n';
            }
            std::cout.flush();
            rows.clear();
        };
        std::string line;
        long line_number = 0;
        while (std::getline(std::cin, line)) {
            ++line_number;
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (o.ids) {
                json parsed = json::parse(line, nullptr, false);
                if (!parsed.is_array() || parsed.empty())
                    throw Error("expected a non-empty JSON array of token ids",
                                SourceLocation{"<stdin>", line_number, 0, {}});
                std::vector<std::int64_t> ids;
                for (const auto& v : parsed) {
                    if (!v.is_number_integer() || v.get<std::int64_t>() < 0 ||
                        v.get<std::int64_t>() >= loaded.folder.config.vocab_size)
                        throw Error("token id " + v.dump() + " is not in the vocabulary",
                                    SourceLocation{"<stdin>", line_number, 0, {}});
                    ids.push_back(v.get<std::int64_t>());
                }
                if (static_cast<std::int64_t>(ids.size()) > max_length)
                    ids.resize(static_cast<std::size_t>(max_length));
                rows.push_back(std::move(ids));
            } else {
                rows.push_back(
                    tokenizer->encode(line, static_cast<std::size_t>(max_length)).input_ids);
            }
            if (static_cast<int>(rows.size()) >= std::max(1, o.batch_size))
                flush();
        }
        flush();
        return 0;
    } catch (const Error& e) {
        std::cerr << "embed: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "embed: " << e.what() << '\n';
        return 1;
    }
}

ModelCommands::ModelCommands(CLI::App& app) {
    models_cmd_ = app.add_subcommand(
        "models", "List model folders (configured folders, the Hugging Face hub cache, --path)");
    models_cmd_->add_option("--path", models_.paths, "Folder to search (repeatable)");
    models_cmd_->add_flag("--json", models_.json, "Print a JSON array");
    models_cmd_->add_flag("--no-hub-cache", models_.no_hub_cache,
                          "Do not list the Hugging Face hub cache");
    models_cmd_->add_option("--depth", models_.depth, "How deep to search the folders")
        ->capture_default_str();
    models_cmd_->add_flag("--no-builtins", models_.no_builtins,
                          "Do not list the built-in architectures (model.architecture)");
    models_cmd_
        ->add_option("--classes", models_.classes,
                     "Built-ins: count parameters with a head for this many classes")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    models_cmd_->add_option("--config", models_.config_path,
                            "Built-ins: size them as this experiment file says (image size, "
                            "BiLSTM sizes)");

    embed_cmd_ = app.add_subcommand(
        "embed", "Sentence embeddings: one JSON array per UTF-8 line read from stdin");
    embed_cmd_->add_option("--model", embed_.model_dir, "Model folder")->required();
    embed_cmd_->add_option("--pooling", embed_.pooling, "cls|pooler|mean")
        ->capture_default_str()
        ->check(CLI::IsMember({"cls", "pooler", "mean"}));
    embed_cmd_
        ->add_option("--layer", embed_.layer,
                     "Hidden state to pool: 0 = embeddings, N = layer N, -1 = last")
        ->capture_default_str();
    embed_cmd_->add_flag("--ids", embed_.ids, "Lines are JSON arrays of token ids, not text");
    embed_cmd_->add_option("--max-length", embed_.max_length, "Truncate to this many tokens");
    embed_cmd_->add_option("--batch-size", embed_.batch_size)->capture_default_str();
    embed_cmd_->add_option("--device", embed_.device, "cpu, cuda, cuda:N or auto")
        ->capture_default_str();
}

int ModelCommands::run() {
    if (*models_cmd_)
        return run_models(models_);
    if (*embed_cmd_)
        return run_embed(embed_);
    return -1;
}

}  // namespace tb::cli
