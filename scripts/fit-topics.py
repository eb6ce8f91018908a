#!/usr/bin/env python3
"""Fits the topic model (crates/tactful/models/topics.txt) on labeled conversations.

    scripts/fit-topics.py SET.jsonl [SET.jsonl ...]            # cross-validate, fit, write
    scripts/fit-topics.py --check SET.jsonl [...]               # cross-validate only

Each set is one labeled conversation a line with `labels.topics` (a list of the ten
built-in tags; conversations without the key are left out). The script runs the
`topic_features` example (cargo, release) on each set to get the words and word pairs of
every conversation's customer turns and the tags its phrase lists match, then fits one
logistic model per tag over them (the lists' matches are features too), by stochastic
gradient descent with L2 regularization, in a fixed order (deterministic, no randomness).
The words' weights are summed; past TYPICAL words the sum is scaled by the square root of
TYPICAL over their number, so a long call transcript does not pile small weights up into
a tag.

Only words and pairs used in at least MIN_SOURCES different sources (a set, or a team
of a real set) and MIN_DOCS conversations, and in no more than MAX_SHARE of them, are
features: a brand, a product or a person named in one source is never learned, and the
commonest words (which would only shift the bias) are not looked up. At run time a tag is given when the model's
probability reaches the threshold, or when its list matches and the model gives it at least
VETO (5%).

Cross-validation, reported before the fit is written: leave one source out (each set in
turn; the teams of a set that has them, in four folds of teams), so the figure says how
the rule does on writing like none it was fitted on, beside the lists alone.
Pure Python, no dependencies.
"""
import math
import os
import subprocess
import sys
from multiprocessing import Pool

TAGS = ["delivery", "refund", "billing", "account", "technical", "cancellation",
        "delay", "availability", "quality", "staff"]
MIN_SOURCES = 5
MIN_DOCS = 4
# a word in more than this share of the conversations (the, my, and) says nothing of a
# topic and would only shift the bias, at a lookup for nearly every word read
MAX_SHARE = 0.3
L2 = 2e-2
EPOCHS = 10
RATE = 0.5
# a transcript with more words than this (a long call) has their summed weights scaled by
# sqrt(TYPICAL / words), so it does not pile small weights up into a tag
TYPICAL = 64
# the probability at which the model alone gives a tag, chosen on the left-out figures
# (the table the cross-validation prints, for the invented and the real sources apart),
# not on the training figure: lower thresholds gain a little on invented sets and lose as
# much on real threads
THRESHOLD = 0.5
# a built-in tag whose list matched is dropped when the model gives it less than this
# probability (the words around the match say the conversation is about something else:
# "deliver" in a talk about a service, "account" in "on account of")
VETO = 0.05
TEAM_FOLDS = 4

DOCS = []


def features(path):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(path, "rb") as f:
        out = subprocess.run(
            ["cargo", "run", "--quiet", "--release", "--example", "topic_features"],
            stdin=f, capture_output=True, check=True, cwd=root,
        ).stdout.decode("utf-8")
    name = os.path.basename(path)
    docs = []
    for line in out.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) != 5 or cols[2] == "-":
            continue
        gold = {t for t in cols[2].split(",") if t}
        listed = {t for t in cols[3].split(",") if t in TAGS}
        words = {w for w in cols[4].split("|") if w}
        docs.append({"set": name, "team": cols[1], "gold": gold, "listed": listed,
                     "x": words | {"list:" + t for t in listed}})
    teams = sorted({d["team"] for d in docs if d["team"]},
                   key=lambda t: (-sum(d["team"] == t for d in docs), t))
    fold_of = {t: i % TEAM_FOLDS for i, t in enumerate(teams)}
    for d in docs:
        d["source"] = name + ":" + d["team"] if d["team"] else name
        d["fold"] = "%s teams %d" % (name, fold_of[d["team"]] + 1) if d["team"] else name
    return docs


def vocabulary(idx):
    docs, sources = {}, {}
    for i in idx:
        for f in DOCS[i]["x"]:
            docs[f] = docs.get(f, 0) + 1
            sources.setdefault(f, set()).add(DOCS[i]["source"])
    most = MAX_SHARE * len(idx)
    return {f for f, n in docs.items() if f.startswith("list:")
            or (MIN_DOCS <= n <= most and len(sources[f]) >= MIN_SOURCES)}


def fit(idx):
    vocab = vocabulary(idx)
    w = {}
    b = [-2.0] * len(TAGS)
    order = list(idx)
    state = 12345
    for epoch in range(EPOCHS):
        # a fixed shuffle (linear congruential), the same on every machine
        for k in range(len(order) - 1, 0, -1):
            state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
            j = (state >> 33) % (k + 1)
            order[k], order[j] = order[j], order[k]
        lr = RATE / (1 + epoch)
        for i in order:
            d = DOCS[i]
            feats = [f for f in sorted(d["x"]) if f in vocab]
            words = [w.setdefault(f, [0.0] * len(TAGS)) for f in feats if not f.startswith("list:")]
            lists = [w.setdefault(f, [0.0] * len(TAGS)) for f in feats if f.startswith("list:")]
            scale = min(1.0, math.sqrt(TYPICAL / len(words))) if words else 0.0
            for k, tag in enumerate(TAGS):
                z = b[k] + scale * sum(r[k] for r in words) + sum(r[k] for r in lists)
                z = max(-30.0, min(30.0, z))
                g = (1.0 / (1.0 + math.exp(-z)) - (tag in d["gold"])) * lr
                b[k] -= g
                for r in words:
                    r[k] -= g * scale + lr * L2 * r[k]
                for r in lists:
                    r[k] -= g + lr * L2 * r[k]
    return w, b


def logits(model, d):
    w, b = model
    words = [w[f] for f in d["x"] if f in w and not f.startswith("list:")]
    lists = [w[f] for f in d["x"] if f in w and f.startswith("list:")]
    scale = min(1.0, math.sqrt(TYPICAL / len(words))) if words else 0.0
    return [b[k] + scale * sum(r[k] for r in words) + sum(r[k] for r in lists)
            for k in range(len(TAGS))]


def decide(z, listed, threshold=THRESHOLD, veto=VETO):
    cut = math.log(threshold / (1 - threshold))
    veto = math.log(veto / (1 - veto))
    return {tag for k, tag in enumerate(TAGS)
            if z[k] >= cut or (tag in listed and z[k] >= veto)}


def predict(model, d):
    return decide(logits(model, d), d["listed"])


def counts(pairs):
    c = {t: [0, 0, 0] for t in TAGS}
    for pred, gold in pairs:
        for t in TAGS:
            c[t][0] += t in pred and t in gold
            c[t][1] += t in pred and t not in gold
            c[t][2] += t not in pred and t in gold
    return c


def micro(c):
    tp = sum(v[0] for v in c.values())
    fp = sum(v[1] for v in c.values())
    fn = sum(v[2] for v in c.values())
    return 2 * tp / max(1, 2 * tp + fp + fn)


def macro(c):
    return sum(2 * v[0] / max(1, 2 * v[0] + v[1] + v[2]) for v in c.values()) / len(c)


def held_out(fold):
    train = [i for i, d in enumerate(DOCS) if d["fold"] != fold]
    test = [DOCS[i] for i, d in enumerate(DOCS) if d["fold"] == fold]
    model = fit(train)
    both = counts([(predict(model, d), d["gold"]) for d in test])
    lists = counts([(d["listed"], d["gold"]) for d in test])
    # the left-out log-odds, to weigh other thresholds after the fit
    zs = [(logits(model, d), d["listed"], d["gold"], d["set"]) for d in test]
    return fold, len(test), both, lists, zs


def main(argv):
    global DOCS
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    if not paths:
        sys.exit(__doc__)
    for p in paths:
        DOCS.extend(features(p))
    folds = sorted({d["fold"] for d in DOCS})
    with Pool(min(2, os.cpu_count() or 1)) as pool:
        results = pool.map(held_out, folds)
    lines = ["Cross-validated topics (left-out source; lists alone -> lists and model):"]
    total_b = {t: [0, 0, 0] for t in TAGS}
    total_l = {t: [0, 0, 0] for t in TAGS}
    for fold, n, both, lists, _ in results:
        lines.append("  %-32s n=%4d  micro-F1 %.3f -> %.3f" % (fold, n, micro(lists), micro(both)))
        for t in TAGS:
            for k in range(3):
                total_b[t][k] += both[t][k]
                total_l[t][k] += lists[t][k]
    lines.append("  %-32s n=%4d  micro-F1 %.3f -> %.3f, macro-F1 %.3f -> %.3f" % (
        "all left-out", len(DOCS), micro(total_l), micro(total_b), macro(total_l), macro(total_b)))
    for t in TAGS:
        lines.append("    %-14s F1 %.3f -> %.3f" % (
            t, micro({t: total_l[t]}), micro({t: total_b[t]})))
    # the threshold and the veto as the left-out figures would have them
    left = [z for r in results for z in r[4]]
    lines.append("  left-out micro-F1 by threshold and veto (chosen: %g, %g), all | invented | real:"
                 % (THRESHOLD, VETO))
    real = lambda name: name.startswith("real")
    groups = [lambda n: True, lambda n: not real(n), real]
    for th in (0.3, 0.4, 0.5, 0.6):
        row = []
        for veto in (0.02, 0.05, 0.1):
            row.append("/".join("%.3f" % micro(counts([
                (decide(z, listed, th, veto), gold)
                for z, listed, gold, name in left if group(name)])) for group in groups))
        lines.append("    threshold %.2f  veto 0.02, 0.05, 0.10: %s" % (th, "  ".join(row)))
    print("\n".join(lines))
    if check:
        return
    model = fit(range(len(DOCS)))
    train = counts([(predict(model, d), d["gold"]) for d in DOCS])
    lines.append("  %-32s n=%4d  micro-F1 %.3f" % ("fitted on all (training figure)", len(DOCS), micro(train)))
    w, b = model
    # every feature is kept: the words' sum is scaled by their number, so dropping
    # one would change every long conversation that uses it
    kept = sorted(w)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "crates", "tactful", "models", "topics.txt")
    fmt = lambda r: "\t".join("%.3f" % v for v in r)
    with open(out, "w") as f:
        f.write("# The topic model: per built-in tag (columns: %s), log-odds = bias +\n" % ", ".join(TAGS))
        f.write("# the weights of the words and word pairs of the customer turns + those of the\n")
        f.write("# tags whose phrase lists match. A tag is given when its list matches or the\n")
        f.write("# probability reaches the threshold (a matched list's tag stays unless the model\n")
        f.write("# gives it under %g). Written by scripts/fit-topics.py; do not\n" % VETO)
        f.write("# edit by hand. Fitted on: %s.\n" % ", ".join(os.path.basename(p) for p in paths))
        for line in lines:
            f.write("# " + line + "\n")
        f.write("threshold\t%s\n" % THRESHOLD)
        f.write("bias\t%s\n" % fmt(b))
        for t in TAGS:
            if "list:" + t in w:
                f.write("list:%s\t%s\n" % (t, fmt(w["list:" + t])))
        for feat in kept:
            if not feat.startswith("list:"):
                f.write("%s\t%s\n" % (feat, fmt(w[feat])))
    print("wrote %s (%d features)" % (out, len(kept)))


if __name__ == "__main__":
    main(sys.argv[1:])
