// load_tokenizer: picks the tokenizer family from the files of a Hugging Face model folder.
#include <filesystem>

#include "common/error.h"
#include "text/bert_tokenizer.h"
#include "text/bpe_tokenizer.h"
#include "text/json_file.h"
#include "text/tokenizer.h"

namespace tb::text {

namespace {

namespace fs = std::filesystem;

bool file_exists(const fs::path& path) {
    std::error_code ec;
    return fs::exists(path, ec);
}

[[noreturn]] void unsupported(const fs::path& file, const std::string& key,
                              const std::string& what) {
    SourceLocation where;
    where.file = file.string();
    where.key = key;
    throw Error(what, where);
}

}  // namespace

std::unique_ptr<Tokenizer> load_tokenizer(const std::string& model_dir) {
    const fs::path dir(model_dir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        SourceLocation where;
        where.file = model_dir;
        throw Error(
            "model folder not found; point to the folder that holds the model's "
            "tokenizer.json, vocab.txt or vocab.json + merges.txt",
            where);
    }
    const fs::path json_path = dir / "tokenizer.json";
    if (file_exists(json_path)) {
        const auto doc = read_json_file(json_path.string());
        const auto model = doc.find("model");
        const std::string type = model != doc.end() && model->is_object()
                                     ? model->value("type", std::string())
                                     : std::string();
        if (type == "WordPiece") {
            // tokenizer.json is the complete description (added tokens beyond vocab.txt
            // included), as for transformers' fast tokenizers.
            return std::make_unique<BertTokenizer>(BertTokenizer::from_tokenizer_json(model_dir));
        }
        if (type == "BPE") {
            return std::make_unique<BpeTokenizer>(
                BpeTokenizer::from_tokenizer_json(json_path.string()));
        }
        if (type == "Unigram") {
            unsupported(json_path, "model.type",
                        "Unigram (SentencePiece) tokenizers, as used by T5, ALBERT, XLNet and "
                        "XLM-R, are not supported yet; tunebench reads WordPiece (BERT) and "
                        "byte-level BPE (RoBERTa, GPT-2) tokenizers");
        }
        unsupported(json_path, "model.type",
                    "tokenizer model \"" + type +
                        "\" is not supported; tunebench reads WordPiece (BERT) and byte-level "
                        "BPE (RoBERTa, GPT-2) tokenizers");
    }
    if (file_exists(dir / "vocab.txt")) {
        return std::make_unique<BertTokenizer>(BertTokenizer::from_model_dir(model_dir));
    }
    if (file_exists(dir / "vocab.json") && file_exists(dir / "merges.txt")) {
        return std::make_unique<BpeTokenizer>(BpeTokenizer::from_vocab_merges(model_dir));
    }
    for (const char* name :
         {"spiece.model", "sentencepiece.bpe.model", "tokenizer.model", "sentencepiece.model"}) {
        if (file_exists(dir / name)) {
            unsupported(dir / name, "",
                        "SentencePiece models are not supported yet; tunebench reads WordPiece "
                        "(vocab.txt or tokenizer.json) and byte-level BPE (vocab.json + "
                        "merges.txt or tokenizer.json) tokenizers");
        }
    }
    if (file_exists(dir / "vocab.json")) {
        unsupported(dir / "merges.txt", "",
                    "merges.txt not found beside vocab.json; a byte-level BPE tokenizer needs "
                    "both files from the model");
    }
    SourceLocation where;
    where.file = model_dir;
    throw Error(
        "no tokenizer found in the model folder; put the model's tokenizer.json there "
        "(or vocab.txt for BERT, or vocab.json + merges.txt for RoBERTa / GPT-2)",
        where);
}

}  // namespace tb::text
