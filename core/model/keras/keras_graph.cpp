// Keras model_config parsing, cutting and writing.
#include "model/keras/keras_graph.h"

#include <map>
#include <set>

#include "common/error.h"

namespace tb::model::keras {
namespace {

using json = nlohmann::json;

Error graph_error(const std::string& path, const std::string& layer, const std::string& what) {
    return Error((layer.empty() ? "" : "layer '" + layer + "': ") + what,
                 SourceLocation{path, 0, 0, layer});
}

// Keras 3 writes inbound nodes as {"args": [...], "kwargs": {...}} holding tensors with a
// "keras_history" [layer, node, tensor]; collect those in order.
void collect_history(const json& j, std::vector<std::string>& out) {
    if (j.is_object()) {
        if (j.contains("keras_history") && j["keras_history"].is_array() &&
            !j["keras_history"].empty() && j["keras_history"][0].is_string()) {
            out.push_back(j["keras_history"][0].get<std::string>());
            return;
        }
        for (auto it = j.begin(); it != j.end(); ++it)
            collect_history(it.value(), out);
    } else if (j.is_array()) {
        for (const auto& v : j)
            collect_history(v, out);
    }
}

std::vector<std::string> inbound_names(const json& layer, const std::string& name,
                                       const std::string& path) {
    std::vector<std::string> out;
    if (!layer.contains("inbound_nodes") || !layer["inbound_nodes"].is_array())
        return out;
    const json& nodes = layer["inbound_nodes"];
    if (nodes.size() > 1)
        throw graph_error(path, name,
                          "is applied " + std::to_string(nodes.size()) +
                              " times (shared layers are not supported)");
    if (nodes.empty())
        return out;
    const json& node = nodes[0];
    if (node.is_array()) {  // Keras 2: [[name, node_index, tensor_index, kwargs], ...]
        for (const json& entry : node) {
            if (!entry.is_array() || entry.empty() || !entry[0].is_string())
                throw graph_error(path, name, "has an inbound node entry that is not [layer, ...]");
            if (entry.size() > 2 && entry[2].is_number_integer() && entry[2].get<int>() != 0)
                throw graph_error(path, name,
                                  "takes output " + std::to_string(entry[2].get<int>()) + " of '" +
                                      entry[0].get<std::string>() +
                                      "' (layers with several outputs are not supported)");
            out.push_back(entry[0].get<std::string>());
        }
    } else {
        collect_history(node, out);
    }
    return out;
}

std::vector<std::int64_t> shape_of_input(const json& config, const std::string& name,
                                         const std::string& path) {
    for (const char* key : {"batch_input_shape", "batch_shape"}) {
        if (!config.contains(key) || !config[key].is_array())
            continue;
        const json& s = config[key];
        if (s.size() != 4)
            throw graph_error(path, name,
                              "the input shape " + s.dump() +
                                  " is not [batch, height, width, channels] (image models only)");
        std::vector<std::int64_t> out;
        for (std::size_t i = 1; i < 4; ++i) {
            if (!s[i].is_number_integer() || s[i].get<std::int64_t>() < 1)
                throw graph_error(
                    path, name,
                    "the input shape " + s.dump() + " must give the height, width and channels");
            out.push_back(s[i].get<std::int64_t>());
        }
        return out;
    }
    throw graph_error(path, name, "has no batch_input_shape");
}

}  // namespace

KerasGraph parse_keras_graph(const json& model_config, const std::string& path) {
    if (!model_config.is_object() || !model_config.contains("class_name") ||
        !model_config.contains("config"))
        throw graph_error(path, "", "the model topology has no class_name / config");
    const std::string cls =
        model_config["class_name"].is_string() ? model_config["class_name"].get<std::string>() : "";
    const json& config = model_config["config"];
    KerasGraph g;
    if (config.is_object() && config.contains("name") && config["name"].is_string())
        g.name = config["name"].get<std::string>();
    const json& layers = config.is_array() ? config : config.value("layers", json::array());
    if (!layers.is_array() || layers.empty())
        throw graph_error(path, "", "the model has no layers");

    if (cls == "Sequential") {
        std::string previous;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const json& l = layers[i];
            KerasLayer layer;
            layer.class_name = l.value("class_name", "");
            layer.config = l.value("config", json::object());
            layer.name = layer.config.value("name", "layer_" + std::to_string(i));
            if (i == 0 && layer.class_name != "InputLayer") {
                KerasLayer input;
                input.name = "input";
                input.class_name = "InputLayer";
                g.input_shape = shape_of_input(layer.config, layer.name, path);
                input.config = {{"batch_input_shape",
                                 {nullptr, g.input_shape[0], g.input_shape[1], g.input_shape[2]}},
                                {"name", "input"}};
                g.layers.push_back(input);
                previous = "input";
            } else if (i == 0) {
                g.input_shape = shape_of_input(layer.config, layer.name, path);
            }
            if (!previous.empty())
                layer.inputs = {previous};
            previous = layer.name;
            g.layers.push_back(layer);
        }
        g.output = previous;
        return g;
    }
    if (cls != "Model" && cls != "Functional")
        throw graph_error(path, "",
                          "model class '" + cls +
                              "' is not supported (Model, Functional and "
                              "Sequential are)");

    std::set<std::string> seen;
    for (const json& l : layers) {
        KerasLayer layer;
        layer.name = l.value("name", "");
        layer.class_name = l.value("class_name", "");
        layer.config = l.value("config", json::object());
        if (layer.name.empty() && layer.config.is_object())
            layer.name = layer.config.value("name", "");
        if (layer.name.empty())
            throw graph_error(path, "", "a layer has no name");
        if (seen.count(layer.name))
            throw graph_error(path, layer.name, "the name is used twice");
        layer.inputs = inbound_names(l, layer.name, path);
        for (const auto& in : layer.inputs)
            if (!seen.count(in))
                throw graph_error(path, layer.name,
                                  "its input '" + in + "' is not defined before it");
        if (layer.inputs.empty() && layer.class_name != "InputLayer")
            throw graph_error(path, layer.name,
                              "has no inputs (only InputLayer may start the graph)");
        seen.insert(layer.name);
        g.layers.push_back(layer);
    }
    std::vector<std::string> inputs, outputs;
    for (const char* key : {"input_layers", "output_layers"}) {
        std::vector<std::string>& out = std::string(key) == "input_layers" ? inputs : outputs;
        if (!config.contains(key))
            continue;
        const json& list = config[key];
        // [[name, 0, 0], ...] or, for one tensor, [name, 0, 0]
        if (list.is_array() && !list.empty() && list[0].is_string())
            out.push_back(list[0].get<std::string>());
        else if (list.is_array())
            for (const json& e : list)
                if (e.is_array() && !e.empty() && e[0].is_string())
                    out.push_back(e[0].get<std::string>());
    }
    if (inputs.size() != 1)
        throw graph_error(path, "",
                          "the model has " + std::to_string(inputs.size()) +
                              " inputs; one image input is supported");
    if (outputs.size() != 1)
        throw graph_error(
            path, "",
            "the model has " + std::to_string(outputs.size()) + " outputs; cut it at one layer");
    if (g.layers[0].name != inputs[0] || g.layers[0].class_name != "InputLayer")
        throw graph_error(path, inputs[0], "the model input must be the first layer");
    for (std::size_t i = 1; i < g.layers.size(); ++i)
        if (g.layers[i].class_name == "InputLayer")
            throw graph_error(path, g.layers[i].name, "a second InputLayer is not supported");
    if (!seen.count(outputs[0]))
        throw graph_error(path, outputs[0], "the model output is not a layer of the model");
    g.output = outputs[0];
    g.input_shape = shape_of_input(g.layers[0].config, g.layers[0].name, path);
    return cut_keras_graph(g, g.output, path);
}

KerasGraph cut_keras_graph(const KerasGraph& graph, const std::string& layer,
                           const std::string& path) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < graph.layers.size(); ++i)
        index[graph.layers[i].name] = i;
    if (!index.count(layer)) {
        std::string names;
        for (std::size_t i = graph.layers.size(); i-- > 0 && graph.layers.size() - i <= 12;)
            names = graph.layers[i].name + (names.empty() ? "" : ", ") + names;
        throw Error(
            "the model has no layer '" + layer + "' to cut at (its last layers: " + names + ")",
            SourceLocation{path, 0, 0, layer});
    }
    std::vector<bool> keep(graph.layers.size(), false);
    keep[index[layer]] = true;
    for (std::size_t i = index[layer] + 1; i-- > 0;)
        if (keep[i])
            for (const auto& in : graph.layers[i].inputs)
                keep[index[in]] = true;
    KerasGraph out = graph;
    out.layers.clear();
    for (std::size_t i = 0; i < graph.layers.size(); ++i)
        if (keep[i])
            out.layers.push_back(graph.layers[i]);
    out.output = layer;
    return out;
}

json keras_graph_to_json(const KerasGraph& graph) {
    json layers = json::array();
    auto ends = [](const std::string& s, const std::string& suffix) {
        return s.size() >= suffix.size() &&
               s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    for (const KerasLayer& l : graph.layers) {
        json config = json::object();
        for (auto it = l.config.begin(); it != l.config.end(); ++it)
            if (!ends(it.key(), "_initializer") && !ends(it.key(), "_regularizer") &&
                !ends(it.key(), "_constraint"))
                config[it.key()] = it.value();
        json inbound = json::array();
        if (!l.inputs.empty()) {
            json node = json::array();
            for (const auto& in : l.inputs)
                node.push_back({in, 0, 0, json::object()});
            inbound.push_back(node);
        }
        layers.push_back({{"name", l.name},
                          {"class_name", l.class_name},
                          {"config", config},
                          {"inbound_nodes", inbound}});
    }
    return {{"class_name", "Model"},
            {"config",
             {{"name", graph.name},
              {"layers", layers},
              {"input_layers", {{graph.layers.at(0).name, 0, 0}}},
              {"output_layers", {{graph.output, 0, 0}}}}}};
}

}  // namespace tb::model::keras
