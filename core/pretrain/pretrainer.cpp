// Masked-LM pretraining: corpus -> vocabulary -> BERT -> training loop -> model folder.
#include "pretrain/pretrainer.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "data/split.h"
#include "model/model_folder.h"
#include "model/weight_loading.h"
#include "pretrain/masked_lm_model.h"
#include "pretrain/pretrain_corpus.h"
#include "text/wordpiece_trainer.h"
#include "train/device_resolve.h"
#include "train/grad_clip.h"
#include "train/lr_schedule.h"
#include "train/optimizer_setup.h"

namespace tb::pretrain {

namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
        throw Error("cannot write file", SourceLocation{path.string(), 0, 0, ""});
    }
}

void check_out_dir(const std::string& dir) {
    std::error_code ec;
    const fs::path target(dir);
    if (dir.empty()) {
        throw Error("give the folder to write the model to (--out)",
                    SourceLocation{"", 0, 0, "out"});
    }
    if (fs::exists(target, ec) && (!fs::is_directory(target, ec) || !fs::is_empty(target, ec))) {
        throw Error(
            "refusing to write the model here: the path exists and is not an empty folder "
            "(nothing is overwritten)",
            SourceLocation{dir, 0, 0, ""});
    }
}

std::string tokenizer_config_json(const text::BertTokenizer& tokenizer, std::int64_t max_len) {
    const auto& s = tokenizer.special_tokens();
    nlohmann::ordered_json j;
    j["tokenizer_class"] = "BertTokenizer";
    j["do_lower_case"] = tokenizer.options().lowercase;
    j["model_max_length"] = max_len;
    j["unk_token"] = s.unk;
    j["sep_token"] = s.sep;
    j["pad_token"] = s.pad;
    j["cls_token"] = s.cls;
    j["mask_token"] = s.mask;
    j["tokenize_chinese_chars"] = tokenizer.options().tokenize_chinese_chars;
    if (tokenizer.options().strip_accents < 0) {
        j["strip_accents"] = nullptr;
    } else {
        j["strip_accents"] = tokenizer.options().strip_accents != 0;
    }
    return j.dump(2) + "\n";
}

MaskingVocab masking_vocab(const text::BertTokenizer& tokenizer) {
    const auto& vocab = tokenizer.vocab();
    const auto& s = tokenizer.special_tokens();
    MaskingVocab mv;
    mv.vocab_size = vocab.size();
    mv.mask_id = vocab.id(s.mask);
    if (mv.mask_id < 0) {
        throw Error(
            "the vocabulary has no mask token (" + s.mask + "), which masked-LM pretraining needs",
            SourceLocation{"vocab.txt", 0, 0, "mask_token"});
    }
    mv.is_special.assign(static_cast<std::size_t>(vocab.size()), false);
    mv.is_continuation.assign(static_cast<std::size_t>(vocab.size()), false);
    for (std::int64_t id = 0; id < vocab.size(); ++id) {
        const auto& token = vocab.token(id);
        const bool bracketed = token.size() > 2 && token.front() == '[' && token.back() == ']';
        mv.is_special[static_cast<std::size_t>(id)] =
            bracketed && (token == s.unk || token == s.cls || token == s.sep || token == s.pad ||
                          token == s.mask);
        mv.is_continuation[static_cast<std::size_t>(id)] = token.rfind("##", 0) == 0;
    }
    return mv;
}

struct Setup {
    model::BertConfig config;
    std::unique_ptr<text::BertTokenizer> tokenizer;
};

Setup new_model_setup(const PretrainOptions& o, const std::vector<std::string>& texts,
                      const PretrainLog& log) {
    text::WordPieceTrainerOptions wp;
    wp.vocab_size = o.vocab_size;
    wp.min_frequency = o.min_frequency;
    wp.limit_alphabet = o.limit_alphabet;
    wp.normalizer.lowercase = o.lowercase;
    text::WordPieceTrainer trainer(wp);
    for (const auto& text : texts) {
        trainer.feed(text);
    }
    text::Vocab vocab = trainer.train();
    log("vocabulary: " + std::to_string(vocab.size()) + " WordPiece tokens from " +
        std::to_string(trainer.word_counts().size()) + " distinct words");
    Setup setup;
    setup.config.vocab_size = vocab.size();
    setup.config.hidden_size = o.hidden;
    setup.config.num_hidden_layers = o.layers;
    setup.config.num_attention_heads = o.heads;
    setup.config.intermediate_size = o.intermediate;
    setup.config.max_position_embeddings = std::max(512, o.max_length);
    setup.config.architectures = {"BertForMaskedLM"};
    text::BasicTokenizerOptions basic;
    basic.lowercase = o.lowercase;
    setup.tokenizer = std::make_unique<text::BertTokenizer>(std::move(vocab), basic);
    return setup;
}

// The --device option, with the error naming the CLI option rather than training.device.
torch::Device pretraining_device(const std::string& name) {
    if (name != "auto" && name != "cpu" && name.rfind("cuda", 0) != 0) {
        throw Error("unknown device '" + name + "': use auto, cpu, cuda or cuda:N",
                    SourceLocation{"", 0, 0, "device"});
    }
    if (name != "auto" && name != "cpu" && !torch::cuda::is_available()) {
        throw Error("device '" + name +
                        "' was requested but no CUDA GPU is available to this build (a CUDA "
                        "build needs a CUDA LibTorch, see README.md); use --device cpu",
                    SourceLocation{"", 0, 0, "device"});
    }
    return train::resolve_device(name);
}

torch::Tensor to_tensor(const std::vector<std::vector<std::int64_t>>& rows, std::int64_t width,
                        std::int64_t fill) {
    auto out = torch::full({static_cast<std::int64_t>(rows.size()), width}, fill, torch::kLong);
    auto acc = out.accessor<std::int64_t, 2>();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            acc[static_cast<std::int64_t>(r)][static_cast<std::int64_t>(c)] = rows[r][c];
        }
    }
    return out;
}

void write_folder(const PretrainOptions& o, const Setup& setup, BertForMaskedLM& model,
                  const PretrainResult& result, const std::vector<std::string>& texts_summary,
                  const torch::Device& device) {
    const fs::path target(o.out_dir);
    std::error_code ec;
    if (!target.parent_path().empty()) {
        fs::create_directories(target.parent_path(), ec);
    }
    const fs::path tmp = target.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(tmp, ec);
    try {
        fs::create_directories(tmp);
        auto config = nlohmann::ordered_json::parse(model::to_config_json(setup.config));
        config["architectures"] = {"BertForMaskedLM"};
        write_text(tmp / "config.json", config.dump(2) + "\n");
        setup.tokenizer->vocab().save((tmp / "vocab.txt").string());
        write_text(tmp / "tokenizer_config.json",
                   tokenizer_config_json(*setup.tokenizer, setup.config.max_position_embeddings));
        char loss[64];
        std::snprintf(loss, sizeof loss, "%.4f", result.final_loss);
        model->to(torch::kCPU);
        std::map<std::string, std::string> metadata;
        if (result.steps == 0 && o.from_dir.empty()) {
            // What every view of the folder uses to say it is not pretrained (model_folder.h).
            metadata[model::kRandomInitMetadataKey] =
                "normal(0, " + std::to_string(setup.config.initializer_range) + "), seed " +
                std::to_string(o.seed);
        } else {
            metadata["tunebench_pretraining"] = "masked-LM, " + std::to_string(result.steps) +
                                                " steps, final loss " + loss +
                                                (result.cancelled ? " (stopped early)" : "");
        }
        model::save_module_safetensors(*model, (tmp / "model.safetensors").string(), "", metadata);
        nlohmann::ordered_json info;
        info["objective"] = o.init_only ? "none (initialised only)" : "masked language modelling";
        info["corpus_files"] = o.corpus_files;
        info["corpus"] = texts_summary;
        info["from"] = o.from_dir;
        info["completed"] = !result.cancelled;
        info["steps"] = result.steps;
        info["blocks_per_epoch"] = result.blocks;
        info["corpus_word_pieces"] = result.tokens;
        info["max_length"] = o.max_length;
        info["batch_size"] = o.batch_size;
        info["learning_rate"] = o.learning_rate;
        info["weight_decay"] = o.weight_decay;
        info["warmup_ratio"] = o.warmup_ratio;
        info["seed"] = o.seed;
        info["mask_probability"] = o.masking.mask_probability;
        info["whole_word_mask"] = o.masking.whole_word;
        info["device"] = device.str();
        auto& history = info["loss_history"] = nlohmann::ordered_json::array();
        for (const auto& p : result.history) {
            history.push_back({{"step", p.step},
                               {"epoch", p.epoch},
                               {"loss", p.loss},
                               {"learning_rate", p.learning_rate},
                               {"elapsed_s", p.elapsed_s}});
        }
        write_text(tmp / "pretraining.json", info.dump(2) + "\n");
        fs::rename(tmp, target);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw Error(std::string("cannot write the model folder: ") + e.code().message(),
                    SourceLocation{o.out_dir, 0, 0, ""});
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

}  // namespace

PretrainResult run_pretraining(const PretrainOptions& o, train::RunControl& control,
                               const PretrainObserver& on_progress, const PretrainLog& log) {
    check_out_dir(o.out_dir);
    if (o.corpus_files.empty()) {
        throw Error("give at least one corpus file", SourceLocation{"", 0, 0, "corpus"});
    }
    if (o.batch_size < 1 || o.epochs < 1 || o.steps < 0) {
        throw Error("batch size and epochs must be positive and steps not negative",
                    SourceLocation{"", 0, 0, "batch_size"});
    }
    const torch::Device device = pretraining_device(o.device);
    const auto texts = read_corpus_texts(o.corpus_files, o.text_column);
    if (texts.empty()) {
        throw Error("the corpus has no text", SourceLocation{o.corpus_files.front(), 0, 0, ""});
    }
    log("corpus: " + std::to_string(texts.size()) + " texts from " +
        std::to_string(o.corpus_files.size()) + " file(s)");

    torch::manual_seed(o.seed);
    Setup setup;
    BertForMaskedLM model{nullptr};
    if (o.from_dir.empty()) {
        setup = new_model_setup(o, texts, log);
        model = BertForMaskedLM(setup.config);
        model->init_weights();
    } else {
        const auto info = model::inspect_model_folder(o.from_dir);
        setup.config = info.config;
        setup.tokenizer =
            std::make_unique<text::BertTokenizer>(text::BertTokenizer::from_model_dir(info.path));
        model = BertForMaskedLM(setup.config);
        model->init_weights();
        std::vector<model::SafetensorsFile> files;
        for (const auto& path : info.weight_files) {
            files.push_back(model::SafetensorsFile::open(path));
        }
        const auto report = model::load_weights(*model, files, "bert.", {"cls."});
        log("continuing from " + o.from_dir + ": " + std::to_string(report.loaded.size()) +
            " tensors loaded" +
            (report.missing.empty()
                 ? std::string()
                 : ", " + std::to_string(report.missing.size()) + " new (the masked-LM head)"));
    }
    model->to(device);
    log("device: " + device.str());
    if (o.max_length > setup.config.max_position_embeddings) {
        throw Error("max length " + std::to_string(o.max_length) +
                        " exceeds the model's max_position_embeddings " +
                        std::to_string(setup.config.max_position_embeddings),
                    SourceLocation{"", 0, 0, "max_length"});
    }
    const MaskingVocab mvocab = masking_vocab(*setup.tokenizer);
    const auto blocks =
        pack_blocks(texts, *setup.tokenizer, static_cast<std::size_t>(o.max_length));
    PretrainResult result;
    result.vocab_size = setup.tokenizer->vocab().size();
    result.blocks = static_cast<std::int64_t>(blocks.size());
    for (const auto& b : blocks) {
        result.tokens += static_cast<std::int64_t>(b.size()) - 2;
    }
    const std::int64_t per_epoch =
        (result.blocks + o.batch_size - 1) / static_cast<std::int64_t>(o.batch_size);
    const std::int64_t total = o.init_only ? 0 : o.steps > 0 ? o.steps : per_epoch * o.epochs;
    log("training: " + std::to_string(result.blocks) + " blocks of up to " +
        std::to_string(o.max_length) + " tokens (" + std::to_string(result.tokens) +
        " word pieces), " + std::to_string(total) + " steps of " + std::to_string(o.batch_size));

    std::vector<train::NamedParameter> params;
    std::vector<torch::Tensor> tensors;
    for (const auto& item : model->named_parameters()) {
        params.push_back({item.key(), item.value()});
        tensors.push_back(item.value());
    }
    auto optimizer = train::make_adamw(params, o.learning_rate, o.weight_decay);
    const train::LinearWarmupDecay schedule(
        o.learning_rate,
        static_cast<std::int64_t>(std::llround(o.warmup_ratio * static_cast<double>(total))),
        total);

    std::mt19937_64 engine(o.seed);
    std::vector<std::size_t> order(blocks.size());
    std::size_t cursor = order.size();  // forces a shuffle before the first batch
    int epoch = 0;
    model->train();
    const auto start = std::chrono::steady_clock::now();
    double loss_sum = 0;
    std::int64_t loss_steps = 0;
    for (std::int64_t step = 0; step < total; ++step) {
        if (!control.checkpoint()) {
            result.cancelled = true;
            break;
        }
        std::vector<std::vector<std::int64_t>> inputs, labels;
        std::int64_t width = 0;
        while (static_cast<int>(inputs.size()) < o.batch_size) {
            if (cursor >= order.size()) {
                if (!inputs.empty()) {
                    break;  // an epoch's last, smaller batch
                }
                for (std::size_t i = 0; i < order.size(); ++i) {
                    order[i] = i;
                }
                data::seeded_shuffle(order, engine);
                cursor = 0;
                ++epoch;
            }
            auto masked = mask_sequence(blocks[order[cursor++]], mvocab, o.masking, engine);
            width =
                std::max<std::int64_t>(width, static_cast<std::int64_t>(masked.input_ids.size()));
            inputs.push_back(std::move(masked.input_ids));
            labels.push_back(std::move(masked.labels));
        }
        const auto ids = to_tensor(inputs, width, setup.config.pad_token_id).to(device);
        const auto lab = to_tensor(labels, width, kIgnoreLabel).to(device);
        std::vector<std::vector<std::int64_t>> ones;
        for (const auto& row : inputs) {
            ones.emplace_back(row.size(), 1);
        }
        const auto mask = to_tensor(ones, width, 0).to(device);

        const double lr = schedule.lr_at(step);
        train::set_learning_rate(*optimizer, lr);
        optimizer->zero_grad();
        auto loss = model->loss(ids, mask, lab);
        loss.backward();
        if (o.max_grad_norm > 0) {
            train::clip_grad_norm(tensors, o.max_grad_norm);
        }
        optimizer->step();
        loss_sum += loss.item<double>();
        ++loss_steps;
        result.steps = step + 1;
        if ((step + 1) % std::max(1, o.log_every) == 0 || step + 1 == total) {
            PretrainProgress p;
            p.step = step + 1;
            p.total_steps = total;
            p.epoch = epoch;
            p.loss = loss_sum / static_cast<double>(loss_steps);
            p.learning_rate = lr;
            p.elapsed_s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (result.history.empty()) {
                result.first_loss = p.loss;
            }
            result.final_loss = p.loss;
            result.history.push_back(p);
            loss_sum = 0;
            loss_steps = 0;
            if (on_progress) {
                on_progress(p);
            }
        }
    }
    if (loss_steps > 0) {
        result.final_loss = loss_sum / static_cast<double>(loss_steps);
        if (result.history.empty()) {
            result.first_loss = result.final_loss;
        }
    }
    model->eval();
    write_folder(
        o, setup, model, result,
        {std::to_string(texts.size()) + " texts", std::to_string(result.tokens) + " word pieces"},
        device);
    log("wrote " + o.out_dir);
    return result;
}

}  // namespace tb::pretrain
