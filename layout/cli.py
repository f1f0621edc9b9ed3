"""The `paiban` command. main(argv) -> exit status; never a traceback for bad input.

Exit status: 0 success; 1 findings that --strict turns into failure; 2 invalid input
(one message naming the file, line and what to do); 3 an internal error (a bug: please report).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from layout import __version__
from layout.model.findings import Finding, InputError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3


def _font_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--font-path", action="append", default=[], metavar="DIR",
                   help="extra folder to look for fonts in (also PAIBAN_FONT_PATH)")
    p.add_argument("--no-system-fonts", action="store_true",
                   help="use only fonts/ and --font-path folders (builds independent of the host)")
    p.add_argument("--fonts", type=Path, metavar="FILE", help="fonts.yaml to use (default: fonts/fonts.yaml)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="paiban",
        description="排版 paiban — compose Chinese newspaper pages from YAML into print-ready PDF/X.",
        epilog="Exit status: 0 ok, 1 findings under --strict, 2 invalid input, 3 internal error.")
    p.add_argument("--version", action="version", version=f"paiban {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help="compose an issue folder into one PDF per page",
                       description="Compose every page of ISSUE_DIR and write "
                                   "OUT/<date>/<code>-<yyyymmdd>-<page>.pdf plus manifest.json.")
    b.add_argument("issue", type=Path, metavar="ISSUE_DIR")
    b.add_argument("--page", action="append", default=[], metavar="NN", help="build only this page (repeatable)")
    b.add_argument("--out", type=Path, default=Path("output"), metavar="DIR", help="output root (default: output)")
    b.add_argument("--strict", action="store_true", help="exit 1 when there are warnings or errors in the findings")
    b.add_argument("--no-marks", action="store_true", help="leave out crop/registration marks and the slug")
    b.add_argument("--deliver", type=Path, metavar="HOT_FOLDER", help="also copy the pages into a print shop's hot folder")
    b.add_argument("--format", choices=["text", "json"], default="text", help="report format on stdout")
    b.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                   help="build pages in N processes (default: one per core; 1: in this process)")
    _font_args(b)

    c = sub.add_parser("check", help="find everything a build would find, without writing PDFs")
    c.add_argument("issue", type=Path, metavar="ISSUE_DIR")
    c.add_argument("--page", action="append", default=[], metavar="NN")
    c.add_argument("--strict", action="store_true")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.add_argument("--junit", type=Path, metavar="FILE", help="also write JUnit XML (one test case per page and check)")
    _font_args(c)

    f = sub.add_parser("fonts", help="font roles and coverage: `fonts list`, `fonts check ISSUE_DIR`")
    fsub = f.add_subparsers(dest="fonts_command", metavar="ACTION")
    fl = fsub.add_parser("list", help="roles → resolved font files, faces, glyph counts, GB 2312 coverage")
    _font_args(fl)
    fc = fsub.add_parser("check", help="characters of the issue's copy that a role's first font lacks")
    fc.add_argument("issue", type=Path, metavar="ISSUE_DIR")
    _font_args(fc)

    pf = sub.add_parser("preflight", help="check PDFs (ours or an advertiser's) against the print specification")
    pf.add_argument("files", type=Path, nargs="+", metavar="FILE.pdf")
    pf.add_argument("--pdfx", choices=["PDF/X-1a:2001", "PDF/X-4"], default="PDF/X-1a:2001")
    pf.add_argument("--trim", metavar="WxH", help="expected trim size in mm, e.g. 390x540")
    pf.add_argument("--ink-limit", type=float, default=240.0)
    pf.add_argument("--strict", action="store_true")
    pf.add_argument("--format", choices=["text", "json"], default="text")
    pf.add_argument("--junit", type=Path, metavar="FILE")

    pr = sub.add_parser("proof", help="proofs for editors (校样): PDF, PNGs and a contact sheet, problems highlighted",
                        description="Compose ISSUE_DIR and write an RGB proof PDF with a 校样 watermark, overset text, "
                                    "fallback characters, loose lines and low-resolution photos highlighted, one PNG "
                                    "per page and a contact sheet of all pages (docs/check.md).")
    pr.add_argument("issue", type=Path, metavar="ISSUE_DIR")
    pr.add_argument("--page", action="append", default=[], metavar="NN")
    pr.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: output/<date>/proof)")
    pr.add_argument("--dpi", type=int, default=60, help="resolution of the page PNGs (default: 60)")
    pr.set_defaults(strict=False)
    _font_args(pr)

    d = sub.add_parser("diff", help="compare two builds (PDF files or folders) page by page",
                       description="Render both builds (trim box, ~50 dpi), outline the changed regions in red on "
                                   "the new page, write one PNG per changed page. Exit 0 identical, 1 changed.")
    d.add_argument("old", type=Path, metavar="OLD")
    d.add_argument("new", type=Path, metavar="NEW")
    d.add_argument("--out", type=Path, default=Path("output/diff"), metavar="DIR",
                   help="folder for the PNGs of changed pages (default: output/diff)")
    d.add_argument("--dpi", type=int, default=50)
    d.add_argument("--format", choices=["text", "json"], default="text")

    st = sub.add_parser("site", help="the digital edition (数字报): a static website of one or more issues",
                        description="Build each ISSUE_DIR and write a static site to DIR: page images with a clickable "
                                    "area per story, story pages, page PDFs and a date archive (docs/edition.md).")
    st.add_argument("issues", type=Path, nargs="+", metavar="ISSUE_DIR")
    st.add_argument("--out", type=Path, default=Path("output/site"), metavar="DIR",
                    help="site folder (default: output/site); issues already in it stay in the archive")
    _font_args(st)

    s = sub.add_parser("schema", help="write the JSON Schemas of the definitions (for editors)")
    s.add_argument("--out", type=Path, default=Path("schema"), metavar="DIR")

    w = sub.add_parser("watch", help="rebuild pages as their files change, with a live preview in the browser")
    w.add_argument("issue", type=Path, metavar="ISSUE_DIR")
    w.add_argument("--port", type=int, default=8000, help="preview at http://127.0.0.1:PORT/ (default 8000)")
    w.add_argument("--out", type=Path, default=Path("output"), metavar="DIR", help="output root (default: output)")
    _font_args(w)

    cl = sub.add_parser("clean", help="empty the cache folder")
    cl.add_argument("--cache", type=Path, metavar="DIR")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.command:
        parser().print_help()
        return EXIT_INPUT
    try:
        handler = {"build": cmd_build, "check": cmd_check, "fonts": cmd_fonts, "preflight": cmd_preflight,
                   "schema": cmd_schema, "clean": cmd_clean, "watch": cmd_watch, "proof": cmd_proof, "diff": cmd_diff,
                   "site": cmd_site}[args.command]
        return handler(args)
    except InputError as exc:
        print(f"paiban: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("paiban: interrupted; nothing half-written was left in the output folder", file=sys.stderr)
        return 130
    except OSError as exc:  # a file that cannot be read or written and that no stage named more precisely
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"paiban: error: {where}{exc.strerror or exc}\n"
              f"  hint: check that the file or folder exists, is readable, and that the output folder "
              f"is writable and its disk not full", file=sys.stderr)
        return EXIT_INPUT
    except RecursionError:  # input shaped to exhaust the stack somewhere no check caught
        print("paiban: error: the input is nested too deeply to process\n"
              "  hint: check the YAML files for runaway brackets or indentation", file=sys.stderr)
        return EXIT_INPUT


def _build_options(args, write: bool):
    from layout.build.options import BuildOptions
    return BuildOptions(out=getattr(args, "out", Path("output")), pages=tuple(args.page), strict=args.strict,
                        font_paths=tuple(Path(p) for p in args.font_path), system_fonts=not args.no_system_fonts,
                        fonts_yaml=args.fonts, marks=False if getattr(args, "no_marks", False) else None,
                        write=write, deliver=getattr(args, "deliver", None), jobs=max(0, getattr(args, "jobs", 0)))


def _exit_for(findings: list[Finding], strict: bool) -> int:
    if any(f.severity == "error" for f in findings):
        return EXIT_FINDINGS if strict else EXIT_OK
    if strict and any(f.severity == "warning" for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _print_findings(findings: list[Finding], indent: str = "  ") -> None:
    order = {"error": 0, "warning": 1, "info": 2}
    for f in sorted(findings, key=lambda f: order[f.severity]):
        print(f"{indent}{f}")


def cmd_build(args) -> int:
    from layout.build.issue import build
    t0 = time.perf_counter()
    report = build(args.issue, _build_options(args, write=True))
    findings = report.all_findings()
    if args.format == "json":
        print(json.dumps(_json_report(report, "build"), ensure_ascii=False, indent=2))
    else:
        _print_findings(report.findings, "")
        for p in report.pages:
            counts = _counts(p.findings)
            print(f"page {p.number}  {p.seconds:5.2f} s  {p.file}  {counts}")
            _print_findings([f for f in p.findings if f.severity != "info"])
        print(f"{len(report.pages)} page(s) in {time.perf_counter() - t0:.2f} s → {report.out_dir}  "
              f"{_counts(findings)}")
    return _exit_for(findings, args.strict)


def cmd_check(args) -> int:
    from layout.products.check import run
    return run(args, _build_options(args, write=False))


def cmd_proof(args) -> int:
    from layout.products.proof import run
    return run(args, _build_options(args, write=False))


def cmd_diff(args) -> int:
    from layout.products.diff import run
    return run(args)


def _counts(findings) -> str:
    e = sum(f.severity == "error" for f in findings)
    w = sum(f.severity == "warning" for f in findings)
    i = sum(f.severity == "info" for f in findings)
    return f"{e} error(s), {w} warning(s), {i} note(s)"


def _json_report(report, tool: str) -> dict:
    return {"tool": f"paiban {tool}", "version": __version__, "issue": report.issue.date,
            "pages": [{"page": p.number, "file": str(p.file) if p.file else None, "seconds": round(p.seconds, 3),
                       "findings": [f.to_json() for f in p.findings]} for p in report.pages],
            "findings": [f.to_json() for f in report.all_findings()]}


def cmd_fonts(args) -> int:
    from layout.build.options import BuildOptions, open_book
    from layout.fonts import fonts_check, fonts_list, format_fonts_check, format_fonts_list
    if args.fonts_command not in ("list", "check"):
        print("paiban fonts: say `paiban fonts list` or `paiban fonts check ISSUE_DIR`", file=sys.stderr)
        return EXIT_INPUT
    opts = BuildOptions(font_paths=tuple(Path(p) for p in args.font_path), system_fonts=not args.no_system_fonts,
                        fonts_yaml=args.fonts)
    if args.fonts_command == "list":
        book = open_book(opts, Path.cwd())
        print(format_fonts_list(fonts_list(book)))
        return EXIT_OK
    if args.fonts_command == "check":
        from layout.load.issue import load_issue
        issue = load_issue(args.issue)
        book = open_book(opts, args.issue)
        texts = []
        for page in issue.pages:
            for block in page.blocks:
                role_texts = _block_texts(issue, block)
                for role, text in role_texts:
                    texts.append((role, text, f"{block.where} page {page.number} {block.id}"))
        rows = fonts_check(book, texts)
        print(format_fonts_check(rows))
        return EXIT_FINDINGS if any(r.get("fallback") is None for r in rows) else EXIT_OK
    print("paiban fonts: say `list` or `check ISSUE_DIR`", file=sys.stderr)
    return EXIT_INPUT


def _block_texts(issue, block):
    styles = issue.publication.styles
    role = lambda name: (styles.get(name) or styles["body"]).font  # noqa: E731
    out = []
    for attr, style in (("text", getattr(block, "style", "body")), ("kicker", "kicker"), ("main", "headline"),
                        ("subhead", "subhead"), ("caption", "caption"), ("byline", "byline"), ("title", "masthead")):
        value = getattr(block, attr, "")
        if isinstance(value, str) and value:
            out.append((role(style), value))
    return out


def cmd_preflight(args) -> int:
    from layout.preflight.check import PreflightSpec, preflight
    from layout.preflight.report import report_json, report_junit, report_text
    trim = None
    if args.trim:
        try:
            w, h = (float(v) for v in args.trim.lower().split("x"))
            trim = (w, h)
        except ValueError:
            raise InputError(f"--trim {args.trim!r} is not like 390x540 (mm)")
    for f in args.files:
        if not f.is_file():
            raise InputError(f"{f}: file not found")
    findings = preflight(args.files, PreflightSpec(pdfx=args.pdfx, trim_mm=trim, ink_limit=args.ink_limit))
    if args.junit:
        args.junit.write_text(report_junit(findings, "paiban preflight", strict=args.strict), encoding="utf-8")
    if args.format == "json":
        print(json.dumps(report_json(findings), ensure_ascii=False, indent=2))
    else:
        print(report_text(findings))
    return _exit_for(findings, args.strict)


def cmd_schema(args) -> int:
    from layout.load.schema import write_schemas
    for path in write_schemas(args.out):
        print(path)
    return EXIT_OK


def cmd_watch(args) -> int:
    from layout.build.options import BuildOptions
    from layout.products.watch import watch
    opts = BuildOptions(out=args.out, font_paths=tuple(Path(p) for p in args.font_path),
                        system_fonts=not args.no_system_fonts, fonts_yaml=args.fonts, jobs=1)
    return watch(args.issue, opts, port=args.port)


def cmd_clean(args) -> int:
    import shutil
    from layout.build.options import BuildOptions, cache_dir
    folder = args.cache or cache_dir(BuildOptions())
    if folder.exists():
        shutil.rmtree(folder)
    print(f"emptied {folder}")
    return EXIT_OK


def cmd_site(args) -> int:
    from layout.products.site import SiteOptions, build_site
    report = build_site(args.issues, args.out, SiteOptions(font_paths=tuple(Path(p) for p in args.font_path),
                                                           system_fonts=not args.no_system_fonts,
                                                           fonts_yaml=args.fonts))
    for site in report.issues:
        sizes = ", ".join(f"{wp.number} {wp.image.bytes // 1024} KB" for wp in site.pages)
        print(f"{site.issue.date}: {len(site.pages)} page(s), {len(site.stories)} story page(s) → "
              f"{site.dir}  (page images: {sizes})")
    print(f"archive: {report.out / 'index.html'}")
    return EXIT_OK


def entry() -> None:
    try:
        code = main()
    except Exception as exc:  # a bug, not bad input: say so plainly, keep the details short
        print(f"paiban: internal error ({type(exc).__name__}: {exc}). This is a bug in paiban; "
              f"please report it with the command you ran.", file=sys.stderr)
        code = EXIT_BUG
    sys.exit(code)


if __name__ == "__main__":
    entry()
