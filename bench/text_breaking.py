"""Line-breaking speed: a broadsheet page's ~7,000 characters, and growth with paragraph length.

    python3 bench/text_breaking.py

Prints timings (a benchmark, not a test: speed is measured here, correctness in tests/).
"""
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from layout.text.breaker import BreakOptions, break_paragraph
from layout.text.nominal import nominal_advance as adv

POOL = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
        "，，，。。、；：“”（）")


def _page(seed=7, paragraphs=70, chars=100):
    rnd = random.Random(seed)
    paras = []
    for _ in range(paragraphs):
        body = "".join(rnd.choice(POOL) for _ in range(chars))
        paras.append(body.replace("的一", "——").replace("是在", "GPS2021年"))
    return paras


def page_time() -> tuple[int, float]:
    paras = _page()
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for p in paras:
            break_paragraph(p, 21, adv, BreakOptions())
        best = min(best, time.perf_counter() - t)
    return sum(map(len, paras)), best


def paragraph_times() -> list[tuple[int, float]]:
    rnd = random.Random(3)
    out = []
    for n in (5000, 10000, 20000, 40000):
        text = "".join(rnd.choice(POOL) for _ in range(n))
        t = time.perf_counter()
        res = break_paragraph(text, 21, adv)
        out.append((n, time.perf_counter() - t))
        assert res.lines[-1].end == len(text)
    return out


if __name__ == "__main__":
    chars, best = page_time()
    print(f"one page: {chars:,} characters in {best * 1000:.1f} ms (best of 3)")
    for n, t in paragraph_times():
        print(f"one paragraph of {n:>6,} characters: {t * 1000:7.1f} ms  ({t / n * 1e6:.2f} µs per character)")
