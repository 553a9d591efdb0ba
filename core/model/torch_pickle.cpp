// Reads the structure of a PyTorch pickle without running anything (see torch_pickle.h).
#include "model/torch_pickle.h"

#include <cstring>

#include "common/error.h"

namespace tb::model::pickle {

namespace {

using Kind = Value::Kind;

class Machine {
public:
    Machine(const std::string& bytes, const std::string& name) : bytes_(bytes), name_(name) {}

    Tree parse() {
        tree_.root = run();
        return std::move(tree_);
    }

private:
    ValuePtr make(Kind kind) {
        auto v = std::make_shared<Value>();
        v->kind = kind;
        tree_.nodes.push_back(v);
        return v;
    }

    ValuePtr run() {
        while (true) {
            const std::size_t at = pos_;
            const auto op = static_cast<unsigned char>(take(1)[0]);
            switch (op) {
                case 0x80:
                    take(1);
                    break;  // PROTO
                case 0x95:
                    take(8);
                    break;   // FRAME
                case '.': {  // STOP
                    if (stack_.size() != 1 || !marks_.empty())
                        fail(at, "the pickle does not end with exactly one value");
                    return stack_.back();
                }
                case 'c': {  // GLOBAL "module\nname\n"
                    auto g = make(Kind::Global);
                    const std::string module = line();
                    g->text = module + "." + line();
                    push(g);
                    break;
                }
                case 0x93: {  // STACK_GLOBAL
                    const auto n = pop(at);
                    const auto m = pop(at);
                    if (n->kind != Kind::String || m->kind != Kind::String)
                        fail(at, "STACK_GLOBAL needs two strings");
                    auto g = make(Kind::Global);
                    g->text = m->text + "." + n->text;
                    push(g);
                    break;
                }
                case 'q':
                    memo(u(1), at);
                    break;  // BINPUT
                case 'r':
                    memo(u(4), at);
                    break;  // LONG_BINPUT
                case 0x94:
                    memo(memo_.size(), at);
                    break;  // MEMOIZE
                case 'h':
                    push(recall(u(1), at));
                    break;  // BINGET
                case 'j':
                    push(recall(u(4), at));
                    break;  // LONG_BINGET
                case '(':
                    marks_.push_back(stack_.size());
                    break;  // MARK
                case ')':
                    push(make(Kind::Tuple));
                    break;  // EMPTY_TUPLE
                case ']':
                    push(make(Kind::List));
                    break;  // EMPTY_LIST
                case '}':
                    push(make(Kind::Dict));
                    break;  // EMPTY_DICT
                case 't':
                    push(sequence(Kind::Tuple, popmark(at)));
                    break;
                case 0x85:
                    push(sequence(Kind::Tuple, popn(1, at)));
                    break;
                case 0x86:
                    push(sequence(Kind::Tuple, popn(2, at)));
                    break;
                case 0x87:
                    push(sequence(Kind::Tuple, popn(3, at)));
                    break;
                case 'a': {  // APPEND
                    auto item = pop(at);
                    list_top(at)->items.push_back(item);
                    break;
                }
                case 'e': {  // APPENDS
                    auto items = popmark(at);
                    auto& list = list_top(at)->items;
                    list.insert(list.end(), items.begin(), items.end());
                    break;
                }
                case 's': {  // SETITEM
                    auto value = pop(at);
                    auto key = pop(at);
                    auto& dict = dict_top(at)->items;
                    dict.push_back(key);
                    dict.push_back(value);
                    break;
                }
                case 'u': {  // SETITEMS
                    auto items = popmark(at);
                    if (items.size() % 2 != 0)
                        fail(at, "SETITEMS with an odd number of values");
                    auto& dict = dict_top(at)->items;
                    dict.insert(dict.end(), items.begin(), items.end());
                    break;
                }
                case 'N':
                    push(make(Kind::None));
                    break;
                case 0x88:
                    push(boolean(true));
                    break;
                case 0x89:
                    push(boolean(false));
                    break;
                case 'K':
                    push(integer(static_cast<std::int64_t>(u(1))));
                    break;
                case 'M':
                    push(integer(static_cast<std::int64_t>(u(2))));
                    break;
                case 'J':
                    push(integer(static_cast<std::int32_t>(u(4))));
                    break;
                case 0x8a:
                    push(long1(at));
                    break;   // LONG1
                case 'G': {  // BINFLOAT, big-endian
                    const std::string b = take(8);
                    std::uint64_t bits = 0;
                    for (char c : b)
                        bits = (bits << 8) | static_cast<unsigned char>(c);
                    auto v = make(Kind::Float);
                    std::memcpy(&v->number, &bits, sizeof bits);
                    push(v);
                    break;
                }
                case 'X':
                    push(text(Kind::String, u(4)));
                    break;  // BINUNICODE
                case 0x8c:
                    push(text(Kind::String, u(1)));
                    break;  // SHORT_BINUNICODE
                case 'T':
                    push(text(Kind::String, u(4)));
                    break;  // BINSTRING
                case 'U':
                    push(text(Kind::String, u(1)));
                    break;  // SHORT_BINSTRING
                case 'B':
                    push(text(Kind::Bytes, u(4)));
                    break;  // BINBYTES
                case 'C':
                    push(text(Kind::Bytes, u(1)));
                    break;  // SHORT_BINBYTES
                case 'Q':
                    push(persistent(pop(at), at));
                    break;   // BINPERSID
                case 'R': {  // REDUCE
                    auto args = pop(at);
                    auto callee = pop(at);
                    push(reduce(callee, args, at));
                    break;
                }
                case 0x81: {  // NEWOBJ
                    auto args = pop(at);
                    auto cls = pop(at);
                    if (cls->kind != Kind::Global)
                        fail(at, "NEWOBJ of something that is not a class name");
                    auto object = make(Kind::Object);
                    object->text = cls->text;
                    object->items = args->items;
                    push(object);
                    break;
                }
                case 'b': {  // BUILD
                    auto state = pop(at);
                    auto target = top(at);
                    if (target->kind == Kind::Object)
                        target->state = state;
                    break;
                }
                default:
                    fail(at, "unsupported pickle opcode 0x" + hex(op));
            }
        }
    }

    [[noreturn]] void fail(std::size_t at, const std::string& what) const {
        throw Error("cannot read the pickle: " + what + " (byte offset " + std::to_string(at) + ")",
                    SourceLocation{name_, 0, 0, ""});
    }
    static std::string hex(unsigned v) {
        const char* digits = "0123456789abcdef";
        return std::string{digits[(v >> 4) & 15], digits[v & 15]};
    }
    std::string take(std::size_t n) {
        if (n > bytes_.size() - pos_)
            fail(pos_, "truncated");
        std::string out = bytes_.substr(pos_, n);
        pos_ += n;
        return out;
    }
    std::uint64_t u(std::size_t n) {
        const std::string b = take(n);
        std::uint64_t v = 0;
        for (std::size_t i = n; i-- > 0;)
            v = (v << 8) | static_cast<unsigned char>(b[i]);
        return v;
    }
    std::string line() {
        const std::size_t end = bytes_.find('\n', pos_);
        if (end == std::string::npos || end - pos_ > 1024)
            fail(pos_, "GLOBAL without a name line");
        std::string out = bytes_.substr(pos_, end - pos_);
        pos_ = end + 1;
        return out;
    }
    ValuePtr text(Kind kind, std::uint64_t n) {
        if (n > bytes_.size() - pos_)
            fail(pos_, "truncated string");
        auto v = make(kind);
        v->text = take(static_cast<std::size_t>(n));
        return v;
    }
    ValuePtr boolean(bool b) {
        auto v = make(Kind::Bool);
        v->integer = b ? 1 : 0;
        return v;
    }
    ValuePtr integer(std::int64_t i) {
        auto v = make(Kind::Int);
        v->integer = i;
        return v;
    }
    ValuePtr long1(std::size_t at) {
        const std::size_t n = static_cast<std::size_t>(u(1));
        if (n > 8)
            fail(at, "integer wider than 64 bits");
        const std::string b = take(n);
        std::uint64_t v = 0;
        for (std::size_t i = n; i-- > 0;)
            v = (v << 8) | static_cast<unsigned char>(b[i]);
        if (n > 0 && n < 8 && (static_cast<unsigned char>(b[n - 1]) & 0x80))
            v |= ~std::uint64_t{0} << (8 * n);  // sign-extend
        return integer(static_cast<std::int64_t>(v));
    }
    void push(ValuePtr v) {
        if (stack_.size() > (1u << 20))
            fail(pos_, "too deeply nested");
        stack_.push_back(std::move(v));
    }
    ValuePtr top(std::size_t at) {
        if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back()))
            fail(at, "stack underflow");
        return stack_.back();
    }
    ValuePtr pop(std::size_t at) {
        auto v = top(at);
        stack_.pop_back();
        return v;
    }
    std::vector<ValuePtr> popn(std::size_t n, std::size_t at) {
        std::vector<ValuePtr> out(n);
        for (std::size_t i = n; i-- > 0;)
            out[i] = pop(at);
        return out;
    }
    std::vector<ValuePtr> popmark(std::size_t at) {
        if (marks_.empty())
            fail(at, "no MARK to pop to");
        const std::size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<ValuePtr> out(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
        stack_.resize(mark);
        return out;
    }
    ValuePtr sequence(Kind kind, std::vector<ValuePtr> items) {
        auto v = make(kind);
        v->items = std::move(items);
        return v;
    }
    ValuePtr list_top(std::size_t at) {
        auto v = top(at);
        if (v->kind != Kind::List)
            fail(at, "APPEND to something that is not a list");
        return v;
    }
    ValuePtr dict_top(std::size_t at) {
        auto v = top(at);
        if (v->kind != Kind::Dict)
            fail(at, "SETITEM on something that is not a dict");
        return v;
    }
    void memo(std::uint64_t index, std::size_t at) {
        if (index > memo_.size() + (1u << 20))
            fail(at, "memo index out of range");
        if (index >= memo_.size())
            memo_.resize(static_cast<std::size_t>(index) + 1);
        memo_[static_cast<std::size_t>(index)] = top(at);
    }
    ValuePtr recall(std::uint64_t index, std::size_t at) {
        if (index >= memo_.size() || !memo_[static_cast<std::size_t>(index)])
            fail(at, "memo index " + std::to_string(index) + " was never stored");
        return memo_[static_cast<std::size_t>(index)];
    }
    // ('storage', <dtype class>, key, location, numel): a tensor's data record.
    ValuePtr persistent(const ValuePtr& pid, std::size_t at) {
        auto v = make(Kind::Storage);
        if (pid->kind == Kind::Tuple && pid->items.size() >= 3 &&
            pid->items[0]->kind == Kind::String && pid->items[0]->text == "storage") {
            const auto& type = pid->items[1];
            const std::string full = type->kind == Kind::Global ? type->text : std::string();
            v->dtype = full.substr(full.rfind('.') + 1);
            v->text = pid->items[2]->kind == Kind::String ? pid->items[2]->text : std::string();
            return v;
        }
        fail(at, "a persistent id that is not a tensor storage");
    }
    ValuePtr reduce(const ValuePtr& callee, const ValuePtr& args, std::size_t at) {
        if (callee->kind != Kind::Global)
            fail(at, "REDUCE of something that is not a function name");
        const auto& a = args->items;
        if (callee->text == "torch._utils._rebuild_tensor_v2" && a.size() >= 3 &&
            a[0]->kind == Kind::Storage && a[2]->kind == Kind::Tuple) {
            auto t = make(Kind::Tensor);
            t->dtype = a[0]->dtype;
            t->storage_key = a[0]->text;
            for (const auto& d : a[2]->items) {
                if (d->kind != Kind::Int || d->integer < 0)
                    fail(at, "a tensor size that is not a non-negative integer");
                t->shape.push_back(d->integer);
                std::int64_t n = 0;
                if (__builtin_mul_overflow(t->numel_checked, d->integer, &n))
                    fail(at, "a tensor with more than 2^63 elements");
                t->numel_checked = n;
            }
            return t;
        }
        if (callee->text == "torch._utils._rebuild_parameter" && !a.empty() &&
            a[0]->kind == Kind::Tensor)
            return a[0];
        auto call = make(Kind::Call);
        call->text = callee->text;
        call->items = a;
        return call;
    }

    Tree tree_;  // first member: destroyed last, after the stack and memo let go
    const std::string& bytes_;
    std::string name_;
    std::size_t pos_ = 0;
    std::vector<ValuePtr> stack_;
    std::vector<std::size_t> marks_;
    std::vector<ValuePtr> memo_;
};

}  // namespace

std::int64_t Value::numel() const {
    return numel_checked;
}

ValuePtr Value::get(const std::string& key) const {
    if (kind != Kind::Dict)
        return nullptr;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2)
        if (items[i]->kind == Kind::String && items[i]->text == key)
            return items[i + 1];
    return nullptr;
}

Tree::~Tree() {
    for (auto& node : nodes) {
        node->items.clear();
        node->state.reset();
    }
}

Tree parse(const std::string& bytes, const std::string& name) {
    return Machine(bytes, name).parse();
}

}  // namespace tb::model::pickle
