"""Load an issue folder: YAML (publication, issue, pages) + copy files → IssueSpec.

Input: the issue folder path. Output: IssueSpec (frozen dataclasses, points).
Every problem raises InputError naming file:line and what to do. The Loader is put together from
one part per file kind: publication (publication.py), pages (pages.py), copy and photos (files.py).
"""
from __future__ import annotations

import datetime
from pathlib import Path

from layout.load import schema
from layout.load.yamlsafe import load_yaml, where_of
from layout.model.findings import InputError, Where
from layout.model.spec import IssueSpec, PageSpec
from layout.model.i18n import _
from layout.load.files import FileReader
from layout.load.pages import PageReader
from layout.load.publication import PublicationReader
from layout.load.reader import stamp as _stamp

MAX_PAGES = 200           # checked first, before the publication or any page file is read


class LoadCache:
    """Pages loaded before, for `paiban watch`: a page is parsed again only when its YAML, the
    issue's entry for it, the publication, or a file it names (copy, photo, ad) has changed."""

    def __init__(self):
        self.pages: dict = {}   # page file → (key, PageSpec, findings, stamps of the files it names)

    def get(self, path: Path, key: tuple):
        hit = self.pages.get(str(path))
        if hit is None or hit[0] != key:
            return None
        try:
            if any(_stamp(Path(dep[0])) != dep for dep in hit[3]):
                return None
        except OSError:
            return None
        return hit[1], hit[2]

    def put(self, path: Path, key: tuple, page: PageSpec, findings: list) -> None:
        deps = [_stamp(Path(f)) for b in page.blocks
                for f in (getattr(b, "copy", None), getattr(b, "file", None)) if f]
        self.pages[str(path)] = (key, page, list(findings), deps)


class Loader(PublicationReader, PageReader, FileReader):
    def issue(self) -> IssueSpec:
        if not self.folder.is_dir():
            raise InputError(_("issue folder '{folder}' not found", folder=self.folder), Where(str(self.folder)),
                             _('give the folder that holds issue.yaml, e.g. issues/2022-01-14'))
        issue_path = self.folder / "issue.yaml"
        doc = load_yaml(issue_path, self.shown(issue_path))
        if isinstance(doc.get("pages"), list) and len(doc["pages"]) > MAX_PAGES:  # before any other work
            raise InputError(_('{n_pages} pages: more than {MAX_PAGES} in one issue', n_pages=len(doc['pages']), MAX_PAGES=MAX_PAGES),
                             where_of(doc, "pages"), _('split the issue or check the list'))
        schema.validate(doc, "issue")
        try:
            date = datetime.date.fromisoformat(str(doc["date"]))
        except ValueError:
            raise InputError(_('date {date!r} is not a date like 2022-01-14', date=doc['date']), where_of(doc, "date"),
                             _('write the date as YYYY-MM-DD')) from None
        pub_path = self.find_publication(doc)
        pub = self.publication(pub_path)
        self.pub_stamp = _stamp(pub_path)
        pages, seen = [], {}
        for i, raw in enumerate(doc["pages"]):
            where = where_of(doc["pages"], i)
            number = raw["page"].zfill(2)
            if number in seen:
                raise InputError(_('page {number} is listed twice (first at line {line})', number=number, line=seen[number].line), where,
                                 _('give each page its own number'))
            seen[number] = where
            pages.append(self.page(raw, number, pub, where))
        return IssueSpec(folder=self.folder, date=date.isoformat(), number=int(doc.get("number", 1)),
                         serial=int(doc.get("serial", doc.get("number", 1))), publication=pub,
                         pages=tuple(pages), findings=tuple(self.findings))


def load_issue(folder: Path, strict: bool = False, cache: LoadCache | None = None) -> IssueSpec:
    return Loader(folder, strict, cache).issue()
