"""Derive layout/data/headline-words.txt from jieba's own dictionary (jieba is MIT licensed).

    python3 tools/headline_words.py            # writes layout/data/headline-words.txt

Headlines break only between words (layout/text/words.py). jieba segments them well with its own
dict.txt (349,046 words), but opening that dictionary builds a Python dict of half a million entries:
0.7–1.0 s a process even from jieba's cache, too much for a cold build. This file keeps jieba's words
of 1–4 characters with a frequency of at least 3 (the 40,502 words of frequency 2 are mostly spelled-out
numbers and rare names; the many words of frequency 3 are compounds such as 复杂度, 命令行, 第一版 that a
headline must not split, so a higher threshold would break them) and groups them by first character,
one line each, so the segmenter parses only the lines of the characters a headline holds. The header
keeps the full dictionary's total, so jieba's word probabilities are the ones its own dictionary gives.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "layout" / "data" / "headline-words.txt"
MAX_LEN = 4
MIN_FREQ = 3


def main() -> None:
    import jieba
    src = Path(jieba.__file__).with_name("dict.txt")
    total = 0
    groups: dict[str, list[str]] = defaultdict(list)
    kept = 0
    for line in src.read_text("utf-8").splitlines():
        word, freq = line.split(" ")[:2]
        total += int(freq)
        if len(word) == 1 or (len(word) <= MAX_LEN and int(freq) >= MIN_FREQ):
            groups[word[0]].append(f"{word} {freq}")
            kept += 1
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write(f"# total {total} · {kept} words of jieba {jieba.__version__} dict.txt "
                f"(MIT, https://github.com/fxsjy/jieba): 1-{MAX_LEN} characters, frequency >= {MIN_FREQ}; "
                f"one line per first character; made by tools/headline_words.py\n")
        for ch in sorted(groups):
            f.write(" ".join(groups[ch]) + "\n")
    print(f"{OUT.relative_to(ROOT)}: {kept} words, {len(groups)} lines, {OUT.stat().st_size:,} bytes",
          file=sys.stderr)


if __name__ == "__main__":
    main()
