#!/usr/bin/env python3
"""PyTorch peer of ORCA-J's TrainStep / TrainStepBench / EncoderLayerBench: the same work, timed in-process.

Model: HF-style post-LN BERT body (word + position + token-type embeddings, LayerNorm, N layers of self-attention
with an additive key mask, exact GELU FFN), written in plain torch (no transformers dependency) the way HF's eager
BertModel computes it. Train step: forward, masked mean-pool, Linear(D, 2), mean cross-entropy, backward,
AdamW(lr 1e-5, wd 0.01) over every parameter, zero_grad(set_to_none=True). Dropout 0 on both sides.
Random weights, random ids (seq/2..seq real tokens per row) as in TrainStep.java.

Prints one line per case:
  RESULT <case> threads=<t> mean_ms=<..> best_ms=<..> maxrss_mb=<..> cpu_ms=<..>
Cases: layer:BxS (one MiniLM-sized encoder layer, forward+backward of mean), minilm:BxS, roberta:BxS.
Run one case per process when peak RSS matters (the script's RSS is the high-water mark of everything it ran).
"""
import argparse
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {  # vocab, hidden, layers, heads, ffn, max_pos, type_vocab, ln_eps
    "minilm": (30522, 384, 6, 12, 1536, 512, 2, 1e-12),
    "roberta": (50265, 768, 12, 12, 3072, 514, 1, 1e-5),
}


class Layer(nn.Module):
    def __init__(self, d, heads, ffn, eps):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln1 = nn.LayerNorm(d, eps=eps)
        self.inter = nn.Linear(d, ffn)
        self.out = nn.Linear(ffn, d)
        self.ln2 = nn.LayerNorm(d, eps=eps)

    def forward(self, x, add_mask):
        b, s, d = x.shape
        hd = d // self.heads

        def split(t):
            return t.view(b, s, self.heads, hd).permute(0, 2, 1, 3)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd)
        if add_mask is not None:
            scores = scores + add_mask
        ctx = torch.matmul(scores.softmax(-1), v).permute(0, 2, 1, 3).reshape(b, s, d)
        h = self.ln1(self.o(ctx) + x)
        return self.ln2(self.out(F.gelu(self.inter(h))) + h)


class Body(nn.Module):
    def __init__(self, name):
        super().__init__()
        vocab, d, n, heads, ffn, max_pos, types, eps = CONFIGS[name]
        self.word = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_pos, d)
        self.token_type = nn.Embedding(types, d)
        self.ln = nn.LayerNorm(d, eps=eps)
        self.layers = nn.ModuleList(Layer(d, heads, ffn, eps) for _ in range(n))
        self.first_pos = 2 if name == "roberta" else 0  # RoBERTa positions start after the padding id

    def forward(self, ids, mask):
        b, s = ids.shape
        pos = torch.arange(self.first_pos, self.first_pos + s).unsqueeze(0)
        h = self.ln(self.word(ids) + self.pos(pos) + self.token_type(torch.zeros_like(ids)))
        add_mask = ((1.0 - mask.float()) * torch.finfo(torch.float32).min).view(b, 1, 1, s)
        for layer in self.layers:
            h = layer(h, add_mask)
        return h


def batch(b, s, gen):
    lens = torch.randint(s // 2, s + 1, (b,), generator=gen)
    mask = (torch.arange(s).unsqueeze(0) < lens.unsqueeze(1)).long()
    ids = torch.randint(1000, 30000, (b, s), generator=gen) * mask
    labels = torch.randint(0, 2, (b,), generator=gen)
    return ids, mask, labels


def make_step(case, b, s):
    gen = torch.Generator().manual_seed(2)
    ids, mask, labels = batch(b, s, gen)
    if case == "layer":
        layer = Layer(384, 12, 1536, 1e-12)
        x = torch.randn(b, s, 384, generator=gen)

        def step():
            layer.zero_grad(set_to_none=True)
            layer(x, None).mean().backward()
        return step
    body = Body(case)
    head = nn.Linear(body.ln.normalized_shape[0], 2)
    params = list(body.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=1e-5, weight_decay=0.01)
    pool = mask.float() / mask.sum(1, keepdim=True)

    def step():
        h = body(ids, mask)
        pooled = torch.einsum("bs,bsd->bd", pool, h)
        loss = F.cross_entropy(head(pooled), labels)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    return step


def blas_library():
    """The BLAS shared object torch's GEMMs go to (Debian's torch calls libblas.so.3, whatever it resolves to)."""
    for line in open("/proc/self/maps"):
        path = line.split()[-1]
        if "blas" in path.rsplit("/", 1)[-1] or "openblas" in path:
            return __import__("os").path.realpath(path)
    return "none loaded"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default="minilm:16x64", help="comma list of layer|minilm|roberta:BxS")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=10, help="timed steps (after --warmup)")
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print("BLAS %s" % blas_library(), flush=True)
    torch.manual_seed(1)
    for c in a.cases.split(","):
        name, shape = c.split(":")
        b, s = (int(v) for v in shape.split("x"))
        step = make_step(name, b, s)
        for _ in range(a.warmup):
            step()
        times = []
        c0 = time.process_time()
        for _ in range(a.steps):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1e3)
        cpu_ms = (time.process_time() - c0) * 1e3 / a.steps  # all threads: comparable on a busy host
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print("RESULT %s threads=%d mean_ms=%.1f best_ms=%.1f maxrss_mb=%.0f cpu_ms=%.1f"
              % (c, a.threads, sum(times) / len(times), min(times), rss, cpu_ms), flush=True)


if __name__ == "__main__":
    main()
