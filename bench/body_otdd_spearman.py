"""Reads the runs of bench/body-otdd-spearman.sh (DIR/<task>__<body>/metrics.json) and prints a markdown table of
final stage-2 distance vs test metric per (task, body), and Spearman rank correlations:
  - within tasks: Pearson correlation of the within-task ranks (OTDD rank vs metric rank), pooled over tasks, plus
    each task's own rho (with 3 bodies it can only be -1, -0.5, 0.5 or 1);
  - pooled raw: Spearman of (final OTDD, goodness) over all runs, mixing tasks whose OTDD and metric scales differ
    (confounded by the task; printed for completeness, not evidence).
A task whose bodies all reach the same test metric (e.g. the majority class) adds only ties.
Goodness is accuracy for classification and minus relative L2 for dense/regression tasks (higher is better), so the
paper's claim (lower OTDD, better transfer) predicts a negative rho."""
import json
import pathlib
import sys

import numpy as np


def ranks(v):
    """Average ranks (1 = smallest), ties share their mean rank."""
    v = np.asarray(v, dtype=float)
    order = np.argsort(v, kind="mergesort")
    r = np.empty(len(v))
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return r


def pearson(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    a, b = a - a.mean(), b - b.mean()
    d = np.sqrt((a * a).sum() * (b * b).sum())
    return float("nan") if d == 0 else float((a * b).sum() / d)


def goodness(test):
    if "accuracy" in test:
        return "accuracy", test["accuracy"]
    for k in ("relative_l2", "rmse", "mae"):
        if k in test:
            return k, -test[k]
    raise ValueError("no known test metric in " + str(test))


def main(d):
    rows = []
    for m in sorted(pathlib.Path(d).glob("*/metrics.json")):
        task, body = m.parent.name.split("__", 1)
        j = json.loads(m.read_text())
        run = next(r for r in j["runs"] if r["method"] == "orca")
        metric, g = goodness(run["test"])
        rows.append((task, body, run["alignment"]["before"], run["alignment"]["after"], metric, g))
    if not rows:
        sys.exit("no runs with metrics.json under " + d)
    print("| task | body | OTDD before | OTDD after | test metric | value |")
    print("|---|---|---|---|---|---|")
    for t, b, before, after, metric, g in rows:
        print(f"| {t} | {b} | {before:.4g} | {after:.4g} | {metric} | {abs(g):.4f} |")
    print()
    tasks = sorted({r[0] for r in rows})
    wr_otdd, wr_good = [], []
    for t in tasks:
        sub = [r for r in rows if r[0] == t]
        if len(sub) < 2:
            continue
        ro, rg = ranks([r[3] for r in sub]), ranks([r[5] for r in sub])
        wr_otdd += list(ro)
        wr_good += list(rg)
        best = min(sub, key=lambda r: r[3])[1]
        rho = pearson(ro, rg)
        rho_text = "undefined (every body has the same test metric)" if rho != rho else f"{rho:+.3f}"
        print(f"- {t}: Spearman(final OTDD, goodness) = {rho_text} over {len(sub)} bodies; --body auto would choose {best}; "
              f"best test: {'all tie' if len({r[5] for r in sub}) == 1 else max(sub, key=lambda r: r[5])[1]}")
    print(f"- within tasks, pooled: rho = {pearson(wr_otdd, wr_good):+.3f} over {len(wr_otdd)} runs")
    print(f"- all runs, raw values pooled (confounded: tasks differ in OTDD scale and attainable metric): "
          f"rho = {pearson(ranks([r[3] for r in rows]), ranks([r[5] for r in rows])):+.3f} over {len(rows)} runs")
    print("(the claim 'lower OTDD, better transfer' predicts rho < 0)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
