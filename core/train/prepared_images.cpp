#include "train/prepared_images.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>

#include "common/error.h"
#include "data/idx_reader.h"
#include "data/image_dataset.h"
#include "data/split.h"
#include "train/hdf5_images.h"
#include "train/image_source.h"

namespace fs = std::filesystem;

namespace tb::train {
namespace {

// One loaded file's examples: paths (file-backed) or rows of `arrays`, with labels and lines.
struct LoadedImages {
    std::vector<std::string> paths;
    std::shared_ptr<data::ImageArrayDataset> arrays;
    std::vector<int> labels;
    std::vector<long> lines;
    data::LabelMap classes;
    std::vector<data::DataProblem> problems;
    std::string base;  // paths are hashed relative to this folder
};

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

LoadedImages load_images(const io::ExperimentConfig& config, const std::string& path) {
    const auto& ds = config.dataset;
    const std::string format = image_format_of(ds, path);
    LoadedImages out;
    if (format == "idx" || format == "hdf5") {
        if (format == "idx") {
            // Class names follow the training file, so a dev/test or evaluation file (say
            // t10k-images-idx3-ubyte.gz copied elsewhere) maps onto the trained classes.
            const std::string name = lower(config.resolve(ds.path));
            const bool fashion = name.find("fashion") != std::string::npos;
            out.arrays = std::make_shared<data::ImageArrayDataset>(data::read_idx_dataset(
                path, config.resolve(ds.labels_path),
                fashion ? data::fashion_mnist_class_names() : std::vector<std::string>{}));
        } else {
            out.arrays = read_hdf5_images(path, ds.x_dataset, ds.y_dataset);
        }
        out.labels = out.arrays->labels;
        out.lines.assign(out.labels.size(), 0);
        out.classes = out.arrays->classes;
        return out;
    }
    data::ImageDataset d = format == "image_folder"
                               ? data::scan_image_folder(path)
                               : data::read_image_table(path, ds.image_column, ds.label_column);
    out.base = fs::is_directory(path) ? path : fs::path(path).parent_path().string();
    for (const auto& e : d.examples) {
        out.paths.push_back(e.path);
        out.labels.push_back(e.label);
        out.lines.push_back(e.line);
    }
    out.classes = d.labels;
    out.problems = std::move(d.problems);
    for (auto& p : out.problems)  // the log and errors name the image, not only the dataset
        if (p.message.find(p.file) == std::string::npos)
            p.message = p.file + ": " + p.message;
    return out;
}

void hash_loaded(std::uint64_t& hash, const LoadedImages& images, const data::LabelMap& classes) {
    if (images.arrays) {
        fnv1a(hash, images.arrays->pixels.data(), images.arrays->pixels.size());
        const std::uint32_t dims[3] = {static_cast<std::uint32_t>(images.arrays->height),
                                       static_cast<std::uint32_t>(images.arrays->width),
                                       static_cast<std::uint32_t>(images.arrays->channels)};
        fnv1a(hash, dims, sizeof dims);
    }
    for (std::size_t i = 0; i < images.labels.size(); ++i) {
        if (!images.arrays) {
            const std::string rel =
                fs::path(images.paths[i]).lexically_relative(images.base).generic_string();
            fnv1a(hash, rel.data(), rel.size());
            std::error_code ec;
            const auto size = static_cast<std::uint64_t>(fs::file_size(images.paths[i], ec));
            fnv1a(hash, &size, sizeof size);
            fnv1a(hash, "\x1f", 1);
        }
        const std::string& label = classes.name(images.labels[static_cast<std::size_t>(i)]);
        fnv1a(hash, label.data(), label.size());
        fnv1a(hash, "\x1e", 1);
    }
}

// Appends `images` (labels re-mapped by name onto `classes`) to `source` and `split`;
// examples whose class is unknown become problems.
// Array data (IDX, HDF5): example i of `images` is row `array_offset + i` of the run's array.
void append(ImageSource& source, EncodedSplit& split, const LoadedImages& images,
            const data::LabelMap& classes, std::vector<data::DataProblem>& problems,
            const std::vector<std::size_t>* indices, std::size_t array_offset = 0) {
    const std::size_t n = indices ? indices->size() : images.labels.size();
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = indices ? (*indices)[k] : k;
        const std::string& name = images.classes.name(images.labels[i]);
        const int label = classes.index_of(name);
        if (label < 0) {
            problems.push_back(data::DataProblem{
                "unknown_label", images.arrays ? images.arrays->source : images.paths[i],
                images.lines[i], 0,
                "class '" + name + "' is not one of the training data's classes"});
            continue;
        }
        if (images.arrays) {
            split.image_ids.push_back(array_offset + i);
        } else {
            split.image_ids.push_back(source.paths.size());
            source.paths.push_back(images.paths[i]);
        }
        split.labels.push_back(label);
        split.lines.push_back(images.lines[i]);
    }
}

// Another IDX images file (e.g. t10k-images-idx3-ubyte.gz) has its labels file next to it under
// the MNIST naming (t10k-labels-idx1-ubyte.gz): a copy of `config` reading that one.
io::ExperimentConfig with_labels_for(const io::ExperimentConfig& config, const std::string& path) {
    io::ExperimentConfig c = config;
    const std::string name = fs::path(path).filename().string();
    const auto at = name.find("images-idx3");
    if (at != std::string::npos && path != config.resolve(config.dataset.path)) {
        std::string labels = name;
        labels.replace(at, 11, "labels-idx1");
        const fs::path candidate = fs::path(path).parent_path() / labels;
        if (fs::exists(candidate))
            c.dataset.labels_path = candidate.string();
    }
    return c;
}

// `more`'s rows appended to `into` (a run's one in-memory array); the image sizes must agree.
void append_rows(data::ImageArrayDataset& into, const data::ImageArrayDataset& more,
                 const std::string& key) {
    if (more.height != into.height || more.width != into.width || more.channels != into.channels)
        throw Error(more.source + " holds " + std::to_string(more.height) + "x" +
                        std::to_string(more.width) + "x" + std::to_string(more.channels) +
                        " images, the training data " + std::to_string(into.height) + "x" +
                        std::to_string(into.width) + "x" + std::to_string(into.channels),
                    SourceLocation{more.source, 0, 0, key});
    into.pixels.insert(into.pixels.end(), more.pixels.begin(), more.pixels.end());
    into.count += more.count;
}

}  // namespace

std::string image_format_of(const io::DatasetConfig& ds, const std::string& path) {
    if (ds.format != "auto")
        return ds.format == "csv" || ds.format == "tsv" || ds.format == "jsonl" ? "table"
                                                                                : ds.format;
    if (fs::is_directory(path))
        return "image_folder";
    const std::string ext = lower(fs::path(path).extension().string());
    if (ext == ".csv" || ext == ".tsv" || ext == ".jsonl" || ext == ".txt")
        return "table";
    if (ext == ".h5" || ext == ".hdf5")
        return "hdf5";
    if (!ds.labels_path.empty() || lower(path).find("ubyte") != std::string::npos)
        return "idx";
    throw Error("cannot tell the image dataset's format from " + path +
                    ": give a folder with one sub-folder per class, a .csv/.tsv/.jsonl table of "
                    "path,label, an .h5 file, or an IDX images file with dataset.labels_path "
                    "(or set dataset.format)",
                SourceLocation{path, 0, 0, "dataset.format"});
}

PreparedData prepare_image_data(const io::ExperimentConfig& config, const LogFn& log) {
    const auto& ds = config.dataset;
    const std::string main_path = config.resolve(ds.path);
    auto source = std::make_shared<ImageSource>();
    source->transform = image_transform_of(ds);
    source->augmentation = image_augmentation_of(ds);
    source->seed = config.training.seed;

    PreparedData out;
    LoadedImages main = load_images(config, main_path);
    check_problems(main.problems, main_path, ds.skip_invalid_rows, log, out.problems);
    out.labels = main.classes;
    if (out.labels.size() < 2)
        throw Error("the image dataset has " + std::to_string(out.labels.size()) +
                        " class(es); classification needs at least 2",
                    SourceLocation{main_path, 0, 0, "dataset.path"});
    source->arrays = main.arrays;
    std::uint64_t hash = 1469598103934665603ULL;
    hash_loaded(hash, main, out.labels);

    const bool user_split = !ds.dev_path.empty() || !ds.test_path.empty();
    if (user_split) {
        append(*source, out.train, main, out.labels, out.problems, nullptr);
        for (std::size_t i = 0; i < main.labels.size(); ++i)
            out.split.train.push_back(i);
        // Array data: the dev/test rows join the training array (one in-memory array per run;
        // ids past the training rows), so batches read them the same way.
        std::shared_ptr<data::ImageArrayDataset> arrays;
        if (main.arrays)
            arrays = std::make_shared<data::ImageArrayDataset>(*main.arrays);
        auto side = [&](const std::string& rel, EncodedSplit& into) {
            if (rel.empty())
                return;
            const std::string path = config.resolve(rel);
            const std::string key = &into == &out.dev ? "dataset.dev_path" : "dataset.test_path";
            const LoadedImages other = load_images(with_labels_for(config, path), path);
            if (bool(other.arrays) != bool(arrays))
                throw Error(path + " is " +
                                (other.arrays ? "array data (IDX/HDF5)" : "image files") +
                                " but the training data is " +
                                (arrays ? "array data (IDX/HDF5)" : "image files") +
                                ": dev and test data must have the training data's kind",
                            SourceLocation{path, 0, 0, key});
            std::size_t offset = 0;
            if (arrays) {
                offset = static_cast<std::size_t>(arrays->count);
                append_rows(*arrays, *other.arrays, key);
            }
            std::vector<data::DataProblem> problems = other.problems;
            append(*source, into, other, out.labels, problems, nullptr, offset);
            check_problems(problems, config.resolve(rel), ds.skip_invalid_rows, log, out.problems);
            hash_loaded(hash, other, other.classes);
        };
        side(ds.dev_path, out.dev);
        side(ds.test_path, out.test);
        if (arrays)
            source->arrays = arrays;
    } else {
        out.split = data::stratified_split(main.labels,
                                           {ds.train_fraction, ds.dev_fraction, ds.test_fraction},
                                           config.training.seed);
        append(*source, out.train, main, out.labels, out.problems, &out.split.train);
        append(*source, out.dev, main, out.labels, out.problems, &out.split.dev);
        append(*source, out.test, main, out.labels, out.problems, &out.split.test);
    }
    if (out.train.size() == 0)
        throw Error("the training split is empty", SourceLocation{main_path, 0, 0, "dataset"});
    std::shared_ptr<const ImageSource> shared = source;
    for (EncodedSplit* s : {&out.train, &out.dev, &out.test})
        s->images = shared;
    out.train.augment = true;
    out.data_hash = hash_hex(hash);
    return out;
}

ImageFileClasses read_image_file_classes(const io::ExperimentConfig& config,
                                         const std::string& path) {
    const LoadedImages loaded = load_images(with_labels_for(config, path), path);
    ImageFileClasses out;
    out.class_names.reserve(loaded.labels.size());
    for (std::size_t i = 0; i < loaded.labels.size(); ++i) {
        out.class_names.push_back(loaded.classes.name(loaded.labels[i]));
        out.sources.push_back(loaded.arrays ? loaded.arrays->source : loaded.paths[i]);
        out.lines.push_back(loaded.lines[i]);
    }
    out.problems = loaded.problems;
    return out;
}

EncodedSplit encode_labelled_images(const io::ExperimentConfig& config, const std::string& path,
                                    const data::LabelMap& labels,
                                    std::vector<data::DataProblem>& problems) {
    auto source = std::make_shared<ImageSource>();
    source->transform = image_transform_of(config.dataset);
    source->seed = config.training.seed;
    io::ExperimentConfig c = with_labels_for(config, path);
    c.dataset.format = "auto";  // the file to score may be a folder while training used a CSV
    const LoadedImages loaded = load_images(c, path);
    problems.insert(problems.end(), loaded.problems.begin(), loaded.problems.end());
    source->arrays = loaded.arrays;
    EncodedSplit split;
    append(*source, split, loaded, labels, problems, nullptr);
    split.images = source;
    return split;
}

}  // namespace tb::train
