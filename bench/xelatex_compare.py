"""The bench issue as a XeLaTeX + xeCJK document: the third engine of `typst_compare.py --quality --xelatex`.

Bench only (Debian: apt-get install texlive-xetex texlive-lang-chinese; not part of paiban's setup).
Given what Typst is given (typst_compare.typst_document): the same page size, the same rectangles
(textpos, absolute), the same normalised copy split between a story's rectangles by capacity, `span`
columns per rectangle with the grid's gutter (multicol), 9.5 pt Noto Serif CJK SC on a 14 pt
baselineskip, 2 em paragraph indent, the headline groups centred in their rectangles, photos and
captions. xeCJK as it comes (全角式 punctuation, its own CJK/Latin glue); nothing tuned.
"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

from layout.model.spec import HeadlineBlock, PhotoBlock, RuleBlock, StoryBlock
from gen import story_chunks  # bench/ is on the path: typst_compare.py imports this module

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
_ESC = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "#": r"\#", "&": r"\&", "_": r"\_",
        "$": r"\$", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex(text: str) -> str:
    return "".join(_ESC.get(c, c) for c in text)


def pt(v: float) -> str:
    return f"{v:.3f}bp"      # PDF points (TeX's pt is 1/72.27 in)


def xelatex_document(issue) -> str:
    pub = issue.publication
    g = pub.grid
    st = pub.styles
    body = st["body"]
    gutter = g.gutter_chars * g.char
    out = [r"\documentclass{article}",
           rf"\usepackage[paperwidth={pt(pub.trim_w)},paperheight={pt(pub.trim_h)},margin=0pt]{{geometry}}",
           r"\usepackage{xeCJK}", r"\usepackage{multicol}", r"\usepackage{graphicx}",
           r"\usepackage[absolute,overlay]{textpos}",
           r"\setlength{\TPHorizModule}{1bp}\setlength{\TPVertModule}{1bp}",
           rf"\setmainfont{{{SERIF}}}", rf"\setCJKmainfont[BoldFont={{{SERIF} Bold}}]{{{SERIF}}}",
           rf"\setCJKfamilyfont{{hei}}{{{SANS}}}", rf"\newfontfamily\heilatin{{{SANS}}}",
           r"\newcommand{\hei}{\CJKfamily{hei}\heilatin}",
           rf"\setlength{{\columnsep}}{{{pt(gutter)}}}", r"\setlength{\parskip}{0pt}",
           rf"\setlength{{\parindent}}{{{pt(2 * body.size)}}}", r"\pagestyle{empty}",
           r"\raggedcolumns",
           # on the grid: every first baseline 0.88 em below its rectangle's top (as Typst's top-edge), a
           # fixed baselineskip even where a line holds a taller glyph
           rf"\setlength{{\topskip}}{{{pt(0.88 * body.size)}}}", r"\setlength{\lineskiplimit}{-100pt}",
           r"\begin{document}"]

    def at(r, content: str) -> str:
        return rf"\begin{{textblock*}}{{{pt(r.w)}}}({pt(r.x)},{pt(r.y)}){content}\end{{textblock*}}"

    for n, page in enumerate(issue.pages):
        if n:
            out.append(r"\null\newpage")
        else:
            out.append(r"\null")
        rh = st["running_head"]
        out.append(rf"\begin{{textblock*}}{{{pt(g.width)}}}({pt(g.x)},{pt(g.y - 24)})"
                   rf"\hei\fontsize{{{pt(rh.size)}}}{{{pt(rh.leading)}}}\selectfont\noindent "
                   rf"{tex(issue.date)}\hfill {tex(pub.name)}\hfill {tex('第' + page.number + '版')}\end{{textblock*}}")
        for b in page.blocks:
            if isinstance(b, HeadlineBlock):
                main = st["headline"]
                size = b.size or main.size
                parts = []
                if b.kicker:
                    k = st["kicker"]
                    parts.append(rf"{{\hei\fontsize{{{pt(k.size)}}}{{{pt(k.leading)}}}\selectfont {tex(b.kicker)}\par}}")
                parts.append(rf"{{\bfseries\fontsize{{{pt(size)}}}{{{pt(size * 1.3)}}}\selectfont "
                             rf"{tex(b.main.replace(chr(92) + 'n', ''))}\par}}")
                if b.subhead:
                    sh = st["subhead"]
                    parts.append(rf"{{\hei\fontsize{{{pt(sh.size)}}}{{{pt(sh.leading)}}}\selectfont {tex(b.subhead)}\par}}")
                out.append(at(b.rect, rf"\begin{{minipage}}[c][{pt(b.rect.h)}][c]{{{pt(b.rect.w)}}}\centering "
                                      + "".join(parts) + r"\end{minipage}"))
            elif isinstance(b, PhotoBlock):
                cap = st["caption"]
                caption = "　".join(t for t in (b.caption, b.credit) if t)
                rel = Path(b.file).relative_to(issue.folder.resolve())
                out.append(at(b.rect, rf"\noindent\includegraphics[width={pt(b.rect.w)},"
                                      rf"height={pt(b.rect.h - 2 * cap.leading)},keepaspectratio]{{{rel}}}\par"
                                      rf"\fontsize{{{pt(cap.size)}}}{{{pt(cap.leading)}}}\selectfont\noindent "
                                      rf"{tex(caption)}"))
            elif isinstance(b, RuleBlock):
                r = b.rect
                out.append(at(r, rf"\vspace*{{{pt(r.h / 2)}}}\noindent\rule{{{pt(r.w)}}}{{{pt(b.weight)}}}"))
            elif isinstance(b, StoryBlock):
                # the copy as paiban sets it, split between the rectangles by capacity (as for Typst)
                for r, chunk in story_chunks(b):
                    text = "\n\n".join(tex(p) for p in chunk)
                    font = rf"\fontsize{{{pt(body.size)}}}{{{pt(body.leading)}}}\selectfont "
                    if r.span == 1:      # the first line as tall as \topskip (multicol does that itself)
                        text = rf"\leavevmode\rule{{0pt}}{{{pt(0.88 * body.size)}}}" + text
                    if r.span > 1:
                        content = rf"{font}\begin{{multicols}}{{{r.span}}}{text}\end{{multicols}}"
                    else:
                        content = font + text
                    out.append(at(r, content))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def compile_xelatex(tex_file: Path) -> dict:
    """xelatex once (no cross references to resolve); returns timings and the PDF path."""
    t = time.perf_counter()
    proc = subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", tex_file.name],
                          cwd=tex_file.parent, capture_output=True, text=True, timeout=1800)
    wall = time.perf_counter() - t
    pdf = tex_file.with_suffix(".pdf")
    if proc.returncode or not pdf.exists():
        raise SystemExit(f"xelatex failed:\n{proc.stdout[-3000:]}")
    overfull = proc.stdout.count("Overfull \\hbox")
    return {"process": wall, "pdf": pdf, "overfull": overfull}
