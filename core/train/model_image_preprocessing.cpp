#include "train/model_image_preprocessing.h"

#include <filesystem>
#include <sstream>

#include "model/image_model_config.h"

namespace tb::train {
namespace {

std::string number_list(const std::vector<float>& values) {
    std::ostringstream out;
    out << '[';
    for (std::size_t i = 0; i < values.size(); ++i)
        out << (i ? ", " : "") << values[i];
    out << ']';
    return out.str();
}

std::vector<float> floats(const std::vector<double>& values) {
    return std::vector<float>(values.begin(), values.end());
}

std::string describe(int channels, int height, int width, const std::string& resize,
                     const std::string& order, const std::vector<float>& mean,
                     const std::vector<float>& std) {
    return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width) +
           ", " + resize + (channels == 3 ? ", " + order : std::string()) + ", mean " +
           number_list(mean) + ", std " + number_list(std);
}

}  // namespace

std::optional<model::vision::ImagePreprocessing> model_folder_preprocessing(
    const std::string& dir) {
    if (!model::is_image_model_folder(dir))
        return std::nullopt;
    const auto config = model::load_image_model_config(dir);
    return model::vision::folder_preprocessing(
        config, (std::filesystem::path(dir) / "config.json").string());
}

bool dataset_uses_preprocessing(const io::DatasetConfig& d,
                                const model::vision::ImagePreprocessing& p) {
    const bool same_resize = p.resize_shorter > 0 ? d.image_resize == "shorter_side_crop" &&
                                                        d.image_resize_shorter == p.resize_shorter
                                                  : d.image_resize == "stretch";
    return same_resize && d.image_width == p.width && d.image_height == p.height &&
           d.image_channels == p.channels &&
           (p.channels != 3 || d.image_channel_order == p.channel_order) &&
           floats(d.normalize_mean) == p.mean && floats(d.normalize_std) == p.std;
}

void adopt_preprocessing(io::DatasetConfig& d, const model::vision::ImagePreprocessing& p) {
    d.image_width = p.width;
    d.image_height = p.height;
    d.image_channels = p.channels;
    d.image_resize = p.resize_shorter > 0 ? "shorter_side_crop" : "stretch";
    d.image_resize_shorter = p.resize_shorter;
    d.image_channel_order = p.channels == 3 ? p.channel_order : "RGB";
    d.normalize_mean.assign(p.mean.begin(), p.mean.end());
    d.normalize_std.assign(p.std.begin(), p.std.end());
}

std::string describe_preprocessing(const model::vision::ImagePreprocessing& p) {
    const std::string resize =
        p.resize_shorter > 0
            ? "resize shorter side to " + std::to_string(p.resize_shorter) + " + centre crop"
            : "stretch";
    return describe(p.channels, p.height, p.width, resize, p.channel_order, p.mean, p.std);
}

std::string describe_dataset_preprocessing(const io::DatasetConfig& d) {
    std::string resize =
        d.image_resize == "stretch"       ? "stretch"
        : d.image_resize == "center_crop" ? "centre crop"
        : d.image_resize_shorter > 0
            ? "resize shorter side to " + std::to_string(d.image_resize_shorter) + " + centre crop"
            : "resize shorter side to the crop + centre crop";
    return describe(d.image_channels, d.image_height, d.image_width, resize, d.image_channel_order,
                    floats(d.normalize_mean), floats(d.normalize_std));
}

}  // namespace tb::train
