"""全文检索 for the digital edition: a static Pagefind index of every story page in the site.

Pagefind (pip package `pagefind[extended]`, which ships the extended binary: it segments Chinese text into
words) reads the story pages (html/*/*/content_*.htm; the part marked data-pagefind-body: headline, photo
captions and text) and writes OUT/pagefind/, which the search page's script queries in the browser: no
server, a few small index fragments fetched per search. The whole site is indexed on every run (after the
run's issues are swapped in), so issues added by later runs are found too. Same pages, same index bytes (checked by tests/test_site.py).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from layout.model.findings import InputError, Where
from layout.model.i18n import _

STORY_GLOB = "html/*/*/content_*.htm"
INDEX_DIR = "pagefind"       # under the site


def write_index(site: Path, dest: Path) -> Path:
    """Index the story pages under site into dest (a new folder; paiban site makes it in its stage and
    swaps it in as site/pagefind)."""
    import importlib.util
    if importlib.util.find_spec("pagefind") is None:
        raise InputError(_('pagefind is not installed'), Where(str(site)),
                         _('install the Python dependencies: pip install -e . (or tools/setup.sh)'))
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--glob", STORY_GLOB,
                           "--output-path", str(dest), "--silent"], capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not (dest / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise InputError(_('the search index could not be built: {detail}',
                           detail=detail[-1] if detail else "pagefind failed"),
                         Where(str(site)), _('check that the pagefind[extended] package is installed'))
    return dest
