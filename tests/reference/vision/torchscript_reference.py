#!/usr/bin/env python3
"""Independent reference for TorchScript backbones: a small convolutional feature extractor
scripted and saved with torch.jit.save, a fixed input, and its pooled features as PyTorch
computes them.

Usage: torchscript_reference.py OUT_DIR
Writes OUT_DIR/model.pt, OUT_DIR/config.json ({"architecture": "torchscript", ...}) and
OUT_DIR/reference.json ({"input": [...], "input_shape": [...], "features": [...]}).
"""
import json
import os
import sys

import torch


class Extractor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(8)
        self.conv2 = torch.nn.Conv2d(8, 12, 3, stride=2)

    def forward(self, x):
        return torch.relu(self.conv2(torch.relu(self.bn(self.conv1(x)))))  # [N, 12, H', W']


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(7)
    model = Extractor()
    with torch.no_grad():
        model.bn.running_mean.uniform_(-0.2, 0.2)
        model.bn.running_var.uniform_(0.5, 1.5)
    model.eval()
    torch.jit.script(model).save(os.path.join(out, "model.pt"))
    x = torch.randn(2, 3, 20, 20)
    with torch.no_grad():
        features = torch.flatten(torch.nn.functional.adaptive_avg_pool2d(model(x), 1), 1)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"architecture": "torchscript", "input_shape": [3, 20, 20]}, f)
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump({"input": x.flatten().tolist(), "input_shape": list(x.shape),
                   "features": features.flatten().tolist(),
                   "features_shape": list(features.shape)}, f)


if __name__ == "__main__":
    main()
