// TF.js model files: model JSON, weights manifest, shards, dequantization.
#include "model/keras/tfjs_weights.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "model/keras/js_module.h"

namespace tb::model::keras {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string find_model_file(const std::string& path) {
    if (!fs::is_directory(path))
        return path;
    for (const char* name : {"model.json", "model.min.js", "model.js"})
        if (fs::is_regular_file(fs::path(path) / name))
            return (fs::path(path) / name).string();
    throw Error("no model.json, model.min.js or model.js in this folder",
                SourceLocation{path, 0, 0, ""});
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// One shard's bytes: a binary file, or a JavaScript module exporting the bytes as base64.
std::string read_shard(const fs::path& dir, const std::string& name, const std::string& model) {
    fs::path file = dir / name;
    if (!fs::is_regular_file(file)) {
        for (const char* ext : {".min.js", ".js"})
            if (fs::is_regular_file(dir / (name + ext))) {
                file = dir / (name + ext);
                break;
            }
    }
    if (!fs::is_regular_file(file))
        throw Error("weight shard '" + name +
                        "' named by the weights manifest is missing (looked for " + name + ", " +
                        name + ".min.js and " + name + ".js next to the model)",
                    SourceLocation{model, 0, 0, "weightsManifest.paths"});
    if (ends_with(file.string(), ".js")) {
        const json value = read_js_module_value(file.string());
        if (!value.is_string())
            throw Error("the weight shard module does not export a base64 string",
                        SourceLocation{file.string(), 0, 0, ""});
        return decode_base64(value.get<std::string>(), file.string());
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in)
        throw Error("cannot read the weight shard", SourceLocation{file.string(), 0, 0, ""});
    return bytes.str();
}

std::size_t value_size(const std::string& dtype) {
    if (dtype == "float32" || dtype == "int32")
        return 4;
    if (dtype == "uint16" || dtype == "float16")
        return 2;
    if (dtype == "uint8" || dtype == "bool")
        return 1;
    return 0;
}

struct Spec {
    std::string name, dtype, quantization;  // quantization "" when none
    double scale = 1, min = 0;
    std::vector<std::int64_t> shape;
    std::int64_t count = 1;
    std::size_t bytes = 0;
};

Spec parse_spec(const json& w, const std::string& model) {
    auto fail = [&](const std::string& what) {
        const std::string name = w.is_object() && w.contains("name") && w["name"].is_string()
                                     ? w["name"].get<std::string>()
                                     : "?";
        return Error("weights manifest entry '" + name + "': " + what,
                     SourceLocation{model, 0, 0, name});
    };
    if (!w.is_object() || !w.contains("name") || !w["name"].is_string())
        throw fail("has no name");
    Spec s;
    s.name = w["name"].get<std::string>();
    if (!w.contains("shape") || !w["shape"].is_array())
        throw fail("has no shape");
    for (const auto& d : w["shape"]) {
        if (!d.is_number_integer() || d.get<std::int64_t>() < 0)
            throw fail("shape must hold non-negative integers");
        s.shape.push_back(d.get<std::int64_t>());
        s.count *= s.shape.back();
    }
    s.dtype = w.value("dtype", std::string("float32"));
    if (s.dtype != "float32" && s.dtype != "int32")
        throw fail("dtype '" + s.dtype + "' is not supported (float32 and int32 are)");
    std::size_t per = value_size(s.dtype);
    if (w.contains("quantization") && !w["quantization"].is_null()) {
        const json& q = w["quantization"];
        if (!q.is_object() || !q.contains("dtype") || !q["dtype"].is_string())
            throw fail("quantization has no dtype");
        s.quantization = q["dtype"].get<std::string>();
        if (s.quantization != "uint8" && s.quantization != "uint16" && s.quantization != "float16")
            throw fail("quantization dtype '" + s.quantization +
                       "' is not supported (uint8, uint16, float16 are)");
        if (s.quantization != "float16") {
            if (!q.contains("scale") || !q["scale"].is_number() || !q.contains("min") ||
                !q["min"].is_number())
                throw fail(s.quantization + " quantization needs numbers 'min' and 'scale'");
            s.scale = q["scale"].get<double>();
            s.min = q["min"].get<double>();
        } else if (s.dtype != "float32") {
            throw fail("float16 quantization applies to float32 weights only");
        }
        per = value_size(s.quantization);
    }
    s.bytes = static_cast<std::size_t>(s.count) * per;
    return s;
}

TfjsWeight decode(const Spec& s, const std::uint8_t* data, const std::string& model) {
    TfjsWeight w;
    w.name = s.name;
    w.shape = s.shape;
    const auto n = static_cast<std::size_t>(s.count);
    if (!s.quantization.empty()) {
        w.values = dequantize_tfjs(data, n, s.quantization, s.scale, s.min, s.name);
        if (s.dtype == "int32")
            for (float& v : w.values)
                v = std::round(v);
        return w;
    }
    w.values.resize(n);
    if (s.dtype == "float32") {
        std::memcpy(w.values.data(), data, n * 4);
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            std::int32_t v;
            std::memcpy(&v, data + 4 * i, 4);
            w.values[i] = static_cast<float>(v);
        }
    }
    (void)model;
    return w;
}

}  // namespace

float half_to_float(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1F;
    std::uint32_t mantissa = h & 0x3FF;
    std::uint32_t bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | (mantissa << 13);  // inf / nan
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {  // subnormal: normalise
        exponent = 113;
        while ((mantissa & 0x400) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        bits = sign | (exponent << 23) | ((mantissa & 0x3FF) << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

std::vector<float> dequantize_tfjs(const std::uint8_t* bytes, std::size_t count,
                                   const std::string& dtype, double scale, double min,
                                   const std::string& weight) {
    std::vector<float> out(count);
    if (dtype == "uint8") {
        for (std::size_t i = 0; i < count; ++i)
            out[i] = static_cast<float>(bytes[i] * scale + min);
    } else if (dtype == "uint16" || dtype == "float16") {
        for (std::size_t i = 0; i < count; ++i) {
            const auto v = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
            out[i] = dtype == "uint16" ? static_cast<float>(v * scale + min) : half_to_float(v);
        }
    } else {
        throw Error("weight '" + weight + "': quantization dtype '" + dtype +
                        "' is not supported (uint8, uint16, float16 are)",
                    SourceLocation{"", 0, 0, weight});
    }
    return out;
}

TfjsLayersModel read_tfjs_layers_model(const std::string& path) {
    TfjsLayersModel out;
    out.path = find_model_file(path);
    const json root = read_js_module_value(out.path);
    if (!root.is_object() || !root.contains("modelTopology") || !root["modelTopology"].is_object())
        throw Error(
            "not a TF.js layers model: no \"modelTopology\" object (graph models written by "
            "the TF.js converter for SavedModels are not supported)",
            SourceLocation{out.path, 0, 0, "modelTopology"});
    const json& topology = root["modelTopology"];
    // Keras' model.to_json() nests the model under "model_config"; tfjs' own saver does not.
    out.model_config = topology.contains("model_config") ? topology["model_config"] : topology;
    if (topology.contains("keras_version") && topology["keras_version"].is_string())
        out.keras_version = topology["keras_version"].get<std::string>();
    if (!root.contains("weightsManifest") || !root["weightsManifest"].is_array())
        throw Error("no \"weightsManifest\" list: the model has no weights to import",
                    SourceLocation{out.path, 0, 0, "weightsManifest"});
    const fs::path dir = fs::path(out.path).parent_path();
    for (const json& group : root["weightsManifest"]) {
        if (!group.is_object() || !group.contains("paths") || !group["paths"].is_array() ||
            !group.contains("weights") || !group["weights"].is_array())
            throw Error("each weightsManifest entry needs \"paths\" and \"weights\" lists",
                        SourceLocation{out.path, 0, 0, "weightsManifest"});
        std::string data;
        std::vector<std::pair<std::string, std::size_t>> shard_ends;
        for (const json& p : group["paths"]) {
            if (!p.is_string())
                throw Error("weightsManifest paths must be strings",
                            SourceLocation{out.path, 0, 0, "weightsManifest.paths"});
            data += read_shard(dir, p.get<std::string>(), out.path);
            shard_ends.emplace_back(p.get<std::string>(), data.size());
        }
        std::size_t offset = 0;
        std::vector<Spec> specs;
        for (const json& w : group["weights"])
            specs.push_back(parse_spec(w, out.path));
        std::size_t expected = 0;
        for (const Spec& s : specs)
            expected += s.bytes;
        for (const Spec& s : specs) {
            if (offset + s.bytes > data.size())
                throw Error("truncated weight shards: weight '" + s.name + "' " + "needs bytes " +
                                std::to_string(offset) + ".." + std::to_string(offset + s.bytes) +
                                " of the group, but its shards (" +
                                std::to_string(shard_ends.size()) + ", last '" +
                                (shard_ends.empty() ? "" : shard_ends.back().first) +
                                "') hold only " + std::to_string(data.size()) + " of the " +
                                std::to_string(expected) + " bytes the manifest describes",
                            SourceLocation{out.path, 0, 0, s.name});
            if (out.weights.count(s.name))
                throw Error("weights manifest names '" + s.name + "' twice",
                            SourceLocation{out.path, 0, 0, s.name});
            out.weights[s.name] =
                decode(s, reinterpret_cast<const std::uint8_t*>(data.data()) + offset, out.path);
            offset += s.bytes;
        }
        if (offset != data.size())
            throw Error("weights manifest size mismatch: the manifest describes " +
                            std::to_string(offset) + " bytes but the shards hold " +
                            std::to_string(data.size()) +
                            " (the shards belong to another model or the manifest is wrong)",
                        SourceLocation{out.path, 0, 0, "weightsManifest"});
    }
    return out;
}

}  // namespace tb::model::keras
