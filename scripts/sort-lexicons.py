#!/usr/bin/env python3
"""Sorts the pattern lines of every phrase list in place, block by block.

A block is a run of pattern lines between comments, blank lines and condition
lines (`[statement]`); example lines (`+ `, `- `) stay where they are, after
their block. The test `lexicons_parse_and_are_sorted_without_duplicates`
checks the same order. Usage: scripts/sort-lexicons.py [FILE...]
(default: every list under crates/tactful/lexicons).
"""
import pathlib, sys

def is_pattern(line):
    t = line.strip()
    return bool(t) and not t.startswith('#') and not (t.startswith('[') and t.endswith(']')) \
        and not t.startswith('+ ') and not t.startswith('- ')

def sort_file(path):
    lines = path.read_text().split('\n')
    out, block = [], []
    for line in lines:
        if is_pattern(line):
            block.append(line)
            continue
        out.extend(sorted(dict.fromkeys(block)))
        block = []
        out.append(line)
    out.extend(sorted(dict.fromkeys(block)))
    path.write_text('\n'.join(out))

root = pathlib.Path(__file__).resolve().parent.parent / 'crates/tactful/lexicons'
files = [pathlib.Path(a) for a in sys.argv[1:]] or sorted(root.rglob('*.txt'))
for f in files:
    if f.name not in ('classes.txt', 'acronyms.txt'):
        sort_file(f)
