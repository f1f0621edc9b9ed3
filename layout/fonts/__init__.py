"""The font layer: roles → faces (fonts.yaml), per-glyph metrics, fallback, subsetting, reports.

    from layout.fonts import FontBook, Face
    book = FontBook.load(Path("fonts/fonts.yaml"))
    face = book.face("shusong"); gid = face.glyph("字"); face.advance(gid)  # em
"""
from layout.fonts.book import BookStats, FontBook, is_latin
from layout.fonts.cache import CacheStats, FontCache
from layout.fonts.face import Face, HaltAdjust
from layout.fonts.info import FaceInfo
from layout.fonts.report import fonts_check, fonts_list, format_fonts_check, format_fonts_list

__all__ = ["FontBook", "Face", "FaceInfo", "FontCache", "CacheStats", "BookStats", "HaltAdjust",
           "is_latin", "fonts_list", "fonts_check", "format_fonts_list", "format_fonts_check"]
