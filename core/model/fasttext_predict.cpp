// fastText prediction; follows fastText 0.9's Model::predict and its loss classes.
#include "model/fasttext_predict.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "model/fasttext_features.h"

namespace tb::model::fasttext {

namespace {

// fastText's std_log: log with a 1e-5 floor, used for every reported score.
double ft_log(double x) {
    return std::log(x + 1e-5);
}

bool heap_greater(const std::pair<double, int32_t>& a, const std::pair<double, int32_t>& b) {
    return a.first > b.first;
}

// Keeps the k best (score, label) pairs in a min-heap, as fastText's findKBest does.
void push_k(std::vector<std::pair<double, int32_t>>& heap, int k, double score, int32_t label) {
    if (static_cast<int>(heap.size()) == k && score < heap.front().first)
        return;
    heap.emplace_back(score, label);
    std::push_heap(heap.begin(), heap.end(), heap_greater);
    if (static_cast<int>(heap.size()) > k) {
        std::pop_heap(heap.begin(), heap.end(), heap_greater);
        heap.pop_back();
    }
}

}  // namespace

std::vector<float> hidden_vector(const Model& model, const std::vector<int32_t>& rows) {
    std::vector<float> h(static_cast<size_t>(model.args.dim), 0.0f);
    if (rows.empty())
        return h;
    for (int32_t r : rows)
        model.input.add_row_to(r, h.data());
    const float scale = 1.0f / static_cast<float>(rows.size());
    for (float& v : h)
        v *= scale;
    return h;
}

Predictor::Predictor(const Model& model) : model_(model) {
    if (model.args.model != ModelKind::supervised)
        throw Error(
            "this fastText model is an unsupervised word-vector model; it has no labels to predict",
            SourceLocation{model.path, 0, 0, "args.model"});
    if (model.args.loss == Loss::ns)
        throw Error("prediction with a negative-sampling fastText classifier is not supported",
                    SourceLocation{model.path, 0, 0, "args.loss"});
    if (model.dict.nlabels <= 0)
        throw Error("the fastText model has no labels",
                    SourceLocation{model.path, 0, 0, "dictionary.nlabels"});
    if (model.args.loss == Loss::hs)
        build_tree();
}

// Huffman tree over the label counts (labels are stored sorted by decreasing count), built
// exactly as fastText's HierarchicalSoftmaxLoss::buildTree: leaves 0..n-1, inner nodes n..2n-2.
void Predictor::build_tree() {
    const int32_t n = model_.dict.nlabels;
    tree_.assign(static_cast<size_t>(2 * n - 1), Node{});
    for (auto& node : tree_)
        node.count = static_cast<int64_t>(1e15);
    for (int32_t i = 0; i < n; ++i)
        tree_[i].count = model_.dict.entries[model_.dict.nwords + i].count;
    int32_t leaf = n - 1;
    int32_t node = n;
    for (int32_t i = n; i < 2 * n - 1; ++i) {
        int32_t mini[2];
        for (int32_t& m : mini) {
            if (leaf >= 0 && tree_[leaf].count < tree_[node].count)
                m = leaf--;
            else
                m = node++;
        }
        tree_[i].left = mini[0];
        tree_[i].right = mini[1];
        tree_[i].count = tree_[mini[0]].count + tree_[mini[1]].count;
        tree_[mini[0]].parent = i;
        tree_[mini[1]].parent = i;
    }
}

void Predictor::dfs(int k, int32_t node, double score, const std::vector<float>& hidden,
                    std::vector<std::pair<double, int32_t>>& heap) const {
    if (static_cast<int>(heap.size()) == k && score < heap.front().first)
        return;
    const Node& nd = tree_[node];
    if (nd.left == -1 && nd.right == -1) {
        push_k(heap, k, score, node);
        return;
    }
    const int32_t n = model_.dict.nlabels;
    const float f = 1.0f / (1.0f + std::exp(-model_.output.dot_row(hidden.data(), node - n)));
    dfs(k, nd.left, score + ft_log(1.0 - f), hidden, heap);
    dfs(k, nd.right, score + ft_log(f), hidden, heap);
}

std::vector<Prediction> Predictor::predict_hidden(const std::vector<float>& hidden, int k) const {
    const int32_t n = model_.dict.nlabels;
    k = std::max(1, std::min(k, static_cast<int>(n)));
    std::vector<std::pair<double, int32_t>> heap;
    if (model_.args.loss == Loss::hs) {
        dfs(k, 2 * n - 2, 0.0, hidden, heap);
    } else {
        std::vector<float> out(static_cast<size_t>(n));
        for (int32_t i = 0; i < n; ++i)
            out[i] = model_.output.dot_row(hidden.data(), i);
        if (model_.args.loss == Loss::softmax) {
            const float mx = *std::max_element(out.begin(), out.end());
            float z = 0;
            for (float& v : out)
                z += (v = std::exp(v - mx));
            for (float& v : out)
                v /= z;
        } else {  // one-vs-all: an independent sigmoid per label
            for (float& v : out)
                v = 1.0f / (1.0f + std::exp(-v));
        }
        for (int32_t i = 0; i < n; ++i)
            push_k(heap, k, ft_log(out[i]), i);
    }
    std::sort_heap(heap.begin(), heap.end(), heap_greater);
    std::vector<Prediction> result;
    for (const auto& [score, index] : heap)
        result.push_back({model_.label(index), index, std::exp(score)});
    return result;
}

std::vector<Prediction> Predictor::predict(const std::string& line, int k) const {
    const std::vector<int32_t> rows = line_features(model_, line);
    if (rows.empty())
        return {};
    return predict_hidden(hidden_vector(model_, rows), k);
}

}  // namespace tb::model::fasttext
