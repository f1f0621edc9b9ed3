"""Load an issue folder: YAML (publication, issue, pages) + copy files → IssueSpec.

Input: the issue folder path. Output: IssueSpec (frozen dataclasses, points).
Every problem raises InputError naming file:line and what to do. The Loader is put together from
one part per file kind: publication (publication.py), pages (pages.py), copy and photos (files.py).
"""
from __future__ import annotations

import datetime
import difflib
import os
from dataclasses import replace
from pathlib import Path

from layout.load import schema
from layout.load.yamlsafe import load_yaml, where_of
from layout.model.findings import InputError, Where
from layout.model.spec import HeadlineBlock, IndexBlock, IndexItem, IssueSpec, PageSpec, StoryBlock
from layout.model.i18n import _
from layout.load.files import FileReader
from layout.load.jumps import check_jumps
from layout.load.pages import PageReader
from layout.load.publication import PublicationReader
from layout.load.reader import stamp as _stamp

MAX_PAGES = 200           # checked first, before the publication or any page file is read


class LoadCache:
    """Pages loaded before, for `paiban watch`: a page is parsed again only when its YAML, the
    issue's entry for it, the publication, or a file it names (copy, photo, ad) has changed."""

    def __init__(self):
        self.pages: dict = {}   # page file → (key, PageSpec, findings, stamps of the files it names)
        self.indexed: dict = {}  # page file → (PageSpec as loaded, its 导读 resolved, the PageSpec resolved)
        self.issue_doc: tuple | None = None     # (stamp of issue.yaml, its validated YAML tree)
        self.page_docs: dict = {}    # page file → (its stamp, its validated YAML tree)
        self.publication: dict = {}  # publication.yaml → (strict, stamps of it and its profile, Publication, findings)

    def issue_yaml(self, path: Path):
        """issue.yaml's validated tree as loaded last, if the file has not changed since."""
        try:
            now = _stamp(path)
        except OSError:
            return None
        return self.issue_doc[1] if self.issue_doc is not None and self.issue_doc[0] == now else None

    def get_publication(self, path: Path, strict: bool):
        hit = self.publication.get(str(path))
        if hit is None or hit[0] != strict:
            return None
        if not _unchanged(hit[1]):
            return None
        return hit[2], hit[3]

    def get(self, path: Path, key: tuple):
        hit = self.pages.get(str(path))
        if hit is None or hit[0] != key:
            return None
        if not _unchanged(hit[3]):
            return None
        return hit[1], hit[2]

    def put(self, path: Path, key: tuple, page: PageSpec, findings: list) -> None:
        deps = [_stamp(Path(f)) for b in page.blocks
                for f in (getattr(b, "copy", None), getattr(b, "file", None)) if f]
        self.pages[str(path)] = (key, page, list(findings), deps)


def _unchanged(stamps) -> bool:
    """Every (path, mtime, size) stamp still true of its file (os.stat on the string: a page names
    some ten files, and a rebuild checks them all)."""
    try:
        for path, mtime, size in stamps:
            st = os.stat(path)
            if st.st_mtime_ns != mtime or st.st_size != size:
                return False
    except OSError:
        return False
    return True


class Loader(PublicationReader, PageReader, FileReader):
    def issue(self) -> IssueSpec:
        if not self.folder.is_dir():
            raise InputError(_("issue folder '{folder}' not found", folder=self.folder), Where(str(self.folder)),
                             _('give the folder that holds issue.yaml, e.g. issues/2022-01-14'))
        issue_path = self.folder / "issue.yaml"
        doc = self.cache.issue_yaml(issue_path) if self.cache is not None else None
        if doc is None:
            doc = self.issue_yaml(issue_path)
        try:
            date = datetime.date.fromisoformat(str(doc["date"]))
        except ValueError:
            raise InputError(_('date {date!r} is not a date like 2022-01-14', date=doc['date']), where_of(doc, "date"),
                             _('write the date as YYYY-MM-DD')) from None
        pub_path = self.find_publication(doc)
        pub = self.cached_publication(pub_path)
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
        check_jumps(pages)
        pages = resolve_indexes(pages, self.cache.indexed if self.cache is not None else None)
        return IssueSpec(folder=self.folder, date=date.isoformat(), number=int(doc.get("number", 1)),
                         serial=int(doc.get("serial", doc.get("number", 1))), publication=pub,
                         pages=tuple(pages), findings=tuple(self.findings))

    def issue_yaml(self, issue_path: Path):
        """Parse and validate issue.yaml (kept in the LoadCache while the file is unchanged)."""
        before = _stamp(issue_path) if self.cache is not None and issue_path.is_file() else None
        doc = load_yaml(issue_path, self.shown(issue_path))
        if isinstance(doc.get("pages"), list) and len(doc["pages"]) > MAX_PAGES:  # before any other work
            raise InputError(_('{n_pages} pages: more than {MAX_PAGES} in one issue', n_pages=len(doc['pages']), MAX_PAGES=MAX_PAGES),
                             where_of(doc, "pages"), _('split the issue or check the list'))
        schema.validate(doc, "issue")
        if before is not None:  # the stamp taken before reading: a save during the read is a change
            self.cache.issue_doc = (before, doc)
        return doc

    def cached_publication(self, path: Path):
        """The Publication (and the findings loading it gave), kept in the LoadCache while
        publication.yaml and the profile it names are unchanged."""
        if self.cache is None:
            return self.publication(path)
        hit = self.cache.get_publication(path, self.strict)
        if hit is not None:
            self.findings.extend(hit[1])
            return hit[0]
        before, at = _stamp(path), len(self.findings)
        pub = self.publication(path)
        deps = [before] + ([_stamp(Path(pub.profile))] if pub.profile else [])
        self.cache.publication[str(path)] = (self.strict, deps, pub, self.findings[at:])
        return pub


def resolve_indexes(pages: list[PageSpec], memo: dict | None = None) -> list[PageSpec]:
    """导读: each entry's 版次 from the page its story is on, and its title from that story's headline;
    a story that no page has (or two pages have, with no page: to choose) is an input error.
    With a memo (LoadCache), a page whose entries resolve as before comes back as the same object."""
    if not any(isinstance(b, IndexBlock) for p in pages for b in p.blocks):
        return pages
    out = []
    for page in pages:
        if not any(isinstance(b, IndexBlock) for b in page.blocks):
            out.append(page)
            continue
        resolved = tuple(tuple(_resolve(item, pages) for item in b.items) if isinstance(b, IndexBlock) else None
                         for b in page.blocks)
        hit = memo.get(str(page.file)) if memo is not None else None
        if hit is not None and hit[0] is page and hit[1] == resolved:
            out.append(hit[2])
            continue
        blocks = tuple(replace(b, items=r) if r is not None else b for b, r in zip(page.blocks, resolved))
        new = replace(page, blocks=blocks)
        if memo is not None:
            memo[str(page.file)] = (page, resolved, new)
        out.append(new)
    return out


def _resolve(item: IndexItem, pages) -> IndexItem:
    found = [p for p in pages if (not item.page or p.number == item.page)
             and any(isinstance(b, StoryBlock) and b.id == item.story for b in p.blocks)]
    if not found:
        where = _(" on page {page}", page=item.page) if item.page else _(" on any page of the issue")
        known = sorted({b.id for p in pages for b in p.blocks if isinstance(b, StoryBlock)})
        near = difflib.get_close_matches(item.story, known, n=1)
        raise InputError(_("导读 entry: story '{story}' not found{where}", story=item.story, where=where), item.where,
                         f"did you mean '{near[0]}'?" if near else f"stories in this issue: {', '.join(known)}")
    if len(found) > 1:
        raise InputError(_("导读 entry: story '{story}' is on pages {join}", story=item.story, join=', '.join(p.number for p in found)),
                         item.where, _('add page: to say which one'))
    page = found[0]
    title = item.title
    if not title:
        heads = [b for b in page.blocks if isinstance(b, HeadlineBlock) and b.story == item.story and b.main]
        if not heads:
            raise InputError(_("导读 entry: story '{story}' on page {number} has no headline to quote", story=item.story, number=page.number),
                             item.where, _('give the entry a title:'))
        title = heads[0].main.replace("\\n", "\u3000").replace("\n", "\u3000")  # lines joined by a 全角 space
    return replace(item, page=page.number, title=title)


def load_issue(folder: Path, strict: bool = False, cache: LoadCache | None = None,
               disk_cache: Path | None = None) -> IssueSpec:
    """The issue, checked. cache: pages kept across rebuilds (watch); disk_cache: the cache folder, where
    Word copy read before is kept by content (None: read every .docx)."""
    return Loader(folder, strict, cache, disk_cache).issue()
