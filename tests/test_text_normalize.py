"""Copy as it arrives (typesetting.md §10): expected output and every change reported."""
import pytest

from layout.text.normalize import Change, normalize_copy

CASES = [
    # copy, expected text
    ("2021年12月23日至24日,腾讯公司", "2021年12月23日至24日，腾讯公司"),
    ("重庆市机电技工学校:厚德强技", "重庆市机电技工学校：厚德强技"),
    ("(俞 宗)", "（俞\u3000宗）"),
    ("（俞 宗）", "（俞\u3000宗）"),
    ("共1,000人,12:30开始", "共1,000人，12:30开始"),
    ("真的吗?好!", "真的吗？好！"),
    ("甲;乙", "甲；乙"),
    ("采用(GPS)技术", "采用（GPS）技术"),
    ("Hello, world (again)!", "Hello, world (again)!"),
    ('他说"好"。', "他说“好”。"),
    ("他说'好'。", "他说‘好’。"),
    ("it's", "it’s"),
    ('He said "yes".', "He said “yes”."),
    ("他 说", "他说"),
    ("采用 GPS 技术", "采用GPS技术"),
    ("价格\u00a0高", "价格高"),
    ("A\tB", "A B"),
    ("a  b", "a b"),
    ("\u3000\u3000正文开始", "正文开始"),
    ("零\u200b宽", "零宽"),
    ("已经清洁的文字。", "已经清洁的文字。"),
]


@pytest.mark.parametrize("copy,expected", CASES)
def test_normalize(copy, expected):
    out, changes = normalize_copy(copy)
    assert out == expected
    # every change is reported, against the original offsets, and replaying them gives the output
    chars = list(copy)
    for c in changes:
        assert copy[c.offset] == c.before and c.reason
        chars[c.offset] = c.after
    assert "".join(chars) == expected


def test_change_records():
    out, changes = normalize_copy("日,腾")
    assert changes == [Change(1, ",", "，", "fullwidth: , in Chinese text")]


def test_no_change_no_report():
    assert normalize_copy("他说：“好。”") == ("他说：“好。”", [])
