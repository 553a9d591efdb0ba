// One entry point from a Hugging Face folder to a loaded TextEncoder of the right family.
#include "model/encoder_factory.h"

#include "common/error.h"
#include "model/bert_model.h"
#include "model/distilbert_model.h"

namespace tb::model {

std::shared_ptr<TextEncoder> create_text_encoder(const BertConfig& config, bool with_pooler) {
    std::shared_ptr<TextEncoder> encoder;
    switch (encoder_family(config)) {
        case EncoderFamily::DistilBert:
            encoder = std::make_shared<DistilBertModelImpl>(config);
            break;
        case EncoderFamily::Electra:
            encoder = std::make_shared<BertModelImpl>(config, /*with_pooler=*/false);
            break;
        case EncoderFamily::Bert:
        case EncoderFamily::Roberta:
            encoder = std::make_shared<BertModelImpl>(config, with_pooler);
            break;
    }
    init_bert_weights(*encoder, config.initializer_range);
    if (config.sinusoidal_pos_embds) {
        auto& positions =
            dynamic_cast<DistilBertModelImpl&>(*encoder).embeddings->position_embeddings;
        fill_sinusoidal_positions(positions->weight);
    }
    return encoder;
}

bool checkpoint_has_pooler(const BertConfig& config, const std::vector<SafetensorsFile>& files) {
    const std::string name = "pooler.dense.weight";
    for (const auto& f : files)
        if (f.find(name) || f.find(checkpoint_prefix(config) + name))
            return true;
    return false;
}

LoadReport load_encoder_weights(TextEncoder& encoder, const std::vector<SafetensorsFile>& files) {
    return load_weights(encoder, files, encoder.checkpoint_prefix(),
                        /*allowed_missing_prefixes=*/{});
}

LoadedEncoder load_text_encoder(const std::string& dir, const EncoderLoadOptions& options) {
    if (options.dtype != torch::kFloat32 && options.dtype != torch::kFloat16 &&
        options.dtype != torch::kBFloat16)
        throw Error("encoder dtype must be float32, float16 or bfloat16",
                    SourceLocation{dir, 0, 0, "dtype"});
    LoadedEncoder out;
    out.folder = inspect_model_folder(dir);
    std::vector<SafetensorsFile> files;
    for (const auto& path : out.folder.weight_files)
        files.push_back(SafetensorsFile::open(path));
    const bool pooler = checkpoint_has_pooler(out.folder.config, files);
    const auto family = encoder_family(out.folder.config);
    if (!pooler && (family == EncoderFamily::Bert || family == EncoderFamily::Roberta))
        out.folder.notes.push_back(
            "the checkpoint has no pooler (pooler.dense): pooled output unavailable; use CLS or "
            "mean pooling");
    out.encoder = create_text_encoder(out.folder.config, pooler);
    out.encoder->to(options.device, options.dtype);
    out.report = load_encoder_weights(*out.encoder, files);
    out.encoder->eval();
    return out;
}

}  // namespace tb::model
