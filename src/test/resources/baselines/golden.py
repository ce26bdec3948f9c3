#!/usr/bin/env python3
"""Golden numbers for dev.orcaj.orca.baselines (ReferenceBaselinesTest), computed independently with numpy.

The data are closed-form (the Java test builds the same float32 arrays). Ridge: the primal normal equations solved
directly (also for d > n, where the Java code solves the dual n x n system). Logistic: Newton's method on
mean BCE + lambda/2 ||w||^2 (intercept unpenalized) to machine precision. Run: python3 golden.py > golden.json
"""
import json
import numpy as np


def features(n, d, phase):
    i = np.arange(n)[:, None] + phase
    j = np.arange(d)[None, :]
    return np.float32(np.sin(0.37 * (i + 1) * (j + 1)) + 0.1 * j + 0.05 * np.cos(1.3 * i * j)).astype(np.float64)


def targets(x, m):
    n = x.shape[0]
    k = np.arange(m)[None, :]
    i = np.arange(n)[:, None]
    y = x[:, :1] * (k + 1) - 0.5 * x[:, -1:] + 0.3 * np.cos(0.11 * i * (k + 1)) + 0.2 * np.sin(x[:, :1] * x[:, 1:2])
    return np.float32(y).astype(np.float64)


def standardize(train, other):
    mean = train.mean(axis=0)
    sd = train.std(axis=0)
    sd[sd <= 1e-12] = 1.0
    return (train - mean) / sd, (other - mean) / sd


def ridge(n, d, m, lam):
    x, xt = features(n, d, 0), features(7, d, 100)
    y = targets(x, m)
    xs, xts = standardize(x, xt)
    ybar = y.mean(axis=0)
    w = np.linalg.solve(xs.T @ xs + n * lam * np.eye(d), xs.T @ (y - ybar))
    return {"n": n, "d": d, "m": m, "lambda": lam, "test_predictions": (xts @ w + ybar).ravel().tolist()}


def labels(x):
    score = x[:, 0] - 0.7 * x[:, 1] + 0.4 * np.sin(3 * x[:, 2])
    return (score > np.median(score)).astype(np.float64)


def logistic(n, d, lam):
    x, xt = features(n, d, 0), features(7, d, 100)
    t = labels(x)
    xs, xts = standardize(x, xt)
    a = np.hstack([xs, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    reg = np.eye(d + 1) * lam
    reg[d, d] = 0
    for _ in range(100):
        p = 1 / (1 + np.exp(-(a @ theta)))
        grad = a.T @ (p - t) / n + reg @ theta
        hess = a.T @ (a * (p * (1 - p))[:, None]) / n + reg
        theta -= np.linalg.solve(hess, grad)
    return {"n": n, "d": d, "lambda": lam, "weights": theta[:d].tolist(), "intercept": float(theta[d]),
            "test_logits": (np.hstack([xts, np.ones((7, 1))]) @ theta).tolist()}


print(json.dumps({"ridge_primal": ridge(40, 6, 3, 1e-2), "ridge_dual": ridge(8, 20, 2, 1e-1),
                  "logistic": logistic(60, 4, 1e-2)}, indent=1))
