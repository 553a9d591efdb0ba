// Model library entries for fastText model folders.
#include "model/fasttext_library.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/error.h"
#include "model/fasttext_format.h"
#include "model/fasttext_layout.h"

namespace tb::model {

namespace fs = std::filesystem;

namespace {

bool has_magic(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    int32_t magic = 0;
    in.read(reinterpret_cast<char*>(&magic), sizeof(magic));
    return in.gcount() == sizeof(magic) && magic == fasttext::kMagic;
}

const char* loss_name(fasttext::Loss loss) {
    switch (loss) {
        case fasttext::Loss::hs:
            return "hierarchical softmax";
        case fasttext::Loss::ns:
            return "negative sampling";
        case fasttext::Loss::softmax:
            return "softmax";
        case fasttext::Loss::ova:
            return "one-vs-all";
    }
    return "unknown";
}

// How the parameter count is made up, e.g. "parameters: input 50000 x 16 (7235 words + 42765
// kept n-gram buckets of 2000000; decoded from product-quantized codes) + output 176 x 16".
std::string parameter_note(const fasttext::Layout& layout) {
    const auto& h = layout.header;
    const auto& in = layout.input;
    const auto& out = layout.output;
    std::string rows = std::to_string(h.nwords) + " words + ";
    if (layout.prune_index_size >= 0)
        rows += std::to_string(in.rows - h.nwords) + " kept n-gram buckets of " +
                std::to_string(h.args.bucket);
    else
        rows += std::to_string(in.rows - h.nwords) + " n-gram buckets";
    const auto quantized = [](const fasttext::MatrixShape& m) {
        return m.quantized ? std::string("; decoded from product-quantized codes") : std::string();
    };
    return "parameters: input " + std::to_string(in.rows) + " x " + std::to_string(in.cols) + " (" +
           rows + quantized(in) + ") + output " + std::to_string(out.rows) + " x " +
           std::to_string(out.cols) +
           (out.quantized ? " (decoded from product-quantized codes)" : "") + " = " +
           std::to_string(layout.parameter_count());
}

}  // namespace

bool has_fasttext_magic(const std::string& file) {
    return has_magic(fs::path(file));
}

std::string find_fasttext_model_file(const std::string& dir_text) {
    const fs::path dir(dir_text);
    std::error_code ec;
    if (!fs::is_directory(dir, ec) || fs::exists(dir / "config.json", ec))
        return {};
    std::vector<fs::path> ftz, bin;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::error_code e2;
        if (!entry.is_regular_file(e2))
            continue;
        const std::string ext = entry.path().extension().string();
        if (ext == ".ftz")
            ftz.push_back(entry.path());
        if (ext == ".bin")
            bin.push_back(entry.path());
    }
    std::sort(ftz.begin(), ftz.end());
    std::sort(bin.begin(), bin.end());
    ftz.insert(ftz.end(), bin.begin(), bin.end());
    for (const auto& f : ftz)
        if (has_magic(f))
            return f.string();
    return {};
}

void describe_fasttext_model(const std::string& file, ModelLibraryEntry& e) {
    e.kind = "text";
    e.tasks = "text_classification";
    e.source_format = "fasttext";
    e.family = "fastText";
    e.model_type = "fasttext";
    const std::string name = fs::path(file).filename().string();
    try {
        const fasttext::Layout layout = fasttext::read_layout(file);
        const fasttext::Header& h = layout.header;
        const bool supervised = h.args.model == fasttext::ModelKind::supervised;
        e.architecture = supervised
                             ? "fastText classifier (" + std::string(loss_name(h.args.loss)) + ")"
                             : "fastText word vectors";
        e.hidden_size = h.args.dim;
        e.feature_size = h.args.dim;
        e.vocab_size = h.nwords;
        e.labels = h.nlabels;
        e.layers = 1;
        e.notes.push_back("file " + name + ": " + std::to_string(h.nwords) + " words, " +
                          std::to_string(h.nlabels) + " labels, dim " + std::to_string(h.args.dim) +
                          ", char n-grams " + std::to_string(h.args.minn) + ".." +
                          std::to_string(h.args.maxn) + ", word n-grams " +
                          std::to_string(h.args.word_ngrams));
        e.parameter_count = layout.parameter_count();
        e.notes.push_back(parameter_note(layout));
        if (name.rfind("lid.176", 0) == 0)
            e.license =
                "CC-BY-SA-3.0 (fastText language identification by Facebook AI Research, "
                "fasttext.cc); attribute it and share derived models alike";
        else
            e.license =
                "not recorded in the file; fastText's published models are CC-BY-SA-3.0 "
                "(fasttext.cc) - check where this file came from";
        e.notes.push_back("licence: " + e.license);
        e.notes.push_back(
            "fine-tunes text_classification datasets: the input table becomes a trainable "
            "backbone under a new linear head (model.freeze_backbone keeps it fixed)");
        e.supported = true;
    } catch (const Error& error) {
        e.supported = false;
        e.reason = error.what();
    }
}

}  // namespace tb::model
