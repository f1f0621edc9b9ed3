"""Character classes for Chinese composition, as data.

Sources: W3C clreq (Requirements for Chinese Text Layout) §3.1 (punctuation
classes and glyph positions), §3.2 (line breaking, 避头尾), §3.3 (mixed text);
GB/T 15834-2011 §5 (punctuation placement). Mainland (Simplified Chinese)
glyph positions: stops sit in the left half of their em, opening brackets in
the right half, closing brackets in the left half.

Every character gets one kind name; the breaker works on kinds plus the few
per-character tables below.
"""
from __future__ import annotations

import unicodedata

# --- punctuation classes (clreq §3.1.1, GB/T 15834 §4) ----------------------
STOP_IN = "、，；："              # 句内点号: blank in the right half
STOP_END = "。？！．"             # 句末点号: blank in the right half
STOPS = STOP_IN + STOP_END
QUERY_BANG = "？！"               # GB §5.1.2: ？！ / ！！ side by side take 1 em together
OPENING = "“‘（〔【〖《〈「『［｛"   # blank in the left half
CLOSING = "”’）〕】〗》〉」』］｝"   # blank in the right half
DASH = "—"                        # U+2014; a pair of them is the 2-em dash 破折号
DASH_2EM = "\u2e3a\u2e3b"         # ⸺ ⸻ two/three-em dash as one character
ELLIPSIS = "\u2026\u22ef"         # … ⋯ ; a pair is the 2-em ellipsis 省略号
CONNECTOR = "\u2013\uff5e~"       # – ～ (and a single U+2014): 连接号, fixed width
INTERPUNCT = "\u00b7\u30fb\u2027"  # · ・ ‧ 间隔号: ½ em on the mainland
SOLIDUS = "／"                    # 分隔号 (ASCII "/" inside Latin belongs to the word)
HANGABLE = "、，。"               # only these may hang when a style allows (clreq §3.2.4)

# Latin punctuation that cannot start a line (it closes or follows something).
LATIN_NO_START = ",.;:!?)]}%"
# Latin/currency marks that cannot end a line (they open or precede something).
LATIN_NO_END = "([{$#"
# Non-Latin symbols glued to the number before them (12.5％, 25℃).
POSTFIX = "％‰℃℉°′″"
# Symbols glued to the number after them (￥15).
PREFIX = "￥＄£€¥"
# Other characters that never start a line (iteration mark, small kana).
NO_START_EXTRA = "々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー"

# A number stays with these when it can (“15万元”: break before 万 only if
# nothing else works — typesetting.md §2). Numeral multipliers and the most
# common units/measure words in news copy.
NUMERAL_UNITS = set("万亿千百十余多") | set("元角分米克吨斤亩岁倍年月日时秒号个人次家名件项位座台辆套条种户")

# Kinds. Breaker, justifier and tests all use these names.
HAN = "han"                # ideograph (and kana/hangul syllables): 1 em, never scaled
FULLWIDTH = "fullwidth"    # full-width letters/digits (１２Ａ): set as written, like ideographs
LATIN = "latin"
DIGIT = "digit"
LPUNCT = "lpunct"          # ASCII / Latin punctuation and symbols: part of a Latin run
SPACE = "space"            # ASCII and other word spaces
IDEOSPACE = "ideospace"    # U+3000 full-width space (e.g. byline 俞　宗)
STOP = "stop"
OPEN = "open"
CLOSE = "close"
DASH_KIND = "dash"         # member of a ——  unit (never split, never stretched)
ELLIPSIS_KIND = "ellipsis"
CONNECTOR_KIND = "connector"
INTERPUNCT_KIND = "interpunct"
SOLIDUS_KIND = "solidus"
SYMBOL = "symbol"          # other non-Latin symbols (％ ℃ ￥ …)
OTHER = "other"

PUNCT_KINDS = frozenset({STOP, OPEN, CLOSE, DASH_KIND, ELLIPSIS_KIND, CONNECTOR_KIND,
                         INTERPUNCT_KIND, SOLIDUS_KIND, SPACE, IDEOSPACE})
LATIN_RUN_KINDS = frozenset({LATIN, DIGIT, LPUNCT})   # one unbreakable word when adjacent
HAN_SIDE_KINDS = frozenset({HAN, FULLWIDTH})          # ¼ em against a Latin run (clreq §3.3)
BLANK_LEFT_KINDS = frozenset({OPEN})
BLANK_RIGHT_KINDS = frozenset({STOP, CLOSE})

_TABLE = {}
for _chars, _kind in ((STOPS, STOP), (OPENING, OPEN), (CLOSING, CLOSE), (DASH, DASH_KIND),
                      (DASH_2EM, DASH_KIND), (ELLIPSIS, ELLIPSIS_KIND), (CONNECTOR, CONNECTOR_KIND),
                      (INTERPUNCT, INTERPUNCT_KIND), (SOLIDUS, SOLIDUS_KIND),
                      (POSTFIX + PREFIX, SYMBOL), ("\u3000", IDEOSPACE)):
    for _c in _chars:
        _TABLE[_c] = _kind
_TABLE["~"] = LPUNCT   # ASCII tilde inside Latin is just Latin punctuation

_HAN_RANGES = (
    (0x3007, 0x3007), (0x3040, 0x30FF), (0x3105, 0x312F), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF),
)


def _compute(ch: str) -> str:
    if ch in _TABLE:
        return _TABLE[ch]
    o = ord(ch)
    for lo, hi in _HAN_RANGES:
        if lo <= o <= hi:
            return HAN
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return FULLWIDTH
    if "0" <= ch <= "9":
        return DIGIT
    if ch.isspace():
        return SPACE
    cat = unicodedata.category(ch)
    if cat[0] == "L":
        return LATIN
    if cat == "Nd":
        return DIGIT
    if o < 0x2000 and cat[0] in "PS":
        return LPUNCT      # ASCII, Latin-1 and Greek/Cyrillic-range punctuation and symbols
    if cat[0] in "PS":
        return SYMBOL
    return OTHER


_CACHE: dict[str, str] = {}


def kind_of(ch: str) -> str:
    """The class of one character, out of context (quotes are decided in context by the breaker)."""
    k = _CACHE.get(ch)
    if k is None:
        k = _CACHE[ch] = _compute(ch)
    return k


def kinds_of(chars: list[str], distinct: set[str]) -> list[str]:
    """kind_of of each character of a list (a paragraph: one dict lookup each, in C); distinct: set(chars)."""
    cache = _CACHE
    for ch in distinct.difference(cache):  # (a dict: each of `distinct` is looked up, not the dict copied)
        cache[ch] = _compute(ch)
    return list(map(cache.__getitem__, chars))


def is_chinese(ch: str) -> bool:
    """An ideograph or a full-width Chinese punctuation mark (used by normalisation)."""
    k = kind_of(ch)
    return k in (HAN, FULLWIDTH, STOP, OPEN, CLOSE, IDEOSPACE) or (k in (DASH_KIND, ELLIPSIS_KIND)) \
        or ch in "～·／％￥"


def joins_previous(ch: str) -> bool:
    """Combining marks and variation selectors draw with the character before them."""
    o = ord(ch)
    return (0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF or o == 0x200D
            or unicodedata.combining(ch) != 0)
