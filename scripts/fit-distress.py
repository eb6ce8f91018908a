#!/usr/bin/env python3
"""Fits the distress model (crates/tactful/models/distress.txt) on labeled conversations.

    scripts/fit-distress.py SET.jsonl [SET.jsonl ...]            # fit, cross-validate, write
    scripts/fit-distress.py --check SET.jsonl [...]               # cross-validate only

Each set is one labeled conversation a line (`labels.distress` true or false, as in the
evaluation sets). The script runs the `distress_features` example (cargo, release) on each
set to get every customer turn's evidence, then fits a logistic model whose score for a
conversation is its *most distressed* turn's score (the labels are per conversation, and a
conversation is distressed when any customer turn is): multiple-instance learning with
the max, by gradient descent with L2 regularization. Weights of evidence that can only mean
distress (emotion, stakes, chasing, threats, strong words, marks in a negative tone,
negative and aimed valence) are kept at 0 or above, so more such evidence never lowers a
score; positive words and marks in a positive tone are kept at 0 or below; the others
(length, chasers, question marks) take any sign.

Cross-validation, reported before the fit is written: leave one source out (each set in
turn, and each team of the real sets with 15 or more conversations, in four folds of
teams), so the figure says how the model does on text like none it was fitted on. Pure
Python, no dependencies; deterministic (no randomness).
"""
import math
import os
import subprocess
import sys

FREE = {"words", "chaser", "questions"}
# evidence of a calm or happy turn: kept at 0 or below
NONPOSITIVE = {"positive", "marks_positive"}
L2 = 0.001
# The guide counts a threat to leave, to go public or to take legal action as distress on
# its own, and the sets hold too few threats made alone to learn that: their weights are
# kept at or above this floor (the bias is about -3, so a threat alone scores over 50).
FLOORS = {"churn_threat": 3.5, "public_threat": 3.5, "legal_threat": 3.5}
STEPS = 1500
THRESHOLD = 0.5


def features(path):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(path, "rb") as f:
        out = subprocess.run(
            ["cargo", "run", "--quiet", "--release", "--example", "distress_features"],
            stdin=f, capture_output=True, check=True, cwd=root,
        ).stdout.decode("utf-8")
    lines = out.splitlines()
    names = lines[0].split("\t")[4:]
    bags = {}
    for line in lines[1:]:
        cols = line.split("\t")
        if cols[3] == "":
            continue
        key = (os.path.basename(path), cols[0])
        team = cols[1] or os.path.basename(path)
        bag = bags.setdefault(key, {"label": int(cols[3]), "team": team, "set": key[0], "x": []})
        bag["x"].append([float(v) for v in cols[4:]])
    return names, list(bags.values())


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


def fit(bags, names):
    n = len(names)
    w, b = [0.0] * n, -1.0
    # Adam on the mean log loss of each conversation's top turn
    mw, vw, mb, vb = [0.0] * n, [0.0] * n, 0.0, 0.0
    lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
    free = [name in FREE for name in names]
    nonpositive = [name in NONPOSITIVE for name in names]
    for step in range(1, STEPS + 1):
        gw, gb = [0.0] * n, 0.0
        for bag in bags:
            best, top = -1e9, None
            for x in bag["x"]:
                z = b + sum(wi * xi for wi, xi in zip(w, x))
                if z > best:
                    best, top = z, x
            err = sigmoid(best) - bag["label"]
            gb += err
            for i in range(n):
                gw[i] += err * top[i]
        m = len(bags)
        for i in range(n):
            g = gw[i] / m + L2 * w[i]
            mw[i] = b1 * mw[i] + (1 - b1) * g
            vw[i] = b2 * vw[i] + (1 - b2) * g * g
            w[i] -= lr * (mw[i] / (1 - b1 ** step)) / (math.sqrt(vw[i] / (1 - b2 ** step)) + eps)
            if names[i] in FLOORS:
                w[i] = max(w[i], FLOORS[names[i]])
            elif nonpositive[i]:
                w[i] = min(w[i], 0.0)
            elif not free[i]:
                w[i] = max(w[i], 0.0)
        g = gb / m
        mb = b1 * mb + (1 - b1) * g
        vb = b2 * vb + (1 - b2) * g * g
        b -= lr * (mb / (1 - b1 ** step)) / (math.sqrt(vb / (1 - b2 ** step)) + eps)
    return w, b


def predict(bag, w, b):
    return max(sigmoid(b + sum(wi * xi for wi, xi in zip(w, x))) for x in bag["x"])


def f1(bags, w, b, threshold=THRESHOLD):
    tp = fp = fn = 0
    for bag in bags:
        p = predict(bag, w, b) >= threshold
        tp += p and bag["label"] == 1
        fp += p and bag["label"] == 0
        fn += (not p) and bag["label"] == 1
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return (2 * prec * rec / (prec + rec) if prec + rec else 0.0), prec, rec


def main():
    args = sys.argv[1:]
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    if not paths:
        sys.exit(__doc__)
    names, bags = None, []
    for p in paths:
        names, more = features(p)
        bags += more
    report = []
    # leave one set out
    for s in sorted({b["set"] for b in bags}):
        train = [b for b in bags if b["set"] != s]
        test = [b for b in bags if b["set"] == s]
        w, b = fit(train, names)
        report.append(("without %s" % s, len(test)) + f1(test, w, b))
    # teams of the real sets, in four folds
    teams = sorted({b["team"] for b in bags if b["team"] != b["set"]})
    if teams:
        for k in range(4):
            held = set(teams[k::4])
            train = [b for b in bags if b["team"] not in held]
            test = [b for b in bags if b["team"] in held]
            w, b = fit(train, names)
            report.append(("teams fold %d" % (k + 1), len(test)) + f1(test, w, b))
    w, b = fit(bags, names)
    report.append(("fitted on all (training figure)", len(bags)) + f1(bags, w, b))
    lines = ["%-40s n=%4d  F1 %.3f  P %.3f  R %.3f" % r for r in report]
    print("\n".join(lines))
    if check:
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = [
        "# The distress model: log-odds = bias + sum of weight x feature (features in",
        "# crates/tactful/src/distress/mod.rs). Written by scripts/fit-distress.py; do not edit",
        "# by hand. Fitted on: " + ", ".join(os.path.basename(p) for p in paths) + ".",
        "# Cross-validated F1 of conversation-level distress at score 50:",
    ] + ["#   " + l for l in lines] + ["bias %.4f" % b] + ["%s %.4f" % (n, wi) for n, wi in zip(names, w)]
    with open(os.path.join(root, "crates/tactful/models/distress.txt"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
