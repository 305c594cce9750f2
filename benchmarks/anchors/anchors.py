"""Neural anchors for issue 22, on nexttrack's own protocol: a GRU language model and SASRec (full cross-entropy).

Run by hand, not in CI (results: docs/quality.md, section 8.9). The split is nexttrack's own, exported as text so
that both sides score the same positions:

    ./nexttrack data split --data ../shared/data/yes/yes_small --split-seed 42 --out /tmp/split42
    python3 -m venv /tmp/V && /tmp/V/bin/pip install --no-deps torch==2.14.1   # (+ the nvidia-* wheels it names)
    LD_LIBRARY_PATH=/usr/local/cuda/lib64 nice -n 15 /tmp/V/bin/python benchmarks/anchors/anchors.py \
        --split /tmp/split42 --model gru --part validation [--lr 1e-3 2e-3] [--threads 2] [--json out.json]

Protocol (the same as `nexttrack evaluate`): every next-song position of the scored part (history = all earlier
songs of the playlist, read from its first song with a fresh state), full ranking over all songs, pessimistic ties
(rank = 1 + #higher + #other equal), NLL = mean -log softmax of the target; with exclusion, the songs of the history
are removed from the ranking and positions whose target is among them are skipped (NLL not renormalised). Each
model is trained on train.txt only, early-stopped on the validation NLL, and, when several settings are given
(--lr, --dropout), the one with the best validation NDCG@20 is kept; --part test then scores that one on the test
part (read it once).

Models:
- gru: Embedding(V, 200) -> dropout -> GRU(200, 200), 1 layer -> dropout -> Linear(200, V); dropout 0.5; the embedding
  and output weights uniform in +-0.1 (PyTorch's default N(0, 1) embedding trained worse: validation NLL 5.944
  against 5.773 on yes_small).
- sasrec: SASRec (Kang and McAuley 2018) with 2 blocks, d = 64, one head, dropout 0.2, learned positions up to 200
  songs (longer histories: the last 200), item embeddings tied with the output, trained with the full softmax
  cross-entropy over all songs at every position (not the paper's sampled negatives).
Both: Adam, gradient norm clipped at 5, batches of 64 playlists (longer ones cut into pieces of 200 for training).
"""
import argparse
import json
import math
import random
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CUTOFFS = [1, 5, 10, 20, 50, 100, 500]
MAX_LEN = 200


def read_split(folder):
    songs = int(open(f"{folder}/songs.txt").read().split()[0])
    parts = {}
    for part in ("train", "validation", "test"):
        with open(f"{folder}/{part}.txt") as f:
            parts[part] = [[int(x) for x in line.split()] for line in f if line.strip()]
    return songs, parts


class Gru(nn.Module):
    def __init__(self, V, hidden=200, dropout=0.5):
        super().__init__()
        self.emb = nn.Embedding(V, hidden)
        self.drop = nn.Dropout(dropout)
        self.rnn = nn.GRU(hidden, hidden, 1, batch_first=True)
        self.out = nn.Linear(hidden, V)
        # As PyTorch's word_language_model example: small uniform embedding and output weights (the default N(0, 1)
        # embedding saturates the gates)
        nn.init.uniform_(self.emb.weight, -0.1, 0.1)
        nn.init.uniform_(self.out.weight, -0.1, 0.1)
        nn.init.zeros_(self.out.bias)

    def forward(self, x):  # x: B x T song ids -> B x T x V logits
        h, _ = self.rnn(self.drop(self.emb(x)))
        return self.out(self.drop(h))


class SasRec(nn.Module):
    def __init__(self, V, d=64, blocks=2, dropout=0.2, max_len=MAX_LEN):
        super().__init__()
        self.V = V
        self.emb = nn.Embedding(V + 1, d, padding_idx=V)  # V: padding
        self.pos = nn.Embedding(max_len, d)
        self.drop = nn.Dropout(dropout)
        self.attn_norm = nn.ModuleList(nn.LayerNorm(d, eps=1e-8) for _ in range(blocks))
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, 1, dropout=dropout, batch_first=True) for _ in range(blocks))
        self.ffn_norm = nn.ModuleList(nn.LayerNorm(d, eps=1e-8) for _ in range(blocks))
        self.ffn = nn.ModuleList(nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d, d), nn.Dropout(dropout))
                                 for _ in range(blocks))
        self.last_norm = nn.LayerNorm(d, eps=1e-8)
        self.scale = math.sqrt(d)
        for name, p in self.named_parameters():  # as the reference implementation (SASRec.pytorch): Xavier where it can
            if p.dim() > 1:
                nn.init.xavier_normal_(p)

    def forward(self, x):  # x: B x T (padding V at the end) -> B x T x V logits
        T = x.shape[1]
        h = self.emb(x) * self.scale + self.pos(torch.arange(T, device=x.device))[None]
        h = self.drop(h)
        pad = x == self.V
        h = h * (~pad)[..., None]
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), 1)
        for norm, attn, fnorm, ffn in zip(self.attn_norm, self.attn, self.ffn_norm, self.ffn):
            q = norm(h)
            a, _ = attn(q, h, h, attn_mask=causal, need_weights=False)
            h = q + a
            h = fnorm(h)
            h = h + ffn(h)
            h = h * (~pad)[..., None]
        h = self.last_norm(h)
        return h @ self.emb.weight[: self.V].T


def batches(playlists, size, shuffle, rng, piece):
    """Playlists (cut into pieces of at most `piece` transitions) grouped by length, as (inputs, targets) tensors."""
    items = []
    for p in playlists:
        for s in range(0, len(p) - 1, piece):
            seg = p[s: s + piece + 1]
            if len(seg) >= 2:
                items.append(seg)
    items.sort(key=len)
    groups = [items[i: i + size] for i in range(0, len(items), size)]
    if shuffle:
        rng.shuffle(groups)
    return groups


def to_tensors(group, pad):
    T = max(len(g) for g in group) - 1
    x = torch.full((len(group), T), pad, dtype=torch.long)
    y = torch.full((len(group), T), -100, dtype=torch.long)
    for b, g in enumerate(group):
        x[b, : len(g) - 1] = torch.tensor(g[:-1])
        y[b, : len(g) - 1] = torch.tensor(g[1:])
    return x, y


def make(kind, V, dropout):
    if kind == "gru":
        return Gru(V, dropout=0.5 if dropout is None else dropout), 0
    return SasRec(V, dropout=0.2 if dropout is None else dropout), V


def train(kind, V, parts, lr, dropout, epochs, patience, seed, log):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    net, pad = make(kind, V, dropout)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    best, best_state, bad = float("inf"), None, 0
    piece = MAX_LEN
    for epoch in range(1, epochs + 1):
        net.train()
        t0, total, count = time.time(), 0.0, 0
        for group in batches(parts["train"], 64, True, rng, piece):
            x, y = to_tensors(group, pad)
            logits = net(x)
            loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1), ignore_index=-100, reduction="sum")
            n = int((y != -100).sum())
            opt.zero_grad(set_to_none=True)
            (loss / n).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total, count = total + float(loss), count + n
        val = nll(net, V, pad, parts["validation"])
        mark = ""
        if val < best - 1e-4:
            best, best_state, bad, mark = val, {k: v.clone() for k, v in net.state_dict().items()}, 0, " *"
        else:
            bad += 1
        log(f"  epoch {epoch}: train NLL {total / count:.4f}, validation NLL {val:.4f}{mark} ({time.time() - t0:.0f} s)")
        if bad >= patience:
            break
    net.load_state_dict(best_state)
    return net, pad


@torch.no_grad()
def position_rows(net, V, pad, playlists):
    """Yields (playlist, log-softmax rows for positions 0..n-2) with the full history of each position."""
    net.eval()
    for p in playlists:
        n = len(p)
        if n < 2:
            continue
        inp = p[:-1]
        if len(inp) <= MAX_LEN or isinstance(net, Gru):
            rows = F.log_softmax(net(torch.tensor([inp]))[0].float(), dim=-1)
        else:  # SASRec: the last MAX_LEN songs of longer histories
            head = F.log_softmax(net(torch.tensor([inp[:MAX_LEN]]))[0].float(), dim=-1)
            tail = [F.log_softmax(net(torch.tensor([inp[i - MAX_LEN + 1: i + 1]]))[0, -1].float(), dim=-1)
                    for i in range(MAX_LEN, len(inp))]
            rows = torch.cat([head, torch.stack(tail)])
        yield p, rows


@torch.no_grad()
def nll(net, V, pad, playlists):
    total, count = 0.0, 0
    for p, rows in position_rows(net, V, pad, playlists):
        t = torch.tensor(p[1:])
        total -= float(rows.gather(1, t[:, None]).sum())
        count += len(t)
    return total / count


class Metrics:
    def __init__(self):
        self.ranks, self.nll = [], 0.0

    def add(self, rank, logp):
        self.ranks.append(rank)
        self.nll -= logp

    def summary(self):
        n = len(self.ranks)
        if n == 0:
            return {"positions": 0}
        r = torch.tensor(self.ranks, dtype=torch.float64)
        out = {"positions": n, "nll": self.nll / n}
        for k in CUTOFFS:
            out[f"hit@{k}"] = float((r <= k).double().mean())
        out["mrr@20"] = float(torch.where(r <= 20, 1 / r, torch.zeros_like(r)).mean())
        out["ndcg@20"] = float(torch.where(r <= 20, 1 / torch.log2(r + 1), torch.zeros_like(r)).mean())
        return out


@torch.no_grad()
def evaluate(net, V, pad, playlists):
    """Metrics without exclusion (all, repeat, non-repeat targets) and with exclusion."""
    m = {"all": Metrics(), "repeat": Metrics(), "non_repeat": Metrics(), "excluded": Metrics()}
    for p, rows in position_rows(net, V, pad, playlists):
        seen = torch.zeros(V, dtype=torch.bool)
        for i in range(len(p) - 1):
            seen[p[i]] = True
            row, t = rows[i], p[i + 1]
            s = row[t]
            higher_equal = row >= s  # pessimistic: every other song scoring >= the target ranks above it
            rank = int(higher_equal.sum())  # counts the target itself once: 1 + #higher + #other equal
            logp = float(s)
            m["all"].add(rank, logp)
            if bool(seen[t]):
                m["repeat"].add(rank, logp)
            else:
                m["non_repeat"].add(rank, logp)
                m["excluded"].add(rank - int((higher_equal & seen).sum()), logp)
    return {k: v.summary() for k, v in m.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", required=True, help="folder written by `nexttrack data split`")
    ap.add_argument("--model", choices=["gru", "sasrec"], required=True)
    ap.add_argument("--part", choices=["validation", "test"], default="validation")
    ap.add_argument("--lr", type=float, nargs="+", default=[1e-3])
    ap.add_argument("--dropout", type=float, nargs="+", default=[None])
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--patience", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    V, parts = read_split(a.split)

    def log(msg):
        print(msg, flush=True)

    results = []
    best = None
    for lr in a.lr:
        for dropout in a.dropout:
            log(f"{a.model}: lr {lr}, dropout {dropout if dropout is not None else 'default'}")
            t0 = time.time()
            net, pad = train(a.model, V, parts, lr, dropout, a.epochs, a.patience, a.seed, log)
            val = evaluate(net, V, pad, parts["validation"])
            log(f"  validation: NLL {val['all']['nll']:.4f}, hit@20 {val['all']['hit@20']:.4f}, NDCG@20 {val['all']['ndcg@20']:.4f} "
                f"({time.time() - t0:.0f} s)")
            results.append({"lr": lr, "dropout": dropout, "validation": val})
            if best is None or val["all"]["ndcg@20"] > best[0]:
                best = (val["all"]["ndcg@20"], net, pad, lr, dropout)
    _, net, pad, lr, dropout = best
    scored = evaluate(net, V, pad, parts[a.part]) if a.part == "test" else results[[r["lr"] == lr and r["dropout"] == dropout
                                                                                     for r in results].index(True)]["validation"]
    log(f"chosen: lr {lr}, dropout {dropout}; {a.part}:")
    for mode in ("all", "excluded", "repeat", "non_repeat"):
        r = scored[mode]
        if r["positions"] == 0:
            continue
        log(f"  {mode:10s} {r['positions']:6d}  NLL {r['nll']:.4f}  " + "  ".join(
            f"{k} {r[k]:.4f}" for k in ["hit@1", "hit@10", "hit@20", "hit@100", "mrr@20", "ndcg@20"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"model": a.model, "chosen": {"lr": lr, "dropout": dropout}, "part": a.part, "scored": scored,
                       "grid": results}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
