#!/usr/bin/env python3
"""Reference values for tst_train_parts lossMatchesTorchReference (run with /usr/bin/python3)."""
import numpy as np
import torch
from sklearn.utils.class_weight import compute_class_weight

logits = torch.tensor([[1.0, -0.5, 0.25], [0.1, 0.2, 0.3], [-1.0, 2.0, 0.5], [0.0, 0.0, 1.5]])
labels = torch.tensor([0, 2, 1, 2])
weights = torch.tensor([1.0, 2.0, 0.5])
print(repr(torch.nn.functional.cross_entropy(
    logits, labels, weight=weights, label_smoothing=0.1, reduction="sum").item()))
print(repr(torch.nn.functional.cross_entropy(logits, labels, reduction="sum").item()))
print(compute_class_weight("balanced", classes=np.array([0, 1, 2]), y=np.array([0, 0, 0, 1, 2, 2])))
