"""Repairing an advertiser's PDF where that is safe, through Ghostscript's pdfwrite.

Safe repairs (the printed result keeps its look; only how it is coded changes):
  - RGB, ICC-based, Lab or spot colour → CMYK through the press profile (-sColorConversionStrategy=CMYK
    with -sOutputICCProfile);
  - transparency flattened (pdfwrite flattens whatever PDF 1.3, -dCompatibilityLevel=1.3, cannot hold);
  - fonts embedded (an unembedded font is embedded as Ghostscript substitutes it — say so, it may look
    different).
Not repaired: too much ink (lowering it changes the colours the advertiser approved), a too-low photo
resolution, a wrong size. The caller checks the repaired file again before using it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from layout.model.i18n import N_

GS_TIMEOUT_S = 300
# preflight codes a pdfwrite pass fixes; anything else among the errors means the ad cannot be repaired
REPAIRABLE = frozenset({"rgb-colour", "colour-space", "spot-colour", "transparency", "font-not-embedded",
                        "pdf-version"})
WHAT = {"rgb-colour": N_("RGB colour converted to CMYK through the press profile"),
        "colour-space": N_("colour converted to CMYK through the press profile"),
        "spot-colour": N_("spot colours converted to CMYK"),
        "transparency": N_("transparency flattened"),
        "font-not-embedded": N_("fonts embedded (as Ghostscript substitutes them: check the look)"),
        "pdf-version": N_("written as PDF 1.3")}


class RepairError(Exception):
    """Ghostscript is missing or failed on the file."""


def gs_version() -> str:
    gs = shutil.which("gs")
    if gs is None:
        raise RepairError("Ghostscript (gs) is not installed")
    proc = subprocess.run([gs, "--version"], capture_output=True, text=True, timeout=30)
    return proc.stdout.strip()


def repair_pdf(src: Path, dst: Path, profile: Path, first_page_only: bool = False) -> None:
    """Rewrite `src` as CMYK PDF 1.3 with embedded fonts and no transparency into `dst` (atomically)."""
    gs = shutil.which("gs")
    if gs is None:
        raise RepairError("Ghostscript (gs) is not installed")
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".part", dir=dst.parent)
    os.close(fd)
    cmd = [gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dCompatibilityLevel=1.3",
           "-sColorConversionStrategy=CMYK", "-sProcessColorModel=DeviceCMYK", f"-sOutputICCProfile={profile}",
           "-dEmbedAllFonts=true", "-dSubsetFonts=true", "-dAutoRotatePages=/None",
           *(["-dFirstPage=1", "-dLastPage=1"] if first_page_only else []),
           f"-sOutputFile={tmp}",
           "-c", "<< /NeverEmbed [ ] >> setdistillerparams",   # the base-14 fonts too: PDF/X embeds every font
           "-f", str(Path(src).resolve())]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=GS_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.unlink(tmp)
        raise RepairError(f"Ghostscript took longer than {GS_TIMEOUT_S} s") from None
    if proc.returncode != 0 or os.path.getsize(tmp) == 0:
        os.unlink(tmp)
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise RepairError(lines[-1] if lines else f"Ghostscript exit status {proc.returncode}")
    os.replace(tmp, dst)


def repaired_copy(src: Path, cache: Path, profile: Path) -> Path:
    """The repaired ad (first page), kept in the cache under the digest of the file, the profile and the
    Ghostscript version: a rebuild does not run Ghostscript again."""
    h = hashlib.sha256()
    h.update(Path(src).read_bytes())
    h.update(Path(profile).read_bytes())
    h.update(gs_version().encode())
    target = Path(cache) / "ads" / f"{h.hexdigest()[:24]}.pdf"
    if not target.is_file():
        repair_pdf(src, target, profile, first_page_only=True)
    return target


def label_pdfx1a(path: Path, profile: Path, title: str, date: str) -> None:
    """Give a repaired file (already checked: CMYK, fonts embedded, no transparency) the PDF/X-1a:2001
    identification and the press profile as its OutputIntent, so `paiban preflight` passes it whole."""
    import pikepdf
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        info = pdf.docinfo
        info.Title = pikepdf.String(str(info.get("/Title") or title))
        for key in ("/CreationDate", "/ModDate"):
            if key not in info:
                info[key] = pikepdf.String(date)
        info.GTS_PDFXVersion = pikepdf.String("PDF/X-1:2001")
        info.GTS_PDFXConformance = pikepdf.String("PDF/X-1a:2001")
        info.Trapped = pikepdf.Name("/False")
        icc = pdf.make_stream(Path(profile).read_bytes())
        icc.N = 4
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String("CGATS TR 002"),
            OutputCondition=pikepdf.String("Coldset newsprint (CGATS TR 002)"),
            RegistryName=pikepdf.String("http://www.color.org"),
            Info=pikepdf.String("Coldset newsprint (CGATS TR 002)"), DestOutputProfile=icc)])
        if "/Metadata" in pdf.Root:
            del pdf.Root["/Metadata"]
        for page in pdf.pages:   # a PDF/X page needs a TrimBox; the MediaBox is the advertiser's trim then
            if "/TrimBox" not in page.obj and "/ArtBox" not in page.obj:
                page.obj.TrimBox = page.obj.MediaBox
        pdf.save(path, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 force_version="1.3")


def fix_ad(src: Path, dst: Path, profile: Path, spec) -> tuple[list, list]:
    """`paiban fix-ad`: (findings before, findings of the written file). The repaired content is checked
    with the file-wrapper codes set aside; only a file whose content passes is labelled PDF/X-1a and kept."""
    import datetime
    from layout.preflight.check import preflight
    wrapper = {"pdfx-version", "pdfx-conformance", "trapped", "info-missing", "document-id-missing",
               "output-intent-missing", "output-intent-incomplete", "output-profile", "xmp-missing"}
    before = preflight([src], spec)
    repair_pdf(src, dst, profile)
    content = [f for f in preflight([dst], spec) if f.code not in wrapper]
    if any(f.severity == "error" for f in content):
        Path(dst).unlink()
        return before, content
    now = datetime.datetime.now(datetime.timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
    label_pdfx1a(dst, profile, Path(src).stem, now)
    return before, preflight([dst], spec)
