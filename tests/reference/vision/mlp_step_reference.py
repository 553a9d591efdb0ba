#!/usr/bin/env python3
"""One training step of the tunebench MLP in PyTorch, the reference for tst_trainer_images.

Usage: mlp_step_reference.py OUT_DIR

An MLP with tunebench's names (hidden.0 / hidden.3 dense layers with ReLU and dropout, fc head):
64 -> 32 -> 32 -> 3, PyTorch's default initialisation with seed 0. A batch of six 8x8 grey
images (uint8 pixels) is normalised as (pixel / 255 - 0.5) / 0.5, the model runs in eval mode
(no dropout), the loss is the mean cross entropy, then one RMSprop step (lr 0.01, alpha 0.9,
eps 1e-7, no momentum or weight decay). Writes OUT_DIR/weights.safetensors (the initial
state_dict), OUT_DIR/batch.safetensors ("pixels" float32 [6, 8, 8] holding the 0..255 values,
"labels" int64 [6]) and OUT_DIR/expected.safetensors ("loss" [1], "grad.<name>" and
"after.<name>" per parameter). The writer is torchvision_reference.py's.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torchvision_reference import write_safetensors  # noqa: E402


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Sequential(
            torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Dropout(0.2),
            torch.nn.Linear(32, 32), torch.nn.ReLU(), torch.nn.Dropout(0.2))
        self.fc = torch.nn.Linear(32, 3)

    def forward(self, x):
        return self.fc(self.hidden(x.flatten(1)))


def main():
    out = sys.argv[1]
    torch.manual_seed(0)
    model = Mlp()
    write_safetensors(os.path.join(out, "weights.safetensors"), model.state_dict())
    g = torch.Generator().manual_seed(1)
    pixels = torch.randint(0, 256, (6, 8, 8), generator=g).to(torch.float32)
    labels = torch.tensor([0, 1, 2, 2, 1, 0], dtype=torch.int64)
    write_safetensors(os.path.join(out, "batch.safetensors"), {"pixels": pixels, "labels": labels})

    x = ((pixels / 255.0 - 0.5) / 0.5).unsqueeze(1)  # [6, 1, 8, 8]
    model.eval()
    loss = torch.nn.functional.cross_entropy(model(x), labels)
    loss.backward()
    expected = {"loss": loss.detach().reshape(1)}
    for name, p in model.named_parameters():
        expected["grad." + name] = p.grad.clone()
    opt = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, eps=1e-7)
    opt.step()
    for name, p in model.named_parameters():
        expected["after." + name] = p.detach().clone()
    write_safetensors(os.path.join(out, "expected.safetensors"), expected)


if __name__ == "__main__":
    main()
