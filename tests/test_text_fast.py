"""The breaker's fast paths give exactly what the straightforward code they replaced gives (round 6 of
docs/performance.md): the same tables, the same line ends, the same floats in every Cluster. The
reference versions are in tests/text_reference.py. Random paragraphs (ideographs, every punctuation
class, —— ……, Latin words, URLs, spaces, a combining mark, characters with break rules of their own),
two kinds of advances, every option."""
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import text_reference as ref
from layout.text import breaker, totalfit
from layout.text.breaker import BreakOptions, break_paragraph
from layout.text.nominal import nominal_advance
from layout.text.prepare import prepare

TOKENS = (
    list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地万元年")
    + list("、，；：。？！“”‘’（）《》【】〔〕・·／％￥℃々ー") + ["——", "……", "—", "……"]
    + ["GPS", "CN50-0064", "12.5%", "2021", "iPhone", "a", "15", " ", "  ", "Hello world", "Kubernetes",
       "https://example.com/a/b?x=1#y", "it's", "e\u0301", "\u3000", "(", ")", "Software-defined"]
)
FAST = settings(max_examples=300, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

texts = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=90).map(lambda ts: "".join(ts))
measures = st.one_of(st.integers(min_value=1, max_value=24).map(float),
                     st.floats(min_value=1.0, max_value=24.0, allow_nan=False))
options = st.builds(
    BreakOptions,
    punctuation=st.sampled_from(["quanjiao", "kaiming", "banjiao"]),
    strict=st.booleans(),
    indent=st.sampled_from([0.0, 2.0]),
    trim_opening_at_line_start=st.booleans(),
    justify=st.booleans(),
    hanging=st.booleans(),
    align_last=st.sampled_from(["left", "right", "center", "justify"]),
)


def proportional(ch: str) -> float:
    """Latin letters narrower than ½ em and marks of a proportional face (0.35 em quotes)."""
    if re.fullmatch(r"[A-Za-z]", ch[0]):
        return 0.55
    if ch in "“”‘’":
        return 0.35
    return nominal_advance(ch)


advances = st.sampled_from([nominal_advance, proportional])


@FAST
@given(texts, advances, st.sampled_from(["quanjiao", "kaiming", "banjiao"]), st.booleans())
def test_prepare_gives_the_straightforward_tables(text, advance, style, strict):
    P = prepare(text, advance, style, strict)
    want = ref.prepare_fields(text, advance, style, strict)
    for name, value in want.items():
        assert getattr(P, name) == value, name
    assert P.tl == [a + b for a, b in zip(P.sl, P.take_l)]
    assert P.tr == [a + b for a, b in zip(P.sr, P.take_r[1:])]


@FAST
@given(texts, advances, options)
def test_total_fit_tables_and_breaks_are_the_straightforward_ones(text, advance, opts):
    P = prepare(text, advance, opts.punctuation, opts.strict)
    fast, slow = totalfit._Tables(P), ref.Tables(P)
    for name in ref.Tables.__slots__:
        assert getattr(fast, name) == getattr(slow, name), name
    for measure in (3.0, 7.5, 13.0, 22.25):
        assert totalfit.total_fit(P, measure, opts) == ref.total_fit(P, measure, opts)


@FAST
@given(texts, advances, measures, st.booleans())
def test_a_line_end_found_by_search_is_the_one_walking_finds(text, advance, avail, st_):
    P = prepare(text, advance)
    for a in range(P.n):
        for room in (avail, avail - 2.0, 0.25):
            assert breaker._fit(P, a, room, st_) == ref.fit(P, a, room, st_), (a, room)


@FAST
@given(texts, advances, measures, options)
# a line that starts at the second of two compressed marks (a proportional ” has no blank: （ gives up its own)
@example("的的的的”（的的的的）的的", proportional, 4.5, BreakOptions(indent=0.0))
def test_lines_are_set_with_the_straightforward_floats(text, advance, measure, opts):
    result = break_paragraph(text, measure, advance, opts)
    P = prepare(text, advance, opts.punctuation, opts.strict)
    starts = {o: i for i, o in enumerate(P.offs)}
    for i, line in enumerate(result.lines):
        a, b = starts[line.start], starts[line.end]
        hang = line.resolved == "hang"
        hyphen = line.clusters[-1].advance if line.clusters[-1].kind == "hyphen" else 0.0
        x0 = opts.indent if i == 0 else 0.0
        args = dict(x0=x0, avail=measure - x0, first=i == 0, last=i == len(result.lines) - 1, opts=opts,
                    resolved=line.resolved, hang=hang, hyphen=hyphen)
        want = ref.set_line(P, a, b, **args)
        assert line == want
        assert [c.x for c in line.clusters] == [c.x for c in want.clusters]   # (== would take -0.0 for 0.0)
        assert [repr(c) for c in line.clusters] == [repr(c) for c in want.clusters]


# -- copy normalisation and hygiene look only at the characters a pass can change ------------------------

def test_a_pass_finds_its_characters_in_the_copy_as_changed_so_far():
    import re as _re
    from layout.text.normalize import _Tokens
    t = _Tokens("中,文\u200b, b")
    assert t.at(_re.compile("[,]")) == [1, 4]
    t.set(1, "，", "fullwidth")
    t.set(3, "", "invisible")
    assert t.at(_re.compile("[,]")) == [4]          # the changed slot is no longer a candidate …
    assert t.at(_re.compile(" ")) == [5]            # … and a dropped one keeps every offset in place


def test_every_ascii_bracket_and_stop_beside_chinese_is_reported():
    from layout.text.hygiene import suspicious
    found = [(s.offset, s.what) for s in suspicious("见[1]和(2)文.完")]
    assert [o for o, _ in found] == [1, 3, 5, 7, 9]
    assert "'['" in found[0][1] and "']'" in found[1][1] and "'('" in found[2][1] and "')'" in found[3][1]
    assert "full stop" in found[4][1]
