#!/usr/bin/env python3
"""Writes crates/tactful/src/matcher/frequent.txt: the commonest tokens of the
labeled transcripts (tests/labeled/*.jsonl, both roles), commonest first.

The matcher numbers its vocabulary's words in this order (the words of the
list that it has first, then the rest as before), so that the per-word tables
indexed by word id hold the common words' entries in a few cache lines. The
list only orders ids: a token missing from it, or a list from other text,
changes no result, only which entries share lines.

The tokens are approximated as the matcher reads them (lower-cased; words of
letters, digits, `_`, and `'` or `&` between word characters, with the
clitics `'s 'd 'll 've 're 'm n't` split off; any other non-space character
alone). Usage: scripts/frequent-tokens.py [COUNT] (default 1024).
"""

import collections
import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates/tactful/src/matcher/frequent.txt")
CLITIC = re.compile(r"^(.+?)('(?:s|d|ll|ve|re|m))$")
RUN = re.compile(r"\w+(?:['&]\w+)*|[^\s\w]", re.UNICODE)


def tokens(text):
    for run in RUN.findall(text.lower()):
        m = CLITIC.match(run)
        if m:
            yield m.group(1)
            yield m.group(2)
        elif len(run) >= 4 and run.endswith("n't"):
            yield run[:-3]
            yield run[-3:]
        else:
            yield run


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    freq = collections.Counter()
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/labeled/*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                for turn in record.get("turns", []):
                    text = turn.get("text")
                    if isinstance(text, str):
                        freq.update(tokens(text))
    # commonest first; ties by the token, so the list is stable
    top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:count]
    with open(OUT, "w", encoding="utf-8") as f:
        for token, _ in top:
            if "\n" not in token:
                f.write(token + "\n")


if __name__ == "__main__":
    main()
