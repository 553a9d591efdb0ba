// Reads the structure of a PyTorch pickle (a TorchScript archive's data.pkl) without running
// anything: classes and functions stay names, tensors become their dtype and shape.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tb::model::pickle {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

// A node of the unpickled tree. GLOBAL never imports, REDUCE / NEWOBJ never call: a call is
// kept as Call (callee name + arguments), an object as Object (class name + BUILD state),
// except torch._utils._rebuild_tensor_v2 over a persistent storage, which becomes Tensor.
struct Value {
    enum class Kind {
        None,
        Bool,
        Int,
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,
        Global,
        Call,
        Object,
        Storage,
        Tensor
    };
    Kind kind = Kind::None;
    std::int64_t integer = 0;         // Bool, Int
    double number = 0;                // Float
    std::string text;                 // String, Bytes, Global / Call / Object name, Storage dtype
    std::vector<ValuePtr> items;      // Tuple, List, Call arguments; Dict: key, value, key, ...
    ValuePtr state;                   // Object: what BUILD set (usually a Dict)
    std::vector<std::int64_t> shape;  // Tensor
    std::string dtype;                // Tensor: the storage class, e.g. "FloatStorage"
    std::string storage_key;          // Tensor: the archive's data/<key> record
    std::int64_t numel_checked = 1;   // Tensor: product of shape (checked against overflow)

    std::int64_t numel() const;
    // Dict: the value of string key `key`, or nullptr.
    ValuePtr get(const std::string& key) const;
};

// The unpickled root and every node made on the way. Destroying it first empties each node, so
// nesting however deep (and cycles made by BUILD) is freed without recursion.
struct Tree {
    ValuePtr root;
    std::vector<ValuePtr> nodes;
    Tree() = default;
    Tree(Tree&&) = default;
    Tree& operator=(Tree&&) = default;
    Tree(const Tree&) = delete;
    Tree& operator=(const Tree&) = delete;
    ~Tree();
};

// Interprets the protocol-2 opcodes PyTorch's pickler writes (and the protocol-4 framing and
// memo opcodes). Throws tb::Error naming `name` and the byte offset for anything else,
// malformed or truncated input, or a structure deeper than the limits.
Tree parse(const std::string& bytes, const std::string& name);

}  // namespace tb::model::pickle
