"""What a photo file may be: the formats photos are accepted in, and a guess at what a file that is
none of them is instead. Shared by the loader's header check and photo preparation; light to import
(no numpy), so loading an issue stays cheap."""
from __future__ import annotations

FORMATS = ("JPEG", "PNG", "TIFF")


def sniff(data: bytes) -> str:
    """" but <what the file is>" for an error message, or "" when it is no known kind."""
    head = data[:256].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        return " but a web page (HTML/XML): the link saved the page, not the picture"
    for magic, name in ((b"GIF8", "GIF"), (b"RIFF", "WebP"), (b"BM", "BMP"), (b"%PDF", "PDF")):
        if data.startswith(magic):
            return f" but {name}"
    return ""
