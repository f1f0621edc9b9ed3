"""The `paiban` command. main(argv) -> exit status; never a traceback for bad input.

Exit status: 0 success; 1 an error finding (a page must not go to press), or under --strict also a
warning; 2 invalid input
(one message naming the file, line and what to do); 3 an internal error (a bug: please report).
"""
from __future__ import annotations

import argparse
import difflib
import errno
import json
import os
import sys
import time
from pathlib import Path

from layout import __version__
from layout.model.diagnostics import excerpt, format_error, use_colour
from layout.model.findings import Finding, InputError, Where
from layout.model.i18n import N_, _, catalog
from layout.model.ranges import number, size_mm
from layout.preflight.limits import PREFLIGHT_MAX_PAGES

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
PROOF_DPI = 150   # proofreadable: 10.5 pt body text is ~22 px high


# -- the argument parser: suggestions, defaults in every help text, the user's language --------------

class Parser(argparse.ArgumentParser):
    """argparse that suggests the nearest subcommand, choice or option for a misspelt one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            choices = [str(c) for c in action.choices]
            message = _("invalid choice: '{value}' (choose from {choices})", value=value,
                        choices=", ".join(choices))
            near = nearest(str(value), choices, cutoff=0.5)
            if near:
                message += "\n  " + _("hint: did you mean '{near}'?", near=near)
            raise argparse.ArgumentError(action, message)

    def options(self) -> list[str]:
        return [s for a in self._actions for s in a.option_strings]

    def subparsers(self) -> dict[str, "Parser"]:
        found = {}
        for a in self._actions:
            if isinstance(a, argparse._SubParsersAction):
                found.update(a.choices)
        return found


def nearest(word: str, candidates: list[str], cutoff: float) -> str | None:
    """The candidate the user most likely meant: same but for case, the only one it begins, or the
    closest spelling (difflib) — None when nothing is close."""
    folded = [c for c in candidates if c.lower() == word.lower()]
    starts = [c for c in candidates if c.lower().startswith(word.lower())]
    if folded or len(starts) == 1:
        return (folded or starts)[0]
    near = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return near[0] if near else None


def unknown_arguments_message(active: Parser, top: Parser, extras: list[str]) -> str:
    """'unrecognized arguments' with the nearest option of the command, or the commands that have it."""
    lines = [_("unrecognized arguments: {args}", args=" ".join(extras))]
    for arg in extras:
        if not arg.startswith("-"):
            continue
        name = arg.split("=", 1)[0]
        near = nearest(name, active.options(), cutoff=0.6)
        if near:
            lines.append("  " + _("hint: did you mean '{near}'?", near=near))
            continue
        elsewhere = sorted(cmd for cmd, sp in top.subparsers().items() if name in sp.options())
        if elsewhere:
            lines.append("  " + _("hint: {option} is an option of: {commands}", option=name,
                                  commands=", ".join(f"paiban {c}" for c in elsewhere)))
    return "\n".join(lines)


def active_parser(top: Parser, args) -> Parser:
    """The parser of the (sub)command that was given, for its usage line and options."""
    p = top
    for dest in ("command", "fonts_command"):
        name = getattr(args, dest, None)
        if name and name in p.subparsers():
            p = p.subparsers()[name]
    return p


class HelpFormatter(argparse.HelpFormatter):
    """Every option's help ends with its default, unless it says it or has none worth saying."""

    def _get_help_string(self, action):
        text = action.help or ""
        default = action.default
        if action.option_strings and "%(default)" not in text and "default:" not in text \
                and "默认" not in text and default not in (None, False, [], argparse.SUPPRESS):
            text += _(" (default: %(default)s)")
        return text


class VersionAction(argparse.Action):
    """--version: paiban and the libraries and tools whose versions decide the output."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help=_("show the versions of paiban and of the libraries and tools it uses, and exit"))

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def version_text() -> str:
    import platform
    import shutil
    import subprocess
    rows = [("paiban", __version__), ("Python", platform.python_version())]

    def lib(name: str, get) -> None:
        try:
            rows.append((name, get()))
        except Exception:  # a library missing or too old to say: report it, do not fail
            rows.append((name, _("not available")))

    def tool(name: str, argv: list[str], pick) -> None:
        if not shutil.which(argv[0]):
            rows.append((name, _("not installed")))
            return
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            rows.append((name, pick(proc.stdout + proc.stderr).strip() or "?"))
        except (OSError, subprocess.SubprocessError):
            rows.append((name, _("not available")))

    lib("reportlab", lambda: __import__("reportlab").Version)
    lib("HarfBuzz", lambda: f"{__import__('uharfbuzz').version_string()} "
                            f"(uharfbuzz {__import__('uharfbuzz').__version__})")
    lib("Pillow", lambda: __import__("PIL").__version__)
    lib("LittleCMS", lambda: __import__("PIL.features", fromlist=["version"]).version("littlecms2") or "?")
    lib("fontTools", lambda: __import__("fontTools").version)
    lib("pikepdf", lambda: f"{__import__('pikepdf').__version__} (qpdf {__import__('pikepdf').__libqpdf_version__})")
    tool("Ghostscript", ["gs", "--version"], lambda out: out.splitlines()[0] if out else "")
    tool("poppler", ["pdftoppm", "-v"], lambda out: out.splitlines()[0].split()[-1] if out else "")
    width = max(len(name) for name, _v in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


# argparse's own words, for the catalog (argparse looks them up through the `_` it is given below)
ARGPARSE_MESSAGES = (N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
                     N_("the following arguments are required: %s"), N_("%(prog)s: error: %(message)s\n"),
                     N_("argument %(argument_name)s: %(message)s"), N_("expected one argument"),
                     N_("invalid %(type)s value: %(value)r"), N_("ambiguous option: %(option)s could match %(matches)s"),
                     N_("not allowed with argument %s"), N_("expected at least one argument"))


def _translate_argparse() -> None:
    """argparse's usage line, section titles and errors in the user's language."""
    argparse._ = lambda message: catalog().gettext(message)


def _font_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--font-path", action="append", default=[], metavar="DIR",
                   help=_("extra folder to look for fonts in, repeatable (also PAIBAN_FONT_PATH)"))
    p.add_argument("--no-system-fonts", action="store_true",
                   help=_("use only fonts/ and --font-path folders (builds independent of the host)"))
    p.add_argument("--fonts", type=Path, metavar="FILE",
                   help=_("fonts.yaml to use (default: fonts/fonts.yaml of the issues' project, the current "
                           "folder or paiban's own)"))


def _page_arg(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--page", action="append", default=[], metavar="NN", help=what)


def parser() -> argparse.ArgumentParser:
    _translate_argparse()
    p = Parser(
        prog="paiban",
        description=_("排版 paiban — compose Chinese newspaper pages from YAML into print-ready PDF/X."),
        epilog=_("Exit status: 0 ok, 1 errors found (with --strict: also warnings), 2 invalid input, 3 internal error."))
    p.add_argument("--version", action=VersionAction)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))

    b = sub.add_parser("build", help=_("compose an issue folder into one PDF per page"),
                       description=_("Compose every page of ISSUE_DIR and write "
                                     "OUT/<date>/<code>-<yyyymmdd>-<page>.pdf plus manifest.json."))
    b.add_argument("issue", type=Path, metavar="ISSUE_DIR", help=_("the issue folder (with issue.yaml)"))
    _page_arg(b, _("build only this page, e.g. 04 (repeatable; default: every page)"))
    b.add_argument("--out", type=Path, default=Path("output"), metavar="DIR", help=_("output root"))
    b.add_argument("--strict", action="store_true", help=_("exit 1 on warnings too (errors always exit 1)"))
    b.add_argument("--no-marks", action="store_true", help=_("leave out crop/registration marks and the slug"))
    b.add_argument("--deliver", type=Path, metavar="HOT_FOLDER",
                   help=_("also copy the pages into a print shop's hot folder (default: no delivery)"))
    b.add_argument("--format", choices=["text", "json"], default="text", help=_("report format on stdout"))
    b.add_argument("-j", "--jobs", type=number(0, 256, int), default=0, metavar="N",
                   help=_("build pages in N processes (default: 0, one per core; 1: in this process)"))
    _font_args(b)

    c = sub.add_parser("check", help=_("find everything a build would find, without writing PDFs"))
    c.add_argument("issue", type=Path, metavar="ISSUE_DIR", help=_("the issue folder (with issue.yaml)"))
    _page_arg(c, _("check only this page, e.g. 04 (repeatable; default: every page)"))
    c.add_argument("--strict", action="store_true", help=_("exit 1 on warnings too (errors always exit 1)"))
    c.add_argument("--format", choices=["text", "json"], default="text", help=_("report format on stdout"))
    c.add_argument("--junit", type=Path, metavar="FILE",
                   help=_("also write JUnit XML, one test case per page and check (default: none)"))
    _font_args(c)

    f = sub.add_parser("fonts", help=_("font roles and coverage: `fonts list`, `fonts check ISSUE_DIR`"))
    fsub = f.add_subparsers(dest="fonts_command", metavar="ACTION", title=_("actions"))
    fl = fsub.add_parser("list", help=_("roles → resolved font files, faces, glyph counts, GB 2312 coverage"))
    _font_args(fl)
    fc = fsub.add_parser("check", help=_("characters of the issue's copy that a role's first font lacks"))
    fc.add_argument("issue", type=Path, metavar="ISSUE_DIR", help=_("the issue folder (with issue.yaml)"))
    _font_args(fc)

    pf = sub.add_parser("preflight", help=_("check PDFs (ours or an advertiser's) against the print specification"))
    pf.add_argument("files", type=Path, nargs="+", metavar="FILE.pdf", help=_("the PDF files to check"))
    pf.add_argument("--pdfx", choices=["PDF/X-1a:2001", "PDF/X-4"], default="PDF/X-1a:2001",
                    help=_("the PDF/X standard the files must meet"))
    pf.add_argument("--trim", type=size_mm(), metavar="WxH",
                    help=_("expected trim size in mm, e.g. 390x540 (default: any size)"))
    pf.add_argument("--ink-limit", type=number(100, 400, float, "%"), default=240.0, metavar="PERCENT",
                    help=_("highest total ink coverage allowed, in per cent"))
    pf.add_argument("--max-pages", type=number(1, 100_000, int), default=PREFLIGHT_MAX_PAGES, metavar="N",
                    help=_("check at most N pages of each file; more pages is an error"))
    pf.add_argument("--strict", action="store_true", help=_("exit 1 on warnings too (errors always exit 1)"))
    pf.add_argument("--format", choices=["text", "json"], default="text", help=_("report format on stdout"))
    pf.add_argument("--junit", type=Path, metavar="FILE",
                    help=_("also write JUnit XML, one test case per file and check (default: none)"))

    fx = sub.add_parser("fix-ad", help=_("repair an advertiser's PDF where that is safe (Ghostscript), check it again"),
                        description=_("Convert RGB/ICC/spot colour to CMYK through the press profile, flatten "
                                      "transparency, embed fonts (Ghostscript pdfwrite, PDF 1.3), check the result "
                                      "and label it PDF/X-1a:2001. Too much ink, low resolution or a wrong size are "
                                      "not repaired. Exit 0 when OUT passes preflight, 1 when the file cannot be "
                                      "repaired (OUT is then not written)."))
    fx.add_argument("src", type=Path, metavar="IN.pdf", help=_("the advertiser's PDF"))
    fx.add_argument("dst", type=Path, metavar="OUT.pdf", help=_("where the repaired file goes"))
    fx.add_argument("--profile", type=Path, metavar="ICC", help=_("press CMYK profile (default: the built-in one)"))
    fx.add_argument("--trim", type=size_mm(), metavar="WxH", help=_("expected trim size in mm, e.g. 83.8x148.2 (default: any size)"))
    fx.add_argument("--ink-limit", type=number(100, 400, float, "%"), default=240.0, metavar="PERCENT",
                    help=_("highest total ink coverage allowed, in per cent"))

    pr = sub.add_parser("proof", help=_("proofs for editors (校样): PDF, PNGs and a contact sheet, problems highlighted"),
                        description=_("Compose ISSUE_DIR and write an RGB proof PDF with a 校样 watermark, overset "
                                      "text, fallback characters, loose lines and low-resolution photos highlighted, "
                                      "one PNG per page and a contact sheet of all pages (docs/check.md)."))
    pr.add_argument("issue", type=Path, metavar="ISSUE_DIR", help=_("the issue folder (with issue.yaml)"))
    _page_arg(pr, _("proof only this page, e.g. 04 (repeatable; default: every page)"))
    pr.add_argument("--out", type=Path, metavar="DIR", help=_("output folder (default: output/<date>/proof)"))
    pr.add_argument("--dpi", type=number(10, 600, int), default=PROOF_DPI, help=_("resolution of the page PNGs"))
    pr.set_defaults(strict=False)
    _font_args(pr)

    d = sub.add_parser("diff", help=_("compare two builds (PDF files or folders) page by page"),
                       description=_("Render both builds (trim box, ~50 dpi), outline the changed regions in red on "
                                     "the new page, write one PNG per changed page. Exit 0 identical, 1 changed."))
    d.add_argument("old", type=Path, metavar="OLD", help=_("the earlier build: a PDF file or a build folder"))
    d.add_argument("new", type=Path, metavar="NEW", help=_("the later build: a PDF file or a build folder"))
    d.add_argument("--out", type=Path, default=Path("output/diff"), metavar="DIR",
                   help=_("folder for the PNGs of changed pages"))
    d.add_argument("--dpi", type=number(10, 600, int), default=50, help=_("resolution of the comparison"))
    d.add_argument("--format", choices=["text", "json"], default="text", help=_("report format on stdout"))

    st = sub.add_parser("site", help=_("the digital edition (数字报): a static website of one or more issues"),
                        description=_("Build each ISSUE_DIR and write a static site to DIR: page images with a "
                                      "clickable area per story, story pages, page PDFs and a date archive "
                                      "(docs/edition.md). A page whose build has an error is not published (a "
                                      "version of it published by an earlier run stays) and the exit status is 1; "
                                      "warnings never hold a page back."))
    st.add_argument("issues", type=Path, nargs="+", metavar="ISSUE_DIR", help=_("the issue folders"))
    st.add_argument("--out", type=Path, default=Path("output/site"), metavar="DIR",
                    help=_("site folder; issues already in it stay in the archive"))
    st.add_argument("--strict", action="store_true", help=_("exit 1 on warnings too (errors always exit 1)"))
    st.add_argument("--publish-errors", action="store_true",
                    help=_("publish pages whose build has an error anyway, with a notice to readers that the page "
                           "image awaits correction (for emergencies; the exit status is still 1)"))
    _font_args(st)

    s = sub.add_parser("schema", help=_("write the JSON Schemas of the definitions (for editors)"))
    s.add_argument("--out", type=Path, default=Path("schema"), metavar="DIR", help=_("folder for the schema files"))

    w = sub.add_parser("watch", help=_("rebuild pages as their files change, with a live preview in the browser"))
    w.add_argument("issue", type=Path, metavar="ISSUE_DIR", help=_("the issue folder (with issue.yaml)"))
    w.add_argument("--port", type=number(1, 65535, int), default=8000, help=_("preview at http://127.0.0.1:PORT/"))
    w.add_argument("--out", type=Path, default=Path("output"), metavar="DIR", help=_("output root"))
    _font_args(w)

    cl = sub.add_parser("clean", help=_("empty the cache folder"))
    cl.add_argument("--cache", type=Path, metavar="DIR",
                    help=_("the cache folder to empty (default: $PAIBAN_CACHE, or .cache/paiban in the project)"))
    return p


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args, extras = top.parse_known_args(argv)
    if extras:
        active_parser(top, args).error(unknown_arguments_message(active_parser(top, args), top, extras))
    if not args.command:
        top.print_help()
        return EXIT_INPUT
    try:
        handler = {"build": cmd_build, "check": cmd_check, "fonts": cmd_fonts, "preflight": cmd_preflight,
                   "schema": cmd_schema, "clean": cmd_clean, "watch": cmd_watch, "proof": cmd_proof, "diff": cmd_diff,
                   "site": cmd_site, "fix-ad": cmd_fix_ad}[args.command]
        return handler(args)
    except InputError as exc:
        print(format_error("paiban", exc.message, exc.where, exc.hint, use_colour(sys.stderr)), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("paiban: " + _("interrupted; nothing half-written was left in the output folder"), file=sys.stderr)
        return 130
    except OSError as exc:  # a file that cannot be read or written and that no stage named more precisely
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(format_error("paiban", f"{where}{exc.strerror or exc}", Where(), os_error_hint(exc),
                           use_colour(sys.stderr)), file=sys.stderr)
        return EXIT_INPUT
    except RecursionError:  # input shaped to exhaust the stack somewhere no check caught
        print(format_error("paiban", _("the input is nested too deeply to process"), Where(),
                           _("check the YAML files for runaway brackets or indentation"), use_colour(sys.stderr)),
              file=sys.stderr)
        return EXIT_INPUT


def os_error_hint(exc: OSError) -> str:
    """What to do about an OSError that no stage named more precisely, by its errno."""
    if exc.errno == errno.ENOENT:
        return _("check the path: the file or folder does not exist")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("you may not read or write there: check the permissions, or choose another folder (--out)")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the disk is full: free some space, or choose another output folder (--out)")
    if exc.errno in (errno.ENOTDIR, errno.EISDIR, errno.EEXIST):
        return _("a file is where a folder should be (or the other way round): check the paths")
    if exc.errno == errno.EADDRINUSE:
        return _("the network port is in use: choose another one (--port)")
    return _("check that the files exist and are readable, and that the output folder is writable")


def _build_options(args, write: bool):
    from layout.build.options import BuildOptions
    return BuildOptions(out=getattr(args, "out", Path("output")), pages=tuple(args.page), strict=args.strict,
                        font_paths=tuple(Path(p) for p in args.font_path), system_fonts=not args.no_system_fonts,
                        fonts_yaml=args.fonts, marks=False if getattr(args, "no_marks", False) else None,
                        write=write, deliver=getattr(args, "deliver", None), jobs=max(0, getattr(args, "jobs", 0)))


def _exit_for(findings: list[Finding], strict: bool) -> int:
    from layout.model.findings import exit_status
    return EXIT_FINDINGS if exit_status(findings, strict) else EXIT_OK


def _print_findings(findings: list[Finding], indent: str = "  ") -> None:
    order = {"error": 0, "warning": 1, "info": 2}
    colour = use_colour(sys.stdout)
    for f in sorted(findings, key=lambda f: order[f.severity]):
        print(f"{indent}{f}")
        source = excerpt(f.where, colour, indent + "    ") if f.severity != "info" else ""
        if source:
            print(source)


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
            print(_("page {page}  {seconds:5.2f} s  {file}  {counts}", page=p.number, seconds=p.seconds, file=p.file,
                    counts=counts))
            _print_findings([f for f in p.findings if f.severity != "info"])
        print(_("{pages} page(s) in {seconds:.2f} s → {folder}  {counts}", pages=len(report.pages),
                seconds=time.perf_counter() - t0, folder=report.out_dir, counts=_counts(findings)))
        failed = [p.number for p in report.pages if p.failed]
        if failed:
            print(_('not for press (an error; written without the PDF/X label): page {pages}',
                    pages=", ".join(failed)))
        if args.deliver:
            print(_('delivered to {folder}: {n} page(s) and manifest.json', folder=args.deliver,
                    n=len(report.delivered) - 1)
                  + (_('; held back: page {pages}', pages=", ".join(p.number for p in report.held_back))
                     if report.held_back else ""))
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
    return _("{errors} error(s), {warnings} warning(s), {notes} note(s)", errors=e, warnings=w, notes=i)


def _json_report(report, tool: str) -> dict:
    """The build's report in the one findings shape (docs/findings.schema.json), with the issue and one
    section per page: its definition file, the PDF written, status (failed: not for press) and delivery."""
    from layout.preflight.report import report_json
    issue = report.issue
    specs = {p.number: p for p in issue.pages}
    delivered = {str(f) for f in report.delivered}
    pages = [{"page": p.number, "file": specs[p.number].where.file or str(specs[p.number].file),
              "section": specs[p.number].section, "seconds": round(p.seconds, 3),
              "pdf": str(p.file) if p.file else None, "status": "failed" if p.failed else "ok",
              "delivered": str(p.file) in delivered} for p in report.pages]
    info = {"folder": str(issue.folder), "date": issue.date, "publication": issue.publication.name,
            "number": issue.number}
    return report_json(report.all_findings(), tool=f"paiban {tool}", issue=info, pages=pages)


def cmd_fonts(args) -> int:
    from layout.build.options import BuildOptions, open_book
    from layout.fonts import fonts_check, fonts_list, format_fonts_check, format_fonts_list
    if args.fonts_command not in ("list", "check"):
        print("paiban fonts: " + _("say `paiban fonts list` or `paiban fonts check ISSUE_DIR`"), file=sys.stderr)
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
    print("paiban fonts: " + _("say `paiban fonts list` or `paiban fonts check ISSUE_DIR`"), file=sys.stderr)
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


def cmd_fix_ad(args) -> int:
    from layout.photo.color import DEFAULT_PROFILE
    from layout.preflight.check import PreflightSpec
    from layout.preflight.repair import RepairError, fix_ad
    from layout.preflight.report import report_text
    if not args.src.is_file():
        raise InputError(_('{f}: file not found', f=args.src), hint=_("give the advertiser's PDF"))
    profile = args.profile or DEFAULT_PROFILE
    if not profile.is_file():
        raise InputError(_('{f}: profile not found', f=profile), hint=_('give a CMYK ICC profile with --profile'))
    if args.dst.resolve() == args.src.resolve():
        raise InputError(_('OUT.pdf must not be IN.pdf'), hint=_('write the repaired file beside the original'))
    spec = PreflightSpec(trim_mm=args.trim, ink_limit=args.ink_limit)
    try:
        before, after = fix_ad(args.src, args.dst, profile, spec)
    except RepairError as exc:
        raise InputError(_('{f}: Ghostscript could not rewrite it ({exc})', f=args.src, exc=exc),
                         hint=_('ask the advertiser for the file again (PDF/X-1a)')) from None
    print(_('before:'))
    print(report_text(before), end="")
    ok = not any(f.severity == "error" for f in after)
    print(_('after ({file}):', file=args.dst) if ok else _('after (not written):'))
    print(report_text(after), end="")
    return _exit_for(after, False)


def cmd_preflight(args) -> int:
    from layout.preflight.check import PreflightSpec, preflight
    from layout.preflight.limits import Limits
    from layout.preflight.report import report_json, report_junit, report_text
    for f in args.files:
        if not f.is_file():
            raise InputError(_('{f}: file not found', f=f), hint=_('check the path of the PDF file'))
    findings = preflight(args.files, PreflightSpec(pdfx=args.pdfx, trim_mm=args.trim, ink_limit=args.ink_limit,
                                                  limits=Limits(max_pages=args.max_pages)))
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
    from layout.model.cachetag import TAG_NAME, is_marked
    folder = args.cache or cache_dir(BuildOptions(), marked=False)
    if folder.is_symlink() or (folder.exists() and not is_marked(folder)):
        raise InputError(_("{folder} is not a paiban cache (it holds no {tag}): nothing deleted", folder=folder,
                           tag=TAG_NAME),
                         hint=_("name the folder paiban caches into (PAIBAN_CACHE, default .cache/paiban)"))
    if folder.exists():
        shutil.rmtree(folder)
    print(_("emptied {folder}", folder=folder))
    return EXIT_OK


def cmd_site(args) -> int:
    from layout.products.site import SiteOptions, build_site
    report = build_site(args.issues, args.out, SiteOptions(font_paths=tuple(Path(p) for p in args.font_path),
                                                           system_fonts=not args.no_system_fonts,
                                                           fonts_yaml=args.fonts,
                                                           publish_errors=args.publish_errors))
    for site in report.issues:
        fresh = [wp for wp in site.pages if not wp.kept]
        sizes = ", ".join(f"{wp.number} {wp.image.bytes // 1024} KB" for wp in fresh)
        if site.published:
            print(_("{date}: {pages} page(s), {stories} story page(s) → {folder}  (page images: {sizes})  {counts}",
                    date=site.issue.date, pages=len(fresh), stories=len(site.stories), folder=site.dir,
                    sizes=sizes or "-", counts=_counts(site.findings)))
        else:
            print(_("{date}: not published (no page without errors)  {counts}", date=site.issue.date,
                    counts=_counts(site.findings)))
        _print_findings([f for f in site.findings if f.severity != "info"])
        if site.withheld:
            print(_("withheld (an error; not published): page {pages}", pages=", ".join(site.withheld)))
        if site.kept:
            print(_("the version published earlier stays: page {pages}", pages=", ".join(site.kept)))
        if site.flagged:
            print(_("published with errors (--publish-errors): page {pages}", pages=", ".join(site.flagged)))
        if site.withheld:
            print("  " + _("hint: correct the errors and run again; --publish-errors publishes such pages anyway"))
    print(_("archive: {file}", file=report.out / "index.html"))
    return _exit_for(report.findings, args.strict)


class _QuietWhenClosed:
    """stdout that falls silent when its reader goes away (`paiban build … | head -1`): the command still
    finishes its work and exits with its own status, instead of failing on a line nobody reads (before: an
    input error, exit 2, "Broken pipe")."""

    def __init__(self, stream):
        self._stream = stream
        self._closed = False

    def _gone(self) -> None:
        self._closed = True
        try:   # the interpreter flushes stdout at exit: let that go to /dev/null, not to the closed pipe
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass

    def write(self, text: str) -> int:
        if not self._closed:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        if not self._closed:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def entry() -> None:
    sys.stdout = _QuietWhenClosed(sys.stdout)
    try:
        code = main()
    except Exception as exc:  # a bug, not bad input: say so plainly, keep the details short
        print("paiban: " + _("internal error ({kind}: {error}). This is a bug in paiban; please report it with "
                             "the command you ran.", kind=type(exc).__name__, error=exc), file=sys.stderr)
        code = EXIT_BUG
    _leave(code)


def _leave(code: int) -> None:
    """End the process once the command is done, without tearing the interpreter down: every file it
    wrote is closed (a build's fsynced and renamed) by now, and freeing the modules, fonts and pages
    object by object took 0.06–0.1 s of every run — after a 16-page build, longer than writing its
    manifest. The exit handlers still run (temporary folders, multiprocessing). The interpreter exits
    as usual after an interrupt or a bug, while another thread or child process is still there, or when
    the output cannot be flushed."""
    import atexit
    import threading
    mp = sys.modules.get("multiprocessing")
    if code not in (EXIT_OK, EXIT_FINDINGS, EXIT_INPUT) or threading.active_count() > 1 or \
            (mp is not None and mp.active_children()):
        sys.exit(code)
    atexit._run_exitfuncs()  # once: they are cleared, so the usual exit below would not run them again
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # e.g. a full disk: reported by the interpreter's exit as before
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    entry()
