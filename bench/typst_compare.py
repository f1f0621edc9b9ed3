"""paiban and Typst side by side on the same pages.

    pip install typst==0.15.2          # the PyPI package (Typst's compiler as a Python extension)
    python3 bench/typst_compare.py [--pages 16] [--rounds 3]
    python3 bench/typst_compare.py --quality [--corpus bench/copy/tech.txt] [--xelatex]   # bench/quality.py

Generates the benchmark issue (bench/gen.py), writes the equivalent Typst document — broadsheet
390 × 540 mm, the same grid (8 columns of 9.5 pt Noto Serif CJK SC on a 14 pt line pitch), the same
headline groups (引题 / 主题 / 副题) and 2 photos with captions per page in the same rectangles, the
same copy — and compiles it with typst.compile in a fresh process, fonts from
/usr/share/fonts/opentype/noto only. paiban builds the same issue cold (new process, empty cache) and
warm. Prints both times and the ratios. A shared machine's speed drifts (by a third within an hour
here), so each round runs Typst, paiban cold and paiban warm back to back, and the ratios are taken
within a round (paired) and summarised over the rounds (median, and the range). Each round also builds
the issue "cold but for the photos" (an empty cache holding only the prepared photos): what the press
separation of the photos costs, the part of a cold build that Typst does not do.

What is not equivalent (Typst does less): no ICC conversion of the photos to press CMYK and no ink
limit (Typst embeds the JPEGs as they are), no PDF/X, no overprint; text in an L-shaped area is split
between its rectangles by capacity (Typst does not thread text between boxes); captions in Noto
Serif rather than 楷体 (only the Noto folder is given to Typst).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

NOTO = "/usr/share/fonts/opentype/noto"
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
PHOTO_ENTRY = re.compile(r"[0-9a-f]{32}\.(jpg|[a-z]+\.json)$")  # a prepared photo and its record


def s(text: str) -> str:
    """A Typst string literal."""
    return json.dumps(text, ensure_ascii=False)


def pt(v: float) -> str:
    return f"{v:.2f}pt"


def typst_document(issue) -> str:
    from layout.model.spec import HeadlineBlock, PhotoBlock, RuleBlock, StoryBlock
    from gen import story_chunks
    pub = issue.publication
    g = pub.grid
    st = pub.styles
    body = st["body"]
    out = [f"#set page(width: {pt(pub.trim_w)}, height: {pt(pub.trim_h)}, margin: 0pt)",
           f'#set text(font: "{SERIF}", size: {pt(body.size)}, lang: "zh", region: "cn", top-edge: 0.88em, '
           f'bottom-edge: -0.12em)',
           f"#set par(justify: true, first-line-indent: (amount: 2em, all: true), "
           f"leading: {pt(body.leading - body.size)}, spacing: {pt(body.leading - body.size)})",
           ""]
    gutter = g.gutter_chars * g.char

    def at(r, content: str) -> str:
        return f"#place(top + left, dx: {pt(r.x)}, dy: {pt(r.y)}, block(width: {pt(r.w)}, height: {pt(r.h)}, " \
               f"clip: true, {content}))"

    for n, page in enumerate(issue.pages):
        if n:
            out.append("#pagebreak()")
        rh = st["running_head"]
        out.append(f"#place(top + left, dx: {pt(g.x)}, dy: {pt(g.y - 24)}, block(width: {pt(g.width)}, "
                   f'text(font: "{SANS}", size: {pt(rh.size)})[#{s(issue.date)} #h(1fr) #{s(pub.name)} #h(1fr) '
                   f'#{s("第" + page.number + "版")}]))')
        for b in page.blocks:
            if isinstance(b, HeadlineBlock):
                parts = []
                main = st["headline"]
                size = b.size or main.size
                if b.kicker:
                    parts.append(f'text(font: "{SANS}", size: {pt(st["kicker"].size)}, {s(b.kicker)})')
                parts.append(f'text(font: "{SERIF}", weight: "bold", size: {pt(size)}, {s(b.main.replace(chr(92) + "n", ""))})')
                if b.subhead:
                    parts.append(f'text(font: "{SANS}", size: {pt(st["subhead"].size)}, {s(b.subhead)})')
                out.append(at(b.rect, f"align(center + horizon, stack(spacing: 6pt, {', '.join(parts)}))"))
            elif isinstance(b, PhotoBlock):
                cap = st["caption"]
                caption = "　".join(t for t in (b.caption, b.credit) if t)
                rel = Path(b.file).relative_to(issue.folder.resolve())
                out.append(at(b.rect, f'stack(spacing: 4pt, image({s(str(rel))}, width: 100%, '
                                      f'height: {pt(b.rect.h - 2 * cap.leading)}, fit: "cover"), '
                                      f'text(size: {pt(cap.size)}, {s(caption)}))'))
            elif isinstance(b, RuleBlock):
                r = b.rect
                out.append(f"#place(top + left, dx: {pt(r.x)}, dy: {pt(r.y + r.h / 2)}, "
                           f"line(length: {pt(r.w)}, stroke: {pt(b.weight)}))")
            elif isinstance(b, StoryBlock):
                for r, chunk in story_chunks(b):
                    text = "#parbreak()".join(f"#{s(p)}" for p in chunk)
                    out.append(at(r, f"columns({r.span}, gutter: {pt(gutter)})[{text}]"))
    return "\n".join(out) + "\n"


def compile_typst(main: Path, pdf: Path) -> dict:
    """typst.compile in a fresh process: (import + compile) and compile alone."""
    code = ("import time, json, sys, resource; t0 = time.perf_counter(); import typst; t1 = time.perf_counter(); "
            f"typst.compile({str(main)!r}, output={str(pdf)!r}, root={str(main.parent)!r}, "
            f"font_paths=[{NOTO!r}], ignore_system_fonts=True); t2 = time.perf_counter(); "
            "r = resource.getrusage(resource.RUSAGE_SELF); "
            "print(json.dumps({'import': t1 - t0, 'compile': t2 - t1, 'maxrss': r.ru_maxrss * 1024, "
            "'cpu': r.ru_utime + r.ru_stime}))")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    wall = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(f"typst failed:\n{proc.stderr[-3000:]}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["process"] = wall
    res["bytes"] = pdf.stat().st_size
    return res


def quality_table(folder: Path, work: Path, xelatex: bool = False) -> None:
    """The engines' PDFs of the same issue, measured by bench/quality.py in one run (paiban's loose-line
    reports read from its `build --format json`)."""
    import quality
    compile_typst(folder / "main.typ", work / "typst.pdf")
    out = work / "paiban-out"
    proc = subprocess.run([sys.executable, "-m", "layout", "build", str(folder), "--out", str(out),
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"paiban build failed:\n{proc.stderr[-3000:]}")
    (work / "paiban-build.json").write_text(proc.stdout, "utf-8")
    reported = quality.reported_boxes(work / "paiban-build.json")
    pdfs = sorted(out.glob("*/*.pdf"))
    results = {"paiban": quality.summary([m for f in pdfs for m in quality.measure(f, reported)]),
               "Typst 0.15": quality.summary(quality.measure(work / "typst.pdf"))}
    print(f"{len(pdfs)} paiban pages, Typst {work / 'typst.pdf'}")
    if xelatex:
        from xelatex_compare import compile_xelatex
        xe = compile_xelatex(folder / "main.tex")
        results["XeLaTeX + xeCJK"] = quality.summary(quality.measure(xe["pdf"]))
        print(f"XeLaTeX {xe['pdf']} ({xe['process']:.0f} s, {xe['overfull']} overfull \\hbox warnings)")
    print(quality.table(results))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=16)
    ap.add_argument("--keep", type=Path, help="keep the generated issue and Typst file here")
    ap.add_argument("--rounds", type=int, default=3, help="Typst / paiban cold / paiban warm rounds (paired ratios)")
    ap.add_argument("--quality", action="store_true",
                    help="no timing: build both once and print bench/quality.py's table for the two PDFs")
    ap.add_argument("--corpus", type=Path, help="copy sentences from this text file (bench/gen.py --corpus)")
    ap.add_argument("--xelatex", action="store_true",
                    help="with --quality: also XeLaTeX + xeCJK (bench/xelatex_compare.py; Debian's texlive-xetex "
                         "and texlive-lang-chinese)")
    a = ap.parse_args()
    from gen import generate
    from layout.load import load_issue
    from run import machine, run_child
    work = a.keep or Path(tempfile.mkdtemp(prefix="paiban-typst-"))
    folder = generate(work, a.pages, corpus=a.corpus)
    issue = load_issue(folder)
    main_typ = folder / "main.typ"
    main_typ.write_text(typst_document(issue), "utf-8")
    if a.quality:
        if a.xelatex:
            from xelatex_compare import xelatex_document
            (folder / "main.tex").write_text(xelatex_document(issue), "utf-8")
        quality_table(folder, work, a.xelatex)
        return
    ty_first = compile_typst(main_typ, work / "typst.pdf")  # fills the OS file cache for both engines
    rounds = []
    for _ in range(a.rounds):
        load = os.getloadavg()[0]
        ty = compile_typst(main_typ, work / "typst.pdf")
        with tempfile.TemporaryDirectory(prefix="paiban-bench-cache-") as cache, \
                tempfile.TemporaryDirectory(prefix="paiban-bench-photos-") as photos:
            cold = run_child(folder, Path(cache))
            # cold but for the photos: an empty cache holding only the prepared photos — the build less
            # the press separation (ICC to CMYK, ink limit, resampling) that Typst does not do
            for f in Path(cache).iterdir():
                if PHOTO_ENTRY.match(f.name):
                    shutil.copy(f, photos)
            separated = run_child(folder, Path(photos))
            warm = run_child(folder, Path(cache), rebuild="02")
        rounds.append((ty, cold, warm, max(load, os.getloadavg()[0]), separated))
    mb = 2**20
    print(f"machine: {machine()}")
    print(f"{a.pages} pages, {cold['chars']:,} characters of body copy, {2 * a.pages} photos; "
          f"paiban -j {cold['stages']['jobs']}; typst's first run {ty_first['process']:.2f} s (file cache)")
    print("times are wall-clock seconds of a new process (interpreter start to exit); CPU = user + system of "
          "all its processes; RSS = peak resident set (paiban: largest of its processes); load = 1-minute "
          "load average (the larger of the round's start and end)")
    print(f"{'round':<6} {'load':>5} {'typst s':>8} {'cold s':>8} {'warm s':>8} {'cold ×':>7} {'warm ×':>7} "
          f"{'rebuild s':>10} {'rb CPU s':>9} {'edit s':>7} {'ed CPU s':>9} {'typst CPU':>10} {'cold CPU':>9} "
          f"{'typst MB':>9} {'paiban MB':>10}")
    for i, (ty, cold, warm, load, _sep) in enumerate(rounds, 1):
        rss = max(cold["maxrss_self"], cold["maxrss_children"]) / mb
        print(f"{i:<6} {load:5.2f} {ty['process']:8.2f} {cold['process']:8.2f} {warm['process']:8.2f} "
              f"{cold['process'] / ty['process']:7.2f} {warm['process'] / ty['process']:7.2f} "
              f"{warm['rebuild']['median']:10.3f} {warm['rebuild'].get('cpu_median', float('nan')):9.3f} "
              f"{warm['rebuild_edit']['median']:7.3f} {warm['rebuild_edit']['cpu_median']:9.3f} "
              f"{ty['cpu']:10.2f} {cold.get('cpu', float('nan')):9.2f} {ty['maxrss'] / mb:9.0f} {rss:10.0f}")
    ty, cold, warm, _load, _sep = rounds[-1]
    print("paiban cold stages (last round; compose…preflight are CPU-ish seconds summed over the workers): " +
          ", ".join(f"{k} {v:.2f}" for k, v in cold["stages"].items() if k != "jobs"))
    jobs = cold["stages"]["jobs"]
    print(f"peak RSS (last round): typst {ty['maxrss'] / mb:.0f} MB (one process); paiban parent "
          f"{cold['maxrss_self'] / mb:.0f} MB, largest worker {cold['maxrss_children'] / mb:.0f} MB (all {jobs + 1} "
          f"processes together at most {(cold['maxrss_self'] + jobs * cold['maxrss_children']) / mb:.0f} MB, "
          f"counting the pages they share once per process); PDF bytes: typst {ty['bytes']:,}")
    ratios = sorted(c["process"] / t["process"] for t, c, *_ in rounds)
    warms = sorted(w["process"] / t["process"] for t, _, w, *_ in rounds)
    seps = sorted(p["process"] / t["process"] for t, *_, p in rounds)
    sep_s = sorted(c["process"] - p["process"] for _, c, *_, p in rounds)
    rebuilds = sorted(w["rebuild"]["median"] for _, _, w, *_ in rounds)
    rb_cpu = sorted(w["rebuild"].get("cpu_median", float("nan")) for _, _, w, *_ in rounds)
    edits = sorted(w["rebuild_edit"]["median"] for _, _, w, *_ in rounds)
    edit_cpu = sorted(w["rebuild_edit"]["cpu_median"] for _, _, w, *_ in rounds)
    rss_ratio = sorted(max(c["maxrss_self"], c["maxrss_children"]) / t["maxrss"] for t, c, *_ in rounds)
    print(f"ratio cold/typst: median {statistics.median(ratios):.2f} (range {ratios[0]:.2f}–{ratios[-1]:.2f}; "
          f"target ≤ 2.0); warm/typst: median {statistics.median(warms):.2f}; single-page rebuild (page 02 "
          f"unchanged, as paiban watch rebuilds it): median {statistics.median(rebuilds):.3f} s wall, "
          f"{statistics.median(rb_cpu):.3f} s CPU (target ≤ 0.06 s); the same page rebuilt after a one-paragraph "
          f"edit of {warm['rebuild_edit']['file']} each time: median {statistics.median(edits):.3f} s wall, "
          f"{statistics.median(edit_cpu):.3f} s CPU; peak RSS paiban/typst: median "
          f"{statistics.median(rss_ratio):.2f} (target < 1)")
    print(f"cold but with the photos already separated (an empty cache holding only the {2 * a.pages} prepared "
          f"photos)/typst: median {statistics.median(seps):.2f} (range {seps[0]:.2f}–{seps[-1]:.2f}); the photos' "
          f"press separation adds {statistics.median(sep_s):.2f} s (range {sep_s[0]:.2f}–{sep_s[-1]:.2f}) to "
          f"the cold build")

if __name__ == "__main__":
    main()
