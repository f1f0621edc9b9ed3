"""A broadsheet page holds ~7,000 characters: breaking them must be quick (linear)."""
import random
import time

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


def test_page_of_7000_characters_is_fast():
    paras = _page()
    assert sum(map(len, paras)) >= 7000
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for p in paras:
            break_paragraph(p, 21, adv, BreakOptions())
        best = min(best, time.perf_counter() - t)
    assert best < 0.1, f"{best:.3f} s for a page"


def test_linear_in_paragraph_length():
    rnd = random.Random(3)
    text = "".join(rnd.choice(POOL) for _ in range(20000))
    t = time.perf_counter()
    res = break_paragraph(text, 21, adv)
    assert time.perf_counter() - t < 0.5
    assert res.lines[-1].end == len(text)
