#!/usr/bin/python3
"""Independent masked-LM loss reference for tst_pretrain.

Hugging Face's BertForMaskedLM loss in float64 with PyTorch: the BertModel forward of
tests/reference/model/bert_reference.py (its own functional implementation of modeling_bert),
then BertLMPredictionHead (transform.dense -> activation -> transform.LayerNorm -> decoder tied
to bert.embeddings.word_embeddings.weight, plus cls.predictions.bias) and cross-entropy over the
positions whose label is not -100. Shares no code with the C++ side.

  /usr/bin/python3 mlm_loss_reference.py --config config.json --weights model.safetensors \
      --inputs inputs.json --out out.json
inputs.json holds input_ids, attention_mask and labels (lists of lists); out.json receives
{"loss": float}.
"""
import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model"))
import bert_reference  # noqa: E402


def mlm_loss(weights, config, inputs):
    w = {k: v.to(torch.float64) if v.is_floating_point() else v for k, v in weights.items()}
    ids = torch.tensor(inputs["input_ids"], dtype=torch.long)
    mask = torch.tensor(inputs["attention_mask"], dtype=torch.long)
    labels = torch.tensor(inputs["labels"], dtype=torch.long)
    types = torch.zeros_like(ids)
    hidden, _ = bert_reference.bert_forward(w, config, ids, mask, types, prefix="bert.")
    x = hidden @ w["cls.predictions.transform.dense.weight"].T + \
        w["cls.predictions.transform.dense.bias"]
    x = bert_reference.activation(config["hidden_act"], x)
    x = F.layer_norm(x, (x.shape[-1],), w["cls.predictions.transform.LayerNorm.weight"],
                     w["cls.predictions.transform.LayerNorm.bias"], config["layer_norm_eps"])
    logits = x @ w["bert.embeddings.word_embeddings.weight"].T + w["cls.predictions.bias"]
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1),
                           ignore_index=-100).item()


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--weights", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    with open(args.config) as f:
        config = json.load(f)
    config.setdefault("hidden_act", "gelu")
    config.setdefault("layer_norm_eps", 1e-12)
    with open(args.inputs) as f:
        inputs = json.load(f)
    weights = bert_reference.read_safetensors(args.weights)
    with open(args.out, "w") as f:
        json.dump({"loss": mlm_loss(weights, config, inputs)}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
