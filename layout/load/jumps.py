"""转版 (jumps): `continues` and `continued` must name pages and stories of the issue and match each other.

Input: the loaded pages. Output: nothing, or one InputError naming both ends (exit 2). Checked before any
page is composed, so an overflow is never lost to a page or story that does not exist, a jump line never
names a page the issue does not have, and a story never continues into itself.
"""
from __future__ import annotations

from layout.model.findings import InputError
from layout.model.spec import StoryBlock


def _end(page: str, story: str) -> str:
    return f"page {page} story '{story}'" if story else f"page {page}"


def check_jumps(pages) -> None:
    stories = {(p.number, b.id): b for p in pages for b in p.blocks if isinstance(b, StoryBlock)}
    numbers = [p.number for p in pages]
    for (number, sid), b in stories.items():
        here = _end(number, sid)
        if b.continues_page:
            there = _end(b.continues_page, b.continues_story)
            if b.continues_page not in numbers:
                raise InputError(f"{here} continues on page {b.continues_page}, which this issue does not have",
                                 b.where, f"continues: name one of the pages {', '.join(numbers)}")
            targets = [t for (n, _), t in stories.items() if n == b.continues_page
                       and (not b.continues_story or t.id == b.continues_story)]
            if b.continues_story and not targets:
                raise InputError(f"{here} continues on {there}, which has no such story", b.where,
                                 f"continues: name a story on page {b.continues_page}")
            if b.continues_page == number and b.continues_story in ("", sid):
                raise InputError(f"{here} continues on itself", b.where,
                                 "continues: name the story on another page that takes the rest")
            back = [t for t in targets if (t.continued_page, t.continued_story) == (number, sid)]
            if len(back) != 1:
                t = targets[0] if len(targets) == 1 else None
                hint = (f"give {_end(b.continues_page, t.id)} ({t.where}) `continued: {{page: \"{number}\", "
                        f"story: {sid}}}`" if t is not None else
                        f"give the story on page {b.continues_page} that takes the rest "
                        f"`continued: {{page: \"{number}\", story: {sid}}}`")
                raise InputError(f"{here} continues on {there}, but no story there says it is continued from "
                                 f"{here}", b.where, hint)
        if b.continued_page:
            there = _end(b.continued_page, b.continued_story)
            src = stories.get((b.continued_page, b.continued_story))
            if b.continued_page == number and b.continued_story == sid:
                raise InputError(f"{here} is continued from itself", b.where,
                                 "continued: name the story on another page whose text runs on here")
            if src is None:
                raise InputError(f"{here} is continued from {there}, which "
                                 + ("this issue does not have" if b.continued_page not in numbers
                                    else "has no such story"), b.where,
                                 "continued: name the page and story id the text comes from")
            if src.continues_page != number or src.continues_story not in ("", sid):
                raise InputError(f"{here} is continued from {there}, but that story does not continue here",
                                 b.where, f"give {there} ({src.where}) `continues: {{page: \"{number}\", "
                                          f"story: {sid}}}`")
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
                raise InputError(f"{_end(*start)}: its jumps (转版) run in a circle through {_end(*key)}",
                                 stories[start].where, "a story's chain of pages must end")
            seen.add(key)
            key = follows[key]
