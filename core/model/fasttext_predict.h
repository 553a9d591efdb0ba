// Label prediction with an imported fastText supervised model: mean of input rows, then the
// model's loss (softmax, one-vs-all, or hierarchical softmax over fastText's Huffman tree).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/fasttext_format.h"

namespace tb::model::fasttext {

struct Prediction {
    std::string label;       // e.g. "__label__en"
    int32_t index = 0;       // label index (0..nlabels-1)
    double probability = 0;  // as fastText reports it: exp(log(p + 1e-5)) for each factor
};

// Mean of the given input rows (fastText's hidden vector); all zeros for no rows.
std::vector<float> hidden_vector(const Model& model, const std::vector<int32_t>& rows);

class Predictor {
public:
    // Throws tb::Error for an unsupervised model or a loss it cannot predict with (ns).
    explicit Predictor(const Model& model);

    // Top-k labels, most probable first. Empty when the line has no known features.
    std::vector<Prediction> predict(const std::string& line, int k) const;
    // Same for an already computed hidden vector.
    std::vector<Prediction> predict_hidden(const std::vector<float>& hidden, int k) const;

private:
    struct Node {
        int32_t parent = -1, left = -1, right = -1;
        int64_t count = 0;
    };
    void build_tree();
    void dfs(int k, int32_t node, double score, const std::vector<float>& hidden,
             std::vector<std::pair<double, int32_t>>& heap) const;

    const Model& model_;
    std::vector<Node> tree_;
};

}  // namespace tb::model::fasttext
