#!/usr/bin/env python3
"""Writes the tiny task fixtures of TaskFamiliesTest with numpy (an independent writer of npy/npz):
multilabel.npz  DeepSEA layout (x_* [n, 1, 24] float32, y_* [n, 3] float32 0/1; x_val/y_val join the training rows)
cosmic_{x,y,ignore}.npy  COSMIC-like masked segmentation: x [n, 1, 12, 12], y 0/1 mask, ignore 0/1 mask."""
import numpy as np

rng = np.random.default_rng(0)

def multilabel(n):
    t = np.arange(24) / 3.0
    y = (rng.random((n, 3)) < 0.5).astype(np.float32)
    y[:2] = [[0, 1, 0], [1, 0, 1]]  # every label has both values in every split
    x = 0.5 * rng.standard_normal((n, 1, 24)) + (y[:, 0:1, None] * np.sin(t) + y[:, 1:2, None] * np.cos(t) + y[:, 2:3, None])
    return x.astype(np.float32), y

xs, ys = zip(*(multilabel(n) for n in (40, 8, 16)))
np.savez("multilabel.npz", x_train=xs[0], y_train=ys[0], x_val=xs[1], y_val=ys[1], x_test=xs[2], y_test=ys[2])

n = 30
x = rng.standard_normal((n, 1, 12, 12)).astype(np.float32)
y = (x > 0.8).astype(np.float32)  # the "cosmic ray" pixels are the bright ones
ignore = (rng.random((n, 1, 12, 12)) < 0.1).astype(np.float32)
np.save("cosmic_x.npy", x)
np.save("cosmic_y.npy", y)
np.save("cosmic_ignore.npy", ignore)
