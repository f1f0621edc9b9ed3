"""The overlap check of a page's blocks (load/pages.py): the same answer as comparing every pair,
with near-linearly many comparisons."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from layout.load.pages import PageReader
from layout.model.findings import InputError
from layout.model.spec import PhotoBlock, Rect, StoryBlock


def brute_force(blocks):
    """The old check: every pair, first in page order."""
    solid = [b for b in blocks if isinstance(b, PhotoBlock)]
    areas = [(b, r) for b in blocks if isinstance(b, StoryBlock) for r in b.regions] + [(b, b.rect) for b in solid]
    for i, (a, ra) in enumerate(areas):
        for b, rb in areas[i + 1:]:
            if a is not b and ra.overlaps(rb):
                return f"block '{b.id}' overlaps block '{a.id}'"
    return None


def swept(blocks):
    try:
        PageReader.check_overlaps(None, blocks, "04")
    except InputError as e:
        return e.message.rsplit(" on page", 1)[0]
    return None


rects = st.builds(lambda x, y, w, h: Rect(x * 10.0, y * 10.0, w * 10.0, h * 10.0),
                  st.integers(0, 30), st.integers(0, 30), st.integers(1, 8), st.integers(1, 8))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.lists(rects, min_size=1, max_size=4)), max_size=12))
def test_same_answer_as_every_pair(spec):
    blocks = []
    for n, (is_story, regions) in enumerate(spec):
        if is_story:
            blocks.append(StoryBlock(id=f"s{n}", rect=regions[0], regions=tuple(regions)))
        else:
            blocks.append(PhotoBlock(id=f"p{n}", rect=regions[0]))
    assert swept(blocks) == brute_force(blocks)


def test_comparisons_grow_near_linearly(monkeypatch):
    """2,000 blocks side by side in ten rows: every-pair compared 2 million times, the sweep a few thousand."""
    calls = 0
    real = Rect.overlaps

    def counting(self, other, tol=0.01):
        nonlocal calls
        calls += 1
        return real(self, other, tol)
    monkeypatch.setattr(Rect, "overlaps", counting)
    blocks = [PhotoBlock(id=f"p{i}", rect=Rect((i % 200) * 5.0, (i // 200) * 5.0, 4.0, 4.0)) for i in range(2000)]
    assert swept(blocks) is None
    assert calls < 20_000, calls
