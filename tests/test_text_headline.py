"""Headline breaking (balanced, author's breaks first, 避头尾) and fitting."""
import pytest

from layout.text.headline import break_headline, fit_headline
from layout.text.nominal import nominal_advance as adv

BREAKS = [
    # text, measure, max_lines, expected lines
    ("中国经济稳中向好", 10, 3, ["中国经济稳中向好"]),
    ("中国经济稳中向好", 5, 3, ["中国经济", "稳中向好"]),                  # balanced 4/4, not 5/3
    ("科技创新 引领未来 发展", 8, 3, ["科技创新", "引领未来 发展"]),       # at the author's space
    ("科技创新 引领未来", 20, 3, ["科技创新 引领未来"]),                   # fits: no break
    ("第一行\n第二行", 20, 3, ["第一行", "第二行"]),                       # explicit newline
    ("一二三四五六七八九十甲", 10, 3, ["一二三四五", "六七八九十甲"]),
    ("一二三四五六七八九，十", 9, 3, ["一二三四五六", "七八九，十"]),       # ， never starts a line (and
                                                                          # jieba: 一二三四|五六|七八|九)
    ("一二三四“五六”", 5, 3, ["一二三四", "“五六”"]),                   # “ never ends a line
    ("他说“我们一定能赢”", 6, 3, ["他说“我们", "一定能赢”"]),             # 5 / 4.5 em: balanced
]


@pytest.mark.parametrize("text,measure,max_lines,expected", BREAKS)
def test_break_headline(text, measure, max_lines, expected):
    lines = break_headline(text, measure, adv, max_lines)
    assert [text[s:e] for s, e in lines] == expected


def test_never_a_stranded_single_character():
    for measure in range(2, 12):
        for s, e in break_headline("一二三四五六七八九十甲", measure, adv, 6):
            assert e - s >= 2


def test_fit_as_set():
    fit = fit_headline("中国经济稳中向好", 8, adv, max_lines=1)
    assert fit.fits and fit.scale == 1.0 and fit.tracking == 0.0 and fit.findings == ()


def test_fit_by_tracking():
    # 8 characters in 7.9 em: 7 gaps × -0.02 em = -0.14 em is enough
    fit = fit_headline("中国经济稳中向好", 7.9, adv, max_lines=1)
    assert fit.fits and fit.scale == 1.0 and fit.tracking == pytest.approx(-0.02)
    assert fit.widths[0] <= 7.9


def test_fit_by_scale():
    fit = fit_headline("中国经济稳中向好", 7, adv, max_lines=1)
    assert fit.fits and fit.tracking == -0.05
    assert 0.8 <= fit.scale < 1.0
    # the scaled line is within the measure, and not much smaller than needed
    assert fit.widths[0] * fit.scale <= 7 + 1e-9
    assert fit.widths[0] * fit.scale > 7 - 0.02


def test_overset_reported():
    fit = fit_headline("中国经济稳中向好", 4, adv, max_lines=1)
    assert not fit.fits and fit.findings and fit.findings[0].startswith("headline-overset")


def test_headline_shrinks_before_it_takes_another_line():
    # 10 em in a 9.5 em measure: tightening to -0.05 em (9.55 em) and 99.4 % size keep it on one line;
    # before, it was broken into two lines at full size (5 + 5)
    from layout.text.headline import fit_headline
    from layout.text.nominal import nominal_advance
    fit = fit_headline("一二三四五六七八九十", 9.5, nominal_advance, max_lines=3, min_scale=0.8)
    assert fit.fits and len(fit.lines) == 1
    assert fit.tracking == -0.05 and 0.99 <= fit.scale < 1.0
    assert fit.widths[0] * fit.scale <= 9.5 + 1e-9
    # beyond scale_min it does take the second line, at full size
    fit = fit_headline("一二三四五六七八九十", 7.0, nominal_advance, max_lines=3, min_scale=0.8)
    assert fit.fits and len(fit.lines) == 2 and fit.scale == 1.0


# 标题按词分行: automatic breaks fall between words (jieba's segmentation, layout/text/words.py)

def lines_of(text, spans):
    return [text[s:e] for s, e in spans]


def test_headline_breaks_between_words():
    # balanced on legal breaks alone this was 各方共同参|与乡村振兴 (5 + 5 em): 参与 split
    text = "各方共同参与乡村振兴"
    assert lines_of(text, break_headline(text, 6, adv, 2)) == ["各方共同", "参与乡村振兴"]
    fit = fit_headline(text, 6, adv, max_lines=2)
    assert lines_of(text, fit.lines) == ["各方共同", "参与乡村振兴"] and fit.scale == 1.0


def test_headline_shrinks_rather_than_split_a_word():
    # 5 em: 各方共同 | 参与乡村振兴 needs 6 em; at 87 % size with -0.05 em tracking it fits
    text = "各方共同参与乡村振兴"
    fit = fit_headline(text, 5, adv, max_lines=2)
    assert lines_of(text, fit.lines) == ["各方共同", "参与乡村振兴"]
    assert fit.fits and 0.8 <= fit.scale < 0.9 and fit.widths[1] * fit.scale <= 5 + 1e-9


def test_headline_keeps_a_word_jieba_does_not_know():
    # jieba (HMM off) gives 履职|于|行: the run of one-character pieces 于行 stays together; before,
    # three lines of 3 em were 履职于|行 躬|身慈善
    text = "履职于行 躬身慈善"
    fit = fit_headline(text, 3, adv, max_lines=4)
    assert lines_of(text, fit.lines) == ["履职", "于行", "躬身", "慈善"] and fit.scale == 1.0


def test_editor_line_broken_inside_between_words():
    # the editor's \n comes first; the first line is still too long and is broken between words
    text = "各方共同参与乡村振兴\n重庆这样办"
    fit = fit_headline(text, 6, adv, max_lines=3)
    assert lines_of(text, fit.lines) == ["各方共同", "参与乡村振兴", "重庆这样办"]


def test_word_breaks_fall_back_to_legal_breaks():
    # no breaking between words fits three lines of 3 em, not even at 80 %: legal breaks then
    text = "履职于行 躬身慈善"
    fit = fit_headline(text, 3, adv, max_lines=3)
    assert fit.fits and len(fit.lines) == 3


def test_segmenter_only_when_a_headline_needs_an_automatic_break(monkeypatch):
    import layout.text.headline as H

    def no(text):
        raise AssertionError(f"segmented {text!r}")
    monkeypatch.setattr(H, "word_ends", no)
    for text, measure in (("中国经济稳中向好", 8), ("构建慈善发展大格局\n重庆这样办", 9), ("履职于行 躬身慈善", 4)):
        assert fit_headline(text, measure, adv, max_lines=3).fits
    with pytest.raises(AssertionError, match="segmented"):
        fit_headline("各方共同参与乡村振兴", 6, adv, max_lines=2)
