// Counts a TorchScript archive's parameters from data.pkl and the classes' declarations.
#include "model/torchscript_census.h"

#include <map>
#include <set>
#include <vector>

#include "common/error.h"
#include "model/torch_pickle.h"
#include "model/zip_archive.h"

namespace tb::model {

namespace {

using pickle::Value;
using pickle::ValuePtr;
using Kind = Value::Kind;
using Declarations = std::map<std::string, std::set<std::string>>;  // class -> parameter names

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The quoted names of `__parameters__ = ["weight", "bias", ]` (possibly over several lines).
std::set<std::string> quoted_names(const std::string& code, std::size_t from) {
    std::set<std::string> names;
    const std::size_t open = code.find('[', from);
    const std::size_t close = code.find(']', open);
    if (open == std::string::npos || close == std::string::npos)
        return names;
    std::size_t at = open;
    while (true) {
        const std::size_t q = code.find('"', at);
        if (q == std::string::npos || q > close)
            break;
        const std::size_t end = code.find('"', q + 1);
        if (end == std::string::npos || end > close)
            break;
        names.insert(code.substr(q + 1, end - q - 1));
        at = end + 1;
    }
    return names;
}

// Every `class Name(...)` of one code file and its `__parameters__`, by qualified name
// (the file code/__torch__/a/b.py holds classes __torch__.a.b.Name).
void read_declarations(const std::string& module, const std::string& code, Declarations& out) {
    std::size_t at = 0;
    std::string current;
    while (at < code.size()) {
        std::size_t end = code.find('\n', at);
        if (end == std::string::npos)
            end = code.size();
        const std::string line = code.substr(at, end - at);
        if (line.rfind("class ", 0) == 0) {
            const std::size_t stop = line.find_first_of("(:", 6);
            current = module + "." + line.substr(6, stop == std::string::npos ? stop : stop - 6);
            out[current];  // declared, perhaps without parameters
        } else if (!current.empty() && line.find("__parameters__ = ") != std::string::npos &&
                   line.rfind("  __parameters__", 0) == 0) {
            out[current] = quoted_names(code, at);
        }
        at = end + 1;
    }
}

struct Walker {
    const Declarations& classes;
    TorchScriptCensus census;
    std::set<const Value*> seen;
    std::string path;

    void visit(const ValuePtr& v, int depth) {
        if (!v || depth > 1000 || !seen.insert(v.get()).second)
            return;
        if (v->kind == Kind::Object) {
            visit_module(*v, depth);
        } else if (v->kind == Kind::List || v->kind == Kind::Tuple || v->kind == Kind::Dict ||
                   v->kind == Kind::Call) {
            for (const auto& item : v->items)
                visit(item, depth + 1);
        }
    }

    void visit_module(const Value& object, int depth) {
        const auto declared = classes.find(object.text);
        if (declared == classes.end())
            throw Error("the module class " + object.text + " has no declaration in code/",
                        SourceLocation{path, 0, 0, ""});
        ++census.modules;
        if (!object.state || object.state->kind != Kind::Dict)
            return;
        const auto& items = object.state->items;
        for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
            const ValuePtr& value = items[i + 1];
            if (value->kind != Kind::Tensor) {
                visit(value, depth + 1);
                continue;
            }
            if (!seen.insert(value.get()).second)
                continue;  // a shared (tied) tensor counts once
            const bool parameter =
                items[i]->kind == Kind::String && declared->second.count(items[i]->text) > 0;
            if (parameter) {
                census.parameters += value->numel();
                ++census.parameter_tensors;
            } else {
                census.buffer_elements += value->numel();
            }
        }
    }
};

}  // namespace

TorchScriptCensus census_torchscript(const std::string& path) {
    const ZipArchive zip = ZipArchive::open(path);
    // The archive's folder: "<name>/data.pkl" next to "<name>/code/".
    const ZipArchive::Entry* data = nullptr;
    for (const auto& e : zip.entries())
        if (ends_with(e.name, "/data.pkl") && e.name.find('/') == e.name.size() - 9 &&
            zip.find(e.name.substr(0, e.name.size() - 8) + "constants.pkl"))
            data = &e;
    if (!data)
        throw Error("no <archive>/data.pkl next to constants.pkl: not a TorchScript archive",
                    SourceLocation{path, 0, 0, ""});
    const std::string prefix = data->name.substr(0, data->name.size() - 8) + "code/";
    Declarations classes;
    for (const auto& e : zip.entries()) {
        if (e.name.rfind(prefix, 0) != 0 || !ends_with(e.name, ".py"))
            continue;
        std::string module = e.name.substr(prefix.size(), e.name.size() - prefix.size() - 3);
        for (char& c : module)
            if (c == '/')
                c = '.';
        read_declarations(module, zip.read(e, 64u << 20), classes);
    }
    const pickle::Tree tree = pickle::parse(zip.read(*data), path + ":" + data->name);
    const ValuePtr& root = tree.root;
    if (root->kind != Kind::Object)
        throw Error("data.pkl does not hold a module object", SourceLocation{path, 0, 0, ""});
    Walker walker{classes, {}, {}, path};
    walker.visit(root, 0);
    return walker.census;
}

}  // namespace tb::model
