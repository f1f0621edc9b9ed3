"""转版 (jumps): `continues` and `continued` must name pages and stories of the issue and match each other.

Input: the loaded pages. Output: nothing, or one InputError naming both ends (exit 2). Checked before any
page is composed, so an overflow is never lost to a page or story that does not exist, a jump line never
names a page the issue does not have, and a story never continues into itself.
"""
from __future__ import annotations

from layout.model.findings import InputError
from layout.model.i18n import _
from layout.model.spec import StoryBlock


def _end(page: str, story: str) -> str:
    return _("page {page} story '{story}'", page=page, story=story) if story else _('page {page}', page=page)


def check_jumps(pages) -> None:
    stories = {(p.number, b.id): b for p in pages for b in p.blocks if isinstance(b, StoryBlock)}
    numbers = [p.number for p in pages]
    for (number, sid), b in stories.items():
        here = _end(number, sid)
        if b.continues_page:
            there = _end(b.continues_page, b.continues_story)
            if b.continues_page not in numbers:
                raise InputError(_('{here} continues on page {page}, which this issue does not have', here=here,
                                   page=b.continues_page), b.where,
                                 _('continues: name one of the pages {pages}', pages=", ".join(numbers)))
            targets = [t for (n, _), t in stories.items() if n == b.continues_page
                       and (not b.continues_story or t.id == b.continues_story)]
            if b.continues_story and not targets:
                raise InputError(_('{here} continues on {there}, which has no such story', here=here, there=there),
                                 b.where, _('continues: name a story on page {page}', page=b.continues_page))
            if b.continues_page == number and b.continues_story in ("", sid):
                raise InputError(_('{here} continues on itself', here=here), b.where,
                                 _('continues: name the story on another page that takes the rest'))
            back = [t for t in targets if (t.continued_page, t.continued_story) == (number, sid)]
            if len(back) != 1:
                t = targets[0] if len(targets) == 1 else None
                key = f'continued: {{page: "{number}", story: {sid}}}'
                hint = (_('give {end} ({where}) `{key}`', end=_end(b.continues_page, t.id), where=t.where, key=key)
                        if t is not None else
                        _('give the story on page {page} that takes the rest `{key}`', page=b.continues_page, key=key))
                raise InputError(_('{here} continues on {there}, but no story there says it is continued from {here}',
                                   here=here, there=there), b.where, hint)
        if b.continued_page:
            there = _end(b.continued_page, b.continued_story)
            src = stories.get((b.continued_page, b.continued_story))
            if b.continued_page == number and b.continued_story == sid:
                raise InputError(_('{here} is continued from itself', here=here), b.where,
                                 _('continued: name the story on another page whose text runs on here'))
            if src is None:
                raise InputError(_('{here} is continued from {there}, which this issue does not have', here=here,
                                   there=there) if b.continued_page not in numbers else
                                 _('{here} is continued from {there}, which has no such story', here=here, there=there),
                                 b.where, _('continued: name the page and story id the text comes from'))
            if src.continues_page != number or src.continues_story not in ("", sid):
                key = f'continues: {{page: "{number}", story: {sid}}}'
                raise InputError(_('{here} is continued from {there}, but that story does not continue here',
                                   here=here, there=there), b.where,
                                 _('give {end} ({where}) `{key}`', end=there, where=src.where, key=key))
    # a chain of jumps must end: A → B → … never returns to A (each pair matches, checked above)
    follows = {}
    for key, b in stories.items():
        for other, t in stories.items():
            if b.continues_page and other[0] == b.continues_page and (t.continued_page, t.continued_story) == key:
                follows[key] = other
    for start in follows:
        seen, key = {start}, follows[start]
        while key in follows:
            if key in seen:
                raise InputError(_('{start}: its jumps (转版) run in a circle through {end}', start=_end(*start),
                                   end=_end(*key)), stories[start].where, _("a story's chain of pages must end"))
            seen.add(key)
            key = follows[key]
