// Image preprocessing per backbone: defaults, validation, JSON form and application.
#include "model/vision/image_preprocessing.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace tb::model::vision {
namespace {

const char* const kKeys[] = {"width", "height", "resize_shorter", "channels", "channel_order",
                             "mean",  "std"};

// The shortest decimal that reads back as the same float, so JSON shows 0.229, not
// 0.2290000021457672.
double shortest(float value) {
    for (int digits = 6; digits < 9; ++digits) {
        char text[32];
        std::snprintf(text, sizeof text, "%.*g", digits, static_cast<double>(value));
        if (std::strtof(text, nullptr) == value)
            return std::strtod(text, nullptr);
    }
    return static_cast<double>(value);
}

std::vector<double> shortest(const std::vector<float>& values) {
    std::vector<double> out;
    for (float v : values)
        out.push_back(shortest(v));
    return out;
}

Error field_error(const std::string& source, const std::string& key, const std::string& what) {
    return Error("image preprocessing: '" + key + "' " + what, SourceLocation{source, 0, 0, key});
}

}  // namespace

bool ImagePreprocessing::operator==(const ImagePreprocessing& o) const {
    return width == o.width && height == o.height && resize_shorter == o.resize_shorter &&
           channels == o.channels && channel_order == o.channel_order && mean == o.mean &&
           std == o.std;
}

ImagePreprocessing default_preprocessing(const std::string& architecture) {
    ImagePreprocessing p;
    if (architecture == "resnet18" || architecture == "resnet34" || architecture == "resnet50" ||
        architecture == "mobilenet_v2")
        return p;
    if (architecture == "small_cnn" || architecture == "mlp") {
        p.width = p.height = 28;
        p.resize_shorter = 0;
        p.channels = 1;
        p.mean = {0.0f};
        p.std = {1.0f};
        return p;
    }
    throw Error("no image preprocessing is known for architecture '" + architecture +
                    "'; supported: resnet18, resnet34, resnet50, mobilenet_v2, small_cnn, mlp",
                SourceLocation{"", 0, 0, "architecture"});
}

void validate(const ImagePreprocessing& p) {
    if (p.width < 1 || p.height < 1)
        throw field_error("", p.width < 1 ? "width" : "height", "must be at least 1 pixel");
    if (p.resize_shorter < 0)
        throw field_error("", "resize_shorter", "must be 0 (stretch) or a size in pixels");
    if (p.channels != 1 && p.channels != 3)
        throw field_error("", "channels", "must be 1 or 3, not " + std::to_string(p.channels));
    if (p.channel_order != "RGB" && p.channel_order != "BGR")
        throw field_error("", "channel_order", "must be \"RGB\" or \"BGR\"");
    if (p.mean.size() != static_cast<std::size_t>(p.channels))
        throw field_error("", "mean", "needs one value per channel");
    if (p.std.size() != static_cast<std::size_t>(p.channels))
        throw field_error("", "std", "needs one value per channel");
    for (float s : p.std)
        if (!(s > 0.0f))
            throw field_error("", "std", "values must be positive");
}

std::string to_json(const ImagePreprocessing& p) {
    nlohmann::ordered_json j;
    j["width"] = p.width;
    j["height"] = p.height;
    j["resize_shorter"] = p.resize_shorter;
    j["channels"] = p.channels;
    j["channel_order"] = p.channel_order;
    j["mean"] = shortest(p.mean);
    j["std"] = shortest(p.std);
    return j.dump();
}

ImagePreprocessing image_preprocessing_from_json(const std::string& text,
                                                 const std::string& source) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("image preprocessing is not valid JSON: ") + e.what(),
                    SourceLocation{source, 0, 0, ""});
    }
    if (!j.is_object())
        throw Error("image preprocessing must be a JSON object", SourceLocation{source, 0, 0, ""});
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool known = false;
        for (const char* k : kKeys)
            known = known || it.key() == k;
        if (!known)
            throw field_error(source, it.key(), "is not a known key");
    }
    ImagePreprocessing p;
    auto get_int = [&](const char* key) {
        if (!j.contains(key) || !j[key].is_number_integer())
            throw field_error(source, key, "must be present and an integer");
        return j[key].get<int>();
    };
    auto get_floats = [&](const char* key) {
        if (!j.contains(key) || !j[key].is_array())
            throw field_error(source, key, "must be present and a list of numbers");
        std::vector<float> values;
        for (const auto& v : j[key]) {
            if (!v.is_number())
                throw field_error(source, key, "must be a list of numbers");
            values.push_back(v.get<float>());
        }
        return values;
    };
    p.width = get_int("width");
    p.height = get_int("height");
    p.resize_shorter = get_int("resize_shorter");
    p.channels = get_int("channels");
    if (!j.contains("channel_order") || !j["channel_order"].is_string())
        throw field_error(source, "channel_order", "must be present and a string");
    p.channel_order = j["channel_order"].get<std::string>();
    p.mean = get_floats("mean");
    p.std = get_floats("std");
    try {
        validate(p);
    } catch (const Error& e) {
        throw Error(e.message(), SourceLocation{source, 0, 0, e.where().key});
    }
    return p;
}

ImagePreprocessing folder_preprocessing(const ImageModelConfig& c, const std::string& config_path) {
    if (!c.preprocessing_json.empty())
        return image_preprocessing_from_json(c.preprocessing_json, config_path);
    return c.architecture == "torchscript" ? ImagePreprocessing{}
                                           : default_preprocessing(c.architecture);
}

data::ImageTransform to_transform(const ImagePreprocessing& p) {
    validate(p);
    data::ImageTransform t;
    t.width = p.width;
    t.height = p.height;
    t.channels = p.channels;
    t.mode = p.resize_shorter > 0 ? data::ResizeMode::ShorterSideCrop : data::ResizeMode::Stretch;
    t.resize_shorter = p.resize_shorter;
    t.bgr = p.channel_order == "BGR";
    t.mean = p.mean;
    t.std = p.std;
    return t;
}

std::vector<float> preprocess(const data::Image& image, const ImagePreprocessing& p) {
    return data::preprocess_image(image, to_transform(p));
}

}  // namespace tb::model::vision
