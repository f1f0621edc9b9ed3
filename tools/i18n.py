#!/usr/bin/env python3
"""The message catalogs: extract the messages of layout/ into the .po files, and compile them to .mo.

    python3 tools/i18n.py update    # new messages into layout/locale/zh_CN/LC_MESSAGES/paiban.po (empty
                                    # msgstr, to translate), messages no longer in the code dropped
    python3 tools/i18n.py compile   # paiban.po → paiban.mo (shipped in the package, read by gettext)
    python3 tools/i18n.py check     # exit 1 when a message lacks a translation or the .mo is stale

Messages are the first argument of _("…") and N_("…") calls, found with ast (layout.model.i18n.messages);
reading, merging and compiling the catalogs is Babel's (babel.messages.pofile / mofile).
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layout.model.i18n import DOMAIN, LOCALE_DIR, messages  # noqa: E402

LANGUAGES = ("zh_CN",)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(lang: str):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po
    path = po_path(lang)
    if not path.is_file():
        return Catalog(locale=lang, domain=DOMAIN, project="paiban")
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def write_po(catalog, lang: str) -> None:
    from babel.messages.pofile import write_po as babel_write_po
    buf = io.BytesIO()
    babel_write_po(buf, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False,
                   ignore_obsolete=True)
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def compiled(catalog) -> bytes:
    from babel.messages.mofile import write_mo
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def update() -> None:
    found = messages(ROOT / "layout")
    for lang in LANGUAGES:
        old = read(lang)
        from babel.messages.catalog import Catalog
        new = Catalog(locale=lang, domain=DOMAIN, project="paiban", charset="utf-8", fuzzy=False,
                      creation_date=old.creation_date, revision_date=old.revision_date)
        for msgid, places in found.items():
            was = old.get(msgid)
            new.add(msgid, was.string if was else "", locations=[(p, 0) for p in places[:3]],
                    flags=("python-brace-format",) if "{" in msgid else ())
        write_po(new, lang)
        missing = sum(1 for m in new if m.id and not m.string)
        print(f"{po_path(lang).relative_to(ROOT)}: {len(found)} messages, {missing} to translate")


def compile_all() -> None:
    for lang in LANGUAGES:
        target = po_path(lang).with_suffix(".mo")
        target.write_bytes(compiled(read(lang)))
        print(target.relative_to(ROOT))


def problems() -> list[str]:
    found = messages(ROOT / "layout")
    out = []
    for lang in LANGUAGES:
        catalog = read(lang)
        for msgid, places in found.items():
            m = catalog.get(msgid)
            if m is None or not m.string:
                out.append(f"{lang}: no translation for {msgid!r} ({places[0]})")
        mo = po_path(lang).with_suffix(".mo")
        if not mo.is_file() or mo.read_bytes() != compiled(catalog):
            out.append(f"{lang}: {mo.relative_to(ROOT)} is not the compiled {po_path(lang).name}")
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        print("\n".join(found) or "catalogs complete")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
