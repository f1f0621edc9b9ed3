"""Messages in the user's language: gettext with the catalogs in layout/locale/.

Chinese (zh_CN catalog) when the locale asks for any zh_* (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, the
first one set wins, as in gettext); English — the msgids themselves — otherwise. The language is read
from the environment on every call (cheap, cached per value), so a test may switch it in-process.

Messages use str.format placeholders: `_("{path}: not found", path=p)` formats after translating.
`N_` only marks a message for extraction; it is translated with `_` where it is shown.
Codes (overset, low-ppi) and JSON keys stay English; only messages are translated.
"""
from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "paiban"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
_catalogs: dict[str, gettext.NullTranslations] = {}


def language() -> str:
    """'zh' or 'en', from the environment the way gettext reads it."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.split(":")[0].lower().startswith("zh") else "en"
    return "en"


def catalog(lang: str | None = None) -> gettext.NullTranslations:
    lang = lang or language()
    found = _catalogs.get(lang)
    if found is None:
        if lang == "zh":
            found = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=["zh_CN"], fallback=True)
        else:
            found = gettext.NullTranslations()
        _catalogs[lang] = found
    return found


def _(msgid: str, /, **values) -> str:
    """The message in the user's language, with {placeholders} filled in."""
    text = catalog().gettext(msgid)
    return text.format(**values) if values else text


def N_(message: str) -> str:
    """Mark a message for the catalog; translate it with _ where it is shown."""
    return message


def messages(package: Path) -> dict[str, list[str]]:
    """Every message of the code: the literal first argument of each _() and N_() call under `package`
    → the places (file:line) that use it. For tools/i18n.py and the test that every one is translated."""
    import ast
    found: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_") \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                place = f"{path.relative_to(package.parent)}:{node.lineno}"
                found.setdefault(node.args[0].value, []).append(place)
    return found
