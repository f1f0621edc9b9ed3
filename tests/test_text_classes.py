"""Character classes (clreq §3.1, GB/T 15834)."""
import pytest

from layout.text import classes as C

KINDS = [
    ("中", "han"), ("〇", "han"), ("、", "stop"), ("，", "stop"), ("；", "stop"), ("：", "stop"),
    ("。", "stop"), ("？", "stop"), ("！", "stop"), ("．", "stop"),
    ("“", "open"), ("‘", "open"), ("（", "open"), ("〔", "open"), ("【", "open"), ("〖", "open"),
    ("《", "open"), ("〈", "open"), ("「", "open"), ("『", "open"), ("［", "open"), ("｛", "open"),
    ("”", "close"), ("’", "close"), ("）", "close"), ("〕", "close"), ("】", "close"), ("〗", "close"),
    ("》", "close"), ("〉", "close"), ("」", "close"), ("』", "close"), ("］", "close"), ("｝", "close"),
    ("—", "dash"), ("\u2e3a", "dash"), ("…", "ellipsis"), ("⋯", "ellipsis"),
    ("–", "connector"), ("～", "connector"), ("·", "interpunct"), ("／", "solidus"),
    ("A", "latin"), ("é", "latin"), ("7", "digit"), ("７", "fullwidth"), ("Ａ", "fullwidth"),
    ("%", "lpunct"), (".", "lpunct"), ("-", "lpunct"), (" ", "space"), ("\u3000", "ideospace"),
    ("％", "symbol"), ("℃", "symbol"),
]


@pytest.mark.parametrize("ch,kind", KINDS)
def test_kind_of(ch, kind):
    assert C.kind_of(ch) == kind


def test_tables_disjoint():
    groups = [C.STOPS, C.OPENING, C.CLOSING, C.DASH + C.DASH_2EM, C.ELLIPSIS, C.CONNECTOR]
    seen = set()
    for g in groups:
        assert not (set(g) & seen)
        seen |= set(g)


def test_combining_marks_join():
    assert C.joins_previous("\u0301") and C.joins_previous("\ufe0f")
    assert not C.joins_previous("a")
