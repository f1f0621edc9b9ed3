"""Files a page names: copy (UTF-8 text, checked character by character) and photos (sniffed, bounded).

Input: a path inside the issue folder. Output: the copy's text (NFC), or nothing for a photo that is
fine; an InputError with the file:line:column of the fault otherwise.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from layout.load.yamlsafe import decode_utf8
from layout.model.findings import InputError, Where
from layout.model.i18n import _
from layout.load.reader import Reader

MAX_COPY_CHARS = 100_000  # a story longer than this is surely a wrong file
# what the per-character check in copy_text can object to (U+FFFD, control characters but tab and line
# ends); the slow check runs only when one of these is in the text at all
_SUSPECT = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_COPY_BYTES = 4 * MAX_COPY_CHARS + 3   # checked before reading (UTF-8 is at most 4 bytes a character)
MAX_PHOTO_BYTES = 200 << 20               # a 200 MB photo is a mistake (or an attack), not a news picture


class FileReader(Reader):
    def check_photo(self, path: Path, rel: str, where: Where) -> None:
        """Cheap checks before any composition: the header says JPEG/PNG/TIFF of a sane size, the file
        is complete. Pixels are decoded later (layout.photo.prepare), which catches what is left."""
        import warnings
        from PIL import Image, UnidentifiedImageError
        from layout.photo.formats import FORMATS, sniff
        try:
            size = path.stat().st_size
            if size > MAX_PHOTO_BYTES:
                raise InputError(_("photo '{rel}' is {size:.0f} MB, more than {MAX_PHOTO_BYTES} MB", rel=rel, size=size / (1 << 20), MAX_PHOTO_BYTES=MAX_PHOTO_BYTES >> 20), where, _('save it as a JPEG of news size'))
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(_("photo '{rel}' cannot be read ({value})", rel=rel, value=exc.strerror or exc), where,
                             _("check the file's permissions")) from None
        if not data:
            raise InputError(_("photo '{rel}' is empty (0 bytes)", rel=rel), where,
                             _('the copy or download was interrupted: fetch the picture again'))
        import io
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data), formats=FORMATS) as im:  # the header only
                    width, height, fmt = im.width, im.height, im.format
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InputError(_("photo '{rel}' is too large to open safely ({exc})", rel=rel, exc=exc), where,
                             _('a damaged or malicious file (decompression bomb), or a huge scan: resize it to at most a few thousand pixels a side')) from None
        except UnidentifiedImageError:
            raise InputError(_("photo '{rel}' is not a JPEG, PNG or TIFF image{value}", rel=rel, value=sniff(data)), where,
                             _('open it in an image editor and save it as JPEG or TIFF')) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise InputError(_("photo '{rel}' is damaged ({exc})", rel=rel, exc=exc), where,
                             _('copy or download it again, or re-save it in an image editor')) from None
        if width * height > Image.MAX_IMAGE_PIXELS or width < 1 or height < 1:
            raise InputError(_("photo '{rel}' is {width} × {height} px: too large to open safely", rel=rel, width=width, height=height), where,
                             _('a damaged or malicious file (decompression bomb), or a huge scan: resize it to at most a few thousand pixels a side'))
        truncated = (fmt == "JPEG" and data.rfind(b"\xff\xd9") < data.rfind(b"\xff\xda")) or \
                    (fmt == "PNG" and data.rfind(b"IEND") < 0)
        if truncated:
            raise InputError(_("photo '{rel}' is truncated: the file ends before the picture does", rel=rel), where,
                             _('the copy or download was interrupted: fetch the picture again'))

    def copy_doc(self, path: Path, where: Where):
        """A story's copy as paragraphs: a .docx through layout.load.docx, anything else as text with the
        copy markup (layout.load.markup)."""
        if path.suffix.lower() == ".docx":
            from layout.load.wordcopy import read_docx_cached
            return read_docx_cached(path, self.shown(path), where, self.findings, self.disk_cache)
        from layout.load.markup import parse_copy
        return parse_copy(self.copy_text(path), self.shown(path))

    def copy_text(self, path: Path) -> str:
        """Copy files: UTF-8 plain text, one paragraph per line (a BOM is dropped)."""
        shown = self.shown(path)
        try:
            size = path.stat().st_size
            if size > MAX_COPY_BYTES:
                raise InputError(_('the copy file is {size:.1f} MB, more than a story can be ({MAX_COPY_CHARS:,} characters)', size=size / (1 << 20), MAX_COPY_CHARS=MAX_COPY_CHARS), Where(shown),
                                 _('check that this is the right file'))
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(_('the copy file cannot be read ({value})', value=exc.strerror or exc), Where(shown),
                             _("check the file's permissions")) from None
        text = decode_utf8(raw, path, shown, _("the copy file is not UTF-8"), _("save the copy as UTF-8"))
        for lineno, line in enumerate(text.splitlines() if _SUSPECT.search(text) else (), 1):
            for col, ch in enumerate(line, 1):
                if ch == "\ufffd":
                    raise InputError(_('the copy holds U+FFFD (a character lost in an earlier conversion)'),
                                     Where(shown, lineno, col), _('get the original copy again and re-save as UTF-8'))
                if unicodedata.category(ch) == "Cc" and ch != "\t":
                    raise InputError(_('the copy holds a control character U+{ch:04X}', ch=ord(ch)), Where(shown, lineno, col),
                                     _('remove it (it is invisible in most editors)'))
        if len(text) > MAX_COPY_CHARS:
            raise InputError(_('the copy has {n_text:,} characters, more than a page can hold ({MAX_COPY_CHARS:,})', n_text=len(text), MAX_COPY_CHARS=MAX_COPY_CHARS), Where(shown), _('check that this is the right file'))
        text = unicodedata.normalize("NFC", text)
        return text
