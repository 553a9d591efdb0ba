#!/usr/bin/python3
"""Independent RoBERTa / DistilBERT / ELECTRA references for tunebench's parity tests.

Functional float64 PyTorch re-implementations of Hugging Face's modeling_roberta,
modeling_distilbert and modeling_electra forward passes (written from the published model
definitions, sharing no code with the C++ side; the BERT math and the json+numpy safetensors
reader/writer come from bert_reference.py next to this file):

  RoBERTa / XLM-R: BERT layout; position ids = pad_token_id + cumulative count of non-padding
      tokens (padding tokens get pad_token_id), as create_position_ids_from_input_ids does.
  DistilBERT: word + position embeddings -> LayerNorm; per block
      sa_layer_norm(out_lin(attention) + x), output_layer_norm(lin2(act(lin1(.))) + .);
      no token types, no pooler.
  ELECTRA: BERT layout with embedding_size-wide embeddings and an embeddings_project linear.

Run with Debian's interpreter (python3-torch 1.13 CPU, python3-numpy):

  /usr/bin/python3 encoder_reference.py make-fixtures FIXTURES_MODEL_DIR [--seed N]
      Writes tiny_roberta/, tiny_distilbert/, tiny_electra/ under FIXTURES_MODEL_DIR:
      config.json, model.safetensors (HF *Model names), task.safetensors (prefixed names as in
      a *ForSequenceClassification checkpoint, no pooler, plus head tensors), tokenizer files,
      and expected.json (inputs with padding, last_hidden_state, every hidden state, pooled).

  /usr/bin/python3 encoder_reference.py run --config C --weights W --inputs I --out O
      [--prefix P]
      Runs the reference for the config's model_type on any weights file.
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bert_reference import (activation, bert_forward, read_safetensors,  # noqa: E402
                            write_safetensors)

ROBERTA_TYPES = ("roberta", "xlm-roberta", "camembert")


def roberta_position_ids(input_ids, pad):
    real = (input_ids != pad).long()
    return torch.cumsum(real, dim=1) * real + pad


def distilbert_forward(w, config, input_ids, attention_mask, prefix="", all_hidden=None):
    def p(name):
        return w[prefix + name]

    def linear(x, name):
        return x @ p(name + ".weight").T + p(name + ".bias")

    def layer_norm(x, name):
        return F.layer_norm(x, (x.shape[-1],), p(name + ".weight"), p(name + ".bias"), 1e-12)

    batch, seq = input_ids.shape
    heads = config["n_heads"]
    head_size = config["dim"] // heads
    positions = torch.arange(seq).unsqueeze(0).expand(batch, seq)
    x = layer_norm(p("embeddings.word_embeddings.weight")[input_ids]
                   + p("embeddings.position_embeddings.weight")[positions],
                   "embeddings.LayerNorm")
    if all_hidden is not None:
        all_hidden.append(x)
    masked = (attention_mask == 0)[:, None, None, :]

    def split(t):
        return t.view(batch, seq, heads, head_size).transpose(1, 2)

    for i in range(config["n_layers"]):
        layer = "transformer.layer.%d." % i
        q = split(linear(x, layer + "attention.q_lin")) / math.sqrt(head_size)
        k = split(linear(x, layer + "attention.k_lin"))
        v = split(linear(x, layer + "attention.v_lin"))
        scores = (q @ k.transpose(2, 3)).masked_fill(masked, torch.finfo(torch.float64).min)
        context = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(batch, seq, -1)
        sa = layer_norm(linear(context, layer + "attention.out_lin") + x, layer + "sa_layer_norm")
        ffn = linear(activation(config["activation"], linear(sa, layer + "ffn.lin1")),
                     layer + "ffn.lin2")
        x = layer_norm(ffn + sa, layer + "output_layer_norm")
        if all_hidden is not None:
            all_hidden.append(x)
    return x


def sinusoidal_table(positions, dim):
    """HF create_sinusoidal_embeddings, in float64."""
    table = torch.zeros(positions, dim, dtype=torch.float64)
    for pos in range(positions):
        for j in range(dim):
            angle = pos / math.pow(10000, 2 * (j // 2) / dim)
            table[pos, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return table


def run_reference(config, weights, inputs, prefix=""):
    ids = torch.tensor(inputs["input_ids"], dtype=torch.long)
    mask = torch.tensor(inputs["attention_mask"], dtype=torch.long)
    hidden_states = []
    with torch.no_grad():
        model_type = config.get("model_type", "bert")
        if model_type == "distilbert":
            last = distilbert_forward(weights, config, ids, mask, prefix, hidden_states)
            pooled = None
        else:
            types = torch.tensor(inputs.get("token_type_ids") or torch.zeros_like(ids).tolist(),
                                 dtype=torch.long)
            positions = (roberta_position_ids(ids, config["pad_token_id"])
                         if model_type in ROBERTA_TYPES else None)
            last, pooled = bert_forward(weights, config, ids, mask, types, prefix, positions,
                                        hidden_states)
    out = {"last_hidden_state": last.tolist(),
           "hidden_states": [h.tolist() for h in hidden_states]}
    if pooled is not None:
        out["pooled"] = pooled.tolist()
    return out


def normal(gen, shape, std, mean=0.0):
    return (torch.randn(shape, generator=gen, dtype=torch.float64) * std + mean).float().numpy()


def bert_layout_weights(config, gen, width, project):
    """RoBERTa / ELECTRA tensors under HF *Model names (larger-than-default random values)."""
    h, inter = config["hidden_size"], config["intermediate_size"]
    w = {
        "embeddings.word_embeddings.weight": normal(gen, (config["vocab_size"], width), 0.5),
        "embeddings.position_embeddings.weight":
            normal(gen, (config["max_position_embeddings"], width), 0.5),
        "embeddings.token_type_embeddings.weight":
            normal(gen, (config["type_vocab_size"], width), 0.5),
    }

    def add_linear(name, n_in, n_out):
        w[name + ".weight"] = normal(gen, (n_out, n_in), 0.2)
        w[name + ".bias"] = normal(gen, (n_out,), 0.1)

    def add_norm(name, n):
        w[name + ".weight"] = normal(gen, (n,), 0.2, mean=1.0)
        w[name + ".bias"] = normal(gen, (n,), 0.1)

    add_norm("embeddings.LayerNorm", width)
    if project:
        add_linear("embeddings_project", width, h)
    for i in range(config["num_hidden_layers"]):
        layer = "encoder.layer.%d." % i
        for part in ("query", "key", "value"):
            add_linear(layer + "attention.self." + part, h, h)
        add_linear(layer + "attention.output.dense", h, h)
        add_norm(layer + "attention.output.LayerNorm", h)
        add_linear(layer + "intermediate.dense", h, inter)
        add_linear(layer + "output.dense", inter, h)
        add_norm(layer + "output.LayerNorm", h)
    return w


def distilbert_weights(config, gen):
    h, inter = config["dim"], config["hidden_dim"]
    w = {
        "embeddings.word_embeddings.weight": normal(gen, (config["vocab_size"], h), 0.5),
        "embeddings.position_embeddings.weight":
            normal(gen, (config["max_position_embeddings"], h), 0.5),
    }

    def add_linear(name, n_in, n_out):
        w[name + ".weight"] = normal(gen, (n_out, n_in), 0.2)
        w[name + ".bias"] = normal(gen, (n_out,), 0.1)

    def add_norm(name):
        w[name + ".weight"] = normal(gen, (h,), 0.2, mean=1.0)
        w[name + ".bias"] = normal(gen, (h,), 0.1)

    add_norm("embeddings.LayerNorm")
    for i in range(config["n_layers"]):
        layer = "transformer.layer.%d." % i
        for part in ("q_lin", "k_lin", "v_lin", "out_lin"):
            add_linear(layer + "attention." + part, h, h)
        add_norm(layer + "sa_layer_norm")
        add_linear(layer + "ffn.lin1", h, inter)
        add_linear(layer + "ffn.lin2", inter, h)
        add_norm(layer + "output_layer_norm")
    return w


def tiny_configs():
    common = {"vocab_size": 100, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
              "attention_probs_dropout_prob": 0.1, "layer_norm_eps": 1e-5,
              "initializer_range": 0.02, "position_embedding_type": "absolute",
              "num_attention_heads": 4, "num_hidden_layers": 2, "intermediate_size": 64}
    roberta = dict(common, architectures=["RobertaModel"], model_type="roberta",
                   hidden_size=32, max_position_embeddings=40, type_vocab_size=1,
                   pad_token_id=1, bos_token_id=0, eos_token_id=2)
    electra = dict(common, architectures=["ElectraModel"], model_type="electra",
                   hidden_size=32, embedding_size=16, max_position_embeddings=64,
                   type_vocab_size=2, pad_token_id=0, layer_norm_eps=1e-12,
                   hidden_act="gelu_new")
    distil = {"architectures": ["DistilBertModel"], "model_type": "distilbert",
              "vocab_size": 100, "dim": 32, "n_layers": 3, "n_heads": 4, "hidden_dim": 64,
              "activation": "gelu", "dropout": 0.1, "attention_dropout": 0.1,
              "max_position_embeddings": 64, "sinusoidal_pos_embds": False,
              "pad_token_id": 0, "initializer_range": 0.02, "seq_classif_dropout": 0.2,
              "qa_dropout": 0.1}
    return {"tiny_roberta": roberta, "tiny_distilbert": distil, "tiny_electra": electra}


def inputs_for(pad, cls, sep, with_types):
    """Three rows of lengths 12, 7 and 9, right-padded with `pad` to 12."""
    body = [[17, 45, 99, 8, 23, 64, 31, 77, 12, 50], [40, 41, 42, 43, 88], [5, 66, 71, 19, 28, 93,
                                                                                9]]
    ids, mask, types = [], [], []
    for row in body:
        tokens = [cls] + row + [sep]
        n = len(tokens)
        ids.append(tokens + [pad] * (12 - n))
        mask.append([1] * n + [0] * (12 - n))
        types.append([0] * 5 + [1] * (n - 5) + [0] * (12 - n) if with_types and n == 9
                     else [0] * 12)
    out = {"input_ids": ids, "attention_mask": mask}
    if with_types:
        out["token_type_ids"] = types
    return out


def write_tokenizer_files(out_dir, name):
    if name == "tiny_roberta":
        vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4}
        for i in range(5, 100):
            vocab["t%d" % i] = i
        with open(os.path.join(out_dir, "vocab.json"), "w") as f:
            json.dump(vocab, f)
        with open(os.path.join(out_dir, "merges.txt"), "w") as f:
            f.write("#version: 0.2\nt 5\n")
        return
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + ["tok%d" % i for i in range(95)]
    with open(os.path.join(out_dir, "vocab.txt"), "w") as f:
        f.write("\n".join(tokens) + "\n")


def make_fixtures(root, seed):
    gen = torch.Generator().manual_seed(seed)
    for name, config in tiny_configs().items():
        out_dir = os.path.join(root, name)
        os.makedirs(out_dir, exist_ok=True)
        model_type = config["model_type"]
        if model_type == "distilbert":
            base = distilbert_weights(config, gen)
            prefix = "distilbert."
            head = {"pre_classifier.weight": normal(gen, (32, 32), 0.2),
                    "pre_classifier.bias": normal(gen, (32,), 0.1),
                    "classifier.weight": normal(gen, (3, 32), 0.2),
                    "classifier.bias": normal(gen, (3,), 0.1)}
            inputs = inputs_for(0, 2, 3, with_types=False)
        elif model_type == "roberta":
            base = bert_layout_weights(config, gen, config["hidden_size"], project=False)
            base["pooler.dense.weight"] = normal(gen, (32, 32), 0.2)
            base["pooler.dense.bias"] = normal(gen, (32,), 0.1)
            prefix = "roberta."
            head = {"classifier.dense.weight": normal(gen, (32, 32), 0.2),
                    "classifier.dense.bias": normal(gen, (32,), 0.1),
                    "classifier.out_proj.weight": normal(gen, (3, 32), 0.2),
                    "classifier.out_proj.bias": normal(gen, (3,), 0.1)}
            inputs = inputs_for(1, 0, 2, with_types=False)
        else:
            base = bert_layout_weights(config, gen, config["embedding_size"], project=True)
            prefix = "electra."
            head = {"classifier.dense.weight": normal(gen, (32, 32), 0.2),
                    "classifier.dense.bias": normal(gen, (32,), 0.1),
                    "classifier.out_proj.weight": normal(gen, (3, 32), 0.2),
                    "classifier.out_proj.bias": normal(gen, (3,), 0.1)}
            inputs = inputs_for(0, 2, 3, with_types=True)
        write_safetensors(os.path.join(out_dir, "model.safetensors"), base, {"format": "pt"})
        task = {prefix + k: v for k, v in base.items() if not k.startswith("pooler.")}
        task.update(head)
        write_safetensors(os.path.join(out_dir, "task.safetensors"), task, {"format": "pt"})
        with open(os.path.join(out_dir, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
            f.write("\n")
        write_tokenizer_files(out_dir, name)
        expected = {
            "generated_by": "tests/reference/model/encoder_reference.py make-fixtures --seed %d"
                            % seed,
            "torch_version": torch.__version__,
            "precision": "float64 reference from float32 weights",
            "inputs": inputs,
        }
        expected.update(run_reference(config, read_safetensors(
            os.path.join(out_dir, "model.safetensors")), inputs))
        with open(os.path.join(out_dir, "expected.json"), "w") as f:
            json.dump(expected, f)
            f.write("\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make-fixtures")
    make.add_argument("root")
    make.add_argument("--seed", type=int, default=20240607)
    run = sub.add_parser("run")
    run.add_argument("--config", required=True)
    run.add_argument("--weights", required=True)
    run.add_argument("--inputs", required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--prefix", default="")
    sin = sub.add_parser("sinusoid")
    sin.add_argument("positions", type=int)
    sin.add_argument("dim", type=int)
    sin.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    if args.command == "make-fixtures":
        make_fixtures(args.root, args.seed)
        return 0
    if args.command == "sinusoid":
        with open(args.out, "w") as f:
            json.dump(sinusoidal_table(args.positions, args.dim).tolist(), f)
        return 0
    with open(args.config) as f:
        config = json.load(f)
    with open(args.inputs) as f:
        inputs = json.load(f)
    out = run_reference(config, read_safetensors(args.weights), inputs, args.prefix)
    with open(args.out, "w") as f:
        json.dump(out, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
