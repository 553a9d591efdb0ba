#!/usr/bin/python3
"""Generates tests/fixtures/model/head_cases.json: task-head outputs and losses computed with
python3-torch (torch.nn / torch.nn.functional), for tst_task_heads to compare tb::model against.

The heads are rebuilt here from torch.nn modules with Hugging Face's layouts and parameter names:
  bert       (BertForSequenceClassification):       classifier(dropout(pooled))
  distilbert (DistilBertForSequenceClassification): classifier(dropout(relu(pre_classifier(h[:, 0]))))
  roberta    (RobertaClassificationHead):           out_proj(dropout(tanh(dense(dropout(h[:, 0])))))
  token      (*ForTokenClassification):             classifier(dropout(h))
Losses: F.cross_entropy(ignore_index=-100) (token logits flattened as HF does),
nn.BCEWithLogitsLoss(pos_weight=...), F.mse_loss; masked mean pooling as sentence-transformers.
Run with the system interpreter:  /usr/bin/python3 tests/reference/model/make_head_fixtures.py
The inputs come from a seeded generator, so rerunning gives the same file.
"""
import json
import os

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "fixtures", "model", "head_cases.json"))

H, B, T = 8, 3, 5


def lst(t):
    return t.detach().double().tolist()


def state(module):
    return {k: lst(v) for k, v in module.state_dict().items()}


class Roberta(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.classifier = nn.Module()
        self.classifier.dense = nn.Linear(H, H)
        self.classifier.out_proj = nn.Linear(H, c)

    def forward(self, x):
        return self.classifier.out_proj(torch.tanh(self.classifier.dense(x)))


class Distil(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.pre_classifier = nn.Linear(H, H)
        self.classifier = nn.Linear(H, c)

    def forward(self, x):
        return self.classifier(F.relu(self.pre_classifier(x)))


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.classifier = nn.Linear(H, c)

    def forward(self, x):
        return self.classifier(x)


def masked_mean(hidden, mask):
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)


def main():
    torch.manual_seed(1234)
    hidden = torch.randn(B, T, H)
    pooled = torch.tanh(torch.randn(B, H))
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]])
    zero_mask = torch.tensor([[1, 1, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 0]])
    out = {"hidden": lst(hidden), "pooled": lst(pooled), "mask": mask.tolist(),
           "zero_mask": zero_mask.tolist(),
           "masked_mean": lst(masked_mean(hidden, mask)),
           "masked_mean_zero_row": lst(masked_mean(hidden, zero_mask)), "heads": []}

    def pooled_input(pooling):
        return {"pooler": pooled, "cls": hidden[:, 0], "mean": masked_mean(hidden, mask)}[pooling]

    cases = [("bert", "pooler", "sequence_classification", 3), ("bert", "mean", "sequence_classification", 3),
             ("distilbert", "cls", "sequence_classification", 2), ("roberta", "cls", "sequence_classification", 4),
             ("roberta", "mean", "multi_label", 3), ("bert", "pooler", "multi_label", 3),
             ("bert", "cls", "regression", 1), ("distilbert", "mean", "regression", 1)]
    for style, pooling, kind, c in cases:
        module = {"bert": Bert, "distilbert": Distil, "roberta": Roberta}[style](c)
        logits = module(pooled_input(pooling))
        case = {"style": style, "pooling": pooling, "kind": kind, "num_outputs": c,
                "weights": state(module)}
        if kind == "sequence_classification":
            labels = torch.tensor([c - 1, -100, 0])
            case["labels"] = labels.tolist()
            case["loss"] = F.cross_entropy(logits, labels, ignore_index=-100).item()
            case["predictions"] = logits.argmax(-1).tolist()
        elif kind == "multi_label":
            labels = torch.tensor([[1, 0, 1], [0, 0, 0], [1, 1, 0]], dtype=torch.float32)
            pos_weight = torch.tensor([2.0, 0.5, 3.0])
            thresholds = [0.5, 0.3, 0.7]
            case.update({"labels": lst(labels), "pos_weight": pos_weight.tolist(), "thresholds": thresholds})
            case["loss"] = nn.BCEWithLogitsLoss(pos_weight=pos_weight)(logits, labels).item()
            case["predictions"] = (torch.sigmoid(logits) >= torch.tensor(thresholds)).long().tolist()
        else:
            logits = logits.squeeze(-1)
            labels = torch.tensor([3.5, -1.0, 10.25])
            mean, std = 4.0, 2.5
            case.update({"labels": labels.tolist(), "target_mean": mean, "target_std": std})
            case["loss"] = F.mse_loss(logits, (labels - mean) / std).item()
            case["predictions"] = lst(logits * std + mean)
        case["logits"] = lst(logits)
        out["heads"].append(case)

    # Token classification: per-token classifier, labels on first sub-tokens, -100 elsewhere.
    token = Bert(4)
    token_logits = token(hidden)
    token_labels = torch.tensor([[-100, 2, -100, 1, -100], [-100, 0, 3, 3, -100], [-100, -100, -100, -100, -100]])
    out["token"] = {"weights": state(token), "num_outputs": 4, "labels": token_labels.tolist(),
                    "logits": lst(token_logits),
                    "loss": F.cross_entropy(token_logits.view(-1, 4), token_labels.view(-1),
                                            ignore_index=-100).item(),
                    "predictions": token_logits.argmax(-1).tolist()}

    # Plain losses on separate inputs.
    logits = torch.randn(6, 4)
    labels = torch.tensor([0, 3, -100, 2, -100, 1])
    out["cross_entropy"] = {"logits": lst(logits), "labels": labels.tolist(),
                            "loss": F.cross_entropy(logits, labels, ignore_index=-100).item()}
    logits = torch.randn(5, 3)
    targets = (torch.rand(5, 3) > 0.5).float()
    pos_weight = torch.tensor([1.5, 4.0, 0.25])
    out["bce"] = {"logits": lst(logits), "targets": lst(targets), "pos_weight": pos_weight.tolist(),
                  "loss": nn.BCEWithLogitsLoss(pos_weight=pos_weight)(logits, targets).item(),
                  "loss_no_weight": F.binary_cross_entropy_with_logits(logits, targets).item()}
    preds, targets = torch.randn(7), torch.randn(7) * 3
    out["mse"] = {"predictions": lst(preds), "targets": lst(targets), "loss": F.mse_loss(preds, targets).item()}
    out["generator"] = "tests/reference/model/make_head_fixtures.py"
    out["torch_version"] = torch.__version__
    with open(OUT, "w") as f:
        json.dump(out, f, indent=None)
        f.write("\n")


if __name__ == "__main__":
    main()
