// FGM adversarial training: perturb the word-embedding matrix along its gradient, then restore.
#pragma once

#include <string>

#include <torch/torch.h>

namespace tb::model {

// Fast Gradient Method (Miyato et al., 2017) on embeddings, as commonly used for BERT
// fine-tuning. One training step with FGM:
//   loss = compute_loss(); loss.backward();
//   if (fgm.attack()) { compute_loss().backward(); fgm.restore(); }  // gradients add up
//   clip; optimizer.step(); optimizer.zero_grad();
// attack() must come after a backward (it reads the gradient) and restore() before the
// optimizer step, or the step would update the perturbed weights.
class Fgm {
public:
    // `embedding_weight`: the word-embedding matrix [vocab, hidden] (a parameter of the model,
    // e.g. find_word_embeddings(model)); epsilon > 0 is the L2 norm of the perturbation.
    Fgm(torch::Tensor embedding_weight, double epsilon = 1.0);

    // Saves the matrix and adds epsilon * g / ||g||_2 (g = its gradient, the norm over the whole
    // matrix). Returns false and changes nothing when the gradient is undefined, zero or not
    // finite. Calling attack() twice without restore() throws tb::Error.
    bool attack();
    // Copies the saved matrix back (bit-identical); does nothing if attack() did not perturb.
    void restore();

    bool attacked() const { return backup_.defined(); }
    double epsilon() const { return epsilon_; }

private:
    torch::Tensor weight_;
    torch::Tensor backup_;
    double epsilon_;
};

// The word-embedding matrix of a Hugging Face style encoder: the parameter whose name ends
// with "word_embeddings.weight". Throws tb::Error (listing nothing found) if there is none.
torch::Tensor find_word_embeddings(const torch::nn::Module& model);

}  // namespace tb::model
