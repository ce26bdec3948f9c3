#!/usr/bin/env python3
"""Aggregates the metrics.json files under a results folder into the markdown tables of docs/RESULTS.md
(mean +- std over seeds of the task metric, OTDD before/after alignment, wall time per stage)."""
import json, os, statistics, sys

root = sys.argv[1]
rows = []
for name in sorted(os.listdir(root)):
    f = os.path.join(root, name, "metrics.json")
    if not os.path.isfile(f):
        continue
    m = json.load(open(f))
    by_method = {}
    for r in m["runs"]:
        by_method.setdefault(r["method"], []).append(r)
    for method, runs in by_method.items():
        metric = runs[0].get("select_metric") or next(iter(runs[0]["test"]))
        if metric.startswith("neg_"):
            metric = metric[4:]
        vals = [r["test"][metric] for r in runs]
        sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
        aur = [r["test"]["auroc"] for r in runs if "auroc" in r["test"]]
        auroc = f"{statistics.mean(aur):.4f} ± {(statistics.stdev(aur) if len(aur) > 1 else 0.0):.4f}" if len(aur) == len(runs) else "-"
        before = [r["alignment"]["before"] for r in runs if "alignment" in r]
        after = [r["alignment"]["after"] for r in runs if "alignment" in r]
        t_align = [r["alignment"]["seconds"] for r in runs if "alignment" in r]
        t_ref = [r["refine"]["seconds"] for r in runs]
        rows.append((name, m["task"]["name"], method, m["settings"].get("objective"), metric, statistics.mean(vals), sd, len(vals), auroc,
                     statistics.mean(before) if before else None, statistics.mean(after) if after else None,
                     statistics.mean(t_align) if t_align else None, statistics.mean(t_ref)))

def f(x, nd=3):
    return "-" if x is None else f"{x:.{nd}f}"

print("| run | task | method | objective | test metric | mean ± std (n) | test AUROC | distance before → after | align s | refine s |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (name, task, method, obj, metric, mean, sd, n, auroc, b, a, ta, tr) in rows:
    dist = "-" if b is None else f"{b:.2f} → {a:.2f}"
    print(f"| {name} | {task} | {method} | {obj if method.startswith('orca') else '-'} | {metric} | {mean:.4f} ± {sd:.4f} ({n}) | {auroc} | {dist} | {f(ta, 0)} | {f(tr, 0)} |")
