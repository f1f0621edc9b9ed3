"""Messages in the user's language: Chinese under a zh_* locale, English otherwise (gettext catalogs in
layout/locale/). Every message of the code has a Chinese translation, and no message is left unmarked."""
from __future__ import annotations

import ast
import gettext
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from layout.model.findings import Finding
from layout.model.i18n import LOCALE_DIR, catalog, language, messages

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "layout"
ZH = {"LANG": "zh_CN.UTF-8"}
EN = {"LANG": "C.UTF-8"}


# -- the catalog is complete and honest ----------------------------------------------------------------

def untranslated(package: Path, mo: Path) -> list[str]:
    """Messages of the code (every literal _() / N_() argument) without a Chinese translation."""
    with mo.open("rb") as f:
        zh = gettext.GNUTranslations(f)
    return [f"{places[0]}: {msgid!r}" for msgid, places in messages(package).items()
            if msgid not in zh._catalog or not zh._catalog[msgid]]


# where a message is made: call name → positions / keywords of its message arguments
MESSAGE_ARGS = {"InputError": ((0, 2), ("message", "hint")), "OutputError": ((0, 2), ("message", "hint")),
                "Finding": ((2,), ("message",)), "_finding": ((3,), ()), "add_argument": ((), ("help",)),
                "add_parser": ((), ("help", "description", "epilog")), "Mark": ((), ("label", "note")),
                "add_subparsers": ((), ("title",))}


def unmarked(path: Path) -> list[str]:
    """Message arguments written as plain strings or f-strings (not through _()) in one source file."""
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        positions, keywords = MESSAGE_ARGS.get(name, ((), ()))
        receiver = f.value if isinstance(f, ast.Attribute) else None
        sink = isinstance(receiver, (ast.Name, ast.Attribute)) and \
            (receiver.id if isinstance(receiver, ast.Name) else receiver.attr) == "sink"
        if name == "add" and node.args and (sink or isinstance(node.args[0], ast.Constant)
                                            and node.args[0].value in ("error", "warning", "info")):
            positions = (2,)   # the preflight sink: add(severity, code, message, …), severity a name or not
        args = [node.args[i] for i in positions if i < len(node.args)]
        args += [k.value for k in node.keywords if k.arg in keywords]
        for arg in args:
            literal = isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                                                         and re.search("[A-Za-z]{3}", arg.value))
            if literal:
                out.append(f"{path.relative_to(ROOT)}:{arg.lineno}: {name}() message not marked with _()")
    return out


def test_every_message_in_the_code_has_a_chinese_translation():
    missing = untranslated(PACKAGE, LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "paiban.mo")
    assert missing == [], ("messages without a Chinese translation — run `python3 tools/i18n.py update`, "
                           "translate them in layout/locale/zh_CN/LC_MESSAGES/paiban.po, then "
                           "`python3 tools/i18n.py compile`:\n" + "\n".join(missing))


def test_no_message_is_left_unmarked():
    found = [problem for path in sorted(PACKAGE.rglob("*.py")) for problem in unmarked(path)]
    assert found == [], "wrap these messages in _() (layout.model.i18n):\n" + "\n".join(found)


def test_the_shipped_mo_is_the_compiled_po():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import i18n as tool
    finally:
        sys.path.pop(0)
    assert tool.problems() == []


def test_translations_keep_the_placeholders():
    zh = catalog("zh")
    fields = re.compile(r"\{[^{}]*\}|%\(\w+\)\w|%s")
    plain = lambda text: text.replace("{{", "").replace("}}", "")  # noqa: E731  (literal braces)
    for msgid in messages(PACKAGE):
        assert sorted(fields.findall(plain(zh.gettext(msgid)))) == sorted(fields.findall(plain(msgid))), msgid


def test_the_checks_can_fail(tmp_path):
    """An f-string message and a message missing from the catalog are both caught."""
    pkg = tmp_path / "layout"
    pkg.mkdir()
    (pkg / "bad.py").write_text('from layout.model.i18n import _\n'
                                'def f(x):\n'
                                '    raise InputError(f"{x} is wrong", None, "fix it")\n'
                                'def g():\n'
                                '    return _("a message nobody translated")\n', "utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert len(unmarked(pkg / "bad.py")) == 2        # the message and the hint
    finally:
        ROOT = saved
    assert untranslated(pkg, LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "paiban.mo") == \
        ["layout/bad.py:5: 'a message nobody translated'"]


# -- the language follows the locale -------------------------------------------------------------------

@pytest.mark.parametrize("env, lang", [({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_TW.UTF-8"}, "zh"),
                                       ({"LANG": "C.UTF-8"}, "en"), ({"LANG": "en_US.UTF-8"}, "en"),
                                       ({"LANG": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
                                       ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"), ({}, "en")])
def test_language_from_the_environment(env, lang, monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert language() == lang


def run(env: dict, *args, cwd=ROOT) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    full.update(env, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=600)


def test_input_error_and_hint_in_both_languages(sample_copy):
    page = sample_copy / "04.yaml"
    page.write_text(page.read_text("utf-8").replace("  - type: story\n", "  - type: story\n    colr: 3\n", 1), "utf-8")
    cwd = sample_copy.parent.parent
    zh = run(ZH, "build", "issues/2022-01-14", "--out", "out", cwd=cwd)
    en = run(EN, "build", "issues/2022-01-14", "--out", "out", cwd=cwd)
    assert zh.returncode == en.returncode == 2
    assert "中有未知的键“colr”" in zh.stderr and "提示：" in zh.stderr and "您是不是要输入“col”？" in zh.stderr
    assert "unknown key 'colr'" in en.stderr and "hint: did you mean 'col'?" in en.stderr
    assert not re.search("[\u4e00-\u9fff]", en.stderr), en.stderr
    # the place and the source line are the same in both
    assert zh.stderr.splitlines()[1:3] == en.stderr.splitlines()[1:3]


def test_usage_errors_and_help_in_both_languages():
    zh, en = run(ZH, "buidl"), run(EN, "buidl")
    assert zh.returncode == en.returncode == 2
    assert "用法：paiban" in zh.stderr and "无效的选项值：“buidl”" in zh.stderr and "您是不是要输入“build”" in zh.stderr
    assert "usage: paiban" in en.stderr and "invalid choice: 'buidl'" in en.stderr and "did you mean 'build'" in en.stderr
    zh, en = run(ZH, "preflight", "--help"), run(EN, "preflight", "--help")
    zh_text, en_text = " ".join(zh.stdout.split()), " ".join(en.stdout.split())
    assert "允许的最高总墨量（百分比）（默认：240.0）" in zh_text and "选项:" in zh_text
    assert "highest total ink coverage allowed, in per cent (default: 240.0)" in en_text


def test_findings_in_both_languages_and_json_neutral(sample_copy, tmp_path):
    # a cache of its own: a photo sidecar written by another test names that test's copy of the photo
    cache = {"PAIBAN_CACHE": str(tmp_path / "cache")}
    zh = run({**ZH, **cache}, "check", sample_copy, "--format", "json")
    en = run({**EN, **cache}, "check", sample_copy, "--format", "json")
    zj, ej = json.loads(zh.stdout), json.loads(en.stdout)
    assert len(zj["findings"]) == len(ej["findings"]) > 0
    strip = lambda d: {k: v for k, v in d.items() if k != "message"}  # noqa: E731
    assert [strip(f) for f in zj["findings"]] == [strip(f) for f in ej["findings"]]   # codes, severities, figures
    # (the sample has no loose line since whole-paragraph breaking: the copy fixes are compared instead)
    fix_zh = next(f["message"] for f in zj["findings"] if f["code"] == "copy-normalized")
    fix_en = next(f["message"] for f in ej["findings"] if f["code"] == "copy-normalized")
    assert "处标点/空格修正" in fix_zh and "punctuation/spacing fixes applied" in fix_en
    text = run(ZH, "check", sample_copy).stdout
    assert "个错误" in text and "警告" in text and "位于 " in text


def test_finding_text_in_chinese(monkeypatch):
    f = Finding("warning", "low-ppi", "x", page="04", story="lead")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert str(f) == "warning page 04 story lead: x [low-ppi]"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert str(f) == "警告 第 04 版 稿件 lead: x [low-ppi]"
