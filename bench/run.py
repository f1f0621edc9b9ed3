"""Build benchmarks: per-stage times and peak memory, cold and warm, and how they scale with the copy.

    python3 bench/run.py                 # everything (a few minutes on 2 cores)
    python3 bench/run.py --quick         # sample + 16 pages only, no scaling
    python3 bench/run.py --json out.json # also write the figures as JSON

Every build runs in a new process (`python3 bench/run.py --child …`), so "cold" really is cold: a
new interpreter, PAIBAN_CACHE pointing to an empty folder (no FaceInfo, no converted photos).
"warm" is the same build again in another new process, with the caches the cold one filled.
"rebuild" is what `paiban watch` does after a save: one page built again in a process that already
built the issue (FontBook open, caches warm), and its PDF written.

Stages (seconds; compose/images/subset/render are summed over pages, i.e. CPU time across workers):
  load     issue YAML + copy + FontBook          images   photo preparation (convert or cache hit)
  compose  text → lines → page frame              subset   HarfBuzz font subsetting
  render   PDF content and objects                write    atomic PDF writes + manifest
Memory: tracemalloc peak of Python allocations (in a -j 1 build, where everything is in one process)
and ru_maxrss (the largest resident set: the parent, and the largest worker).

Scaling: the generated issue with 16, 32 and 64 pages (1×, 2×, 4× the copy and photos), and the
16-page issue with 1×, 2×, 4× copy in every story (the overset copy is broken and reported, so
this shows the line breaker's growth with the length of the copy).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STAGES = ("load", "compose", "images", "subset", "render", "preflight", "write")
REBUILDS = 11  # rebuilds timed (median reported)


# --- the child: one build, figures as JSON on stdout ------------------------------------------------

def child(issue: Path, out: Path, jobs: int, trace: bool, rebuild: str | None, check: bool) -> dict:
    if trace:
        import tracemalloc
        tracemalloc.start()
    t0 = time.perf_counter()
    from layout.build import BuildOptions, build, open_book
    opts = BuildOptions(out=out, jobs=jobs, write=not check)
    book = open_book(opts, issue)
    report = build(issue, opts, book)
    wall = time.perf_counter() - t0
    res = {"wall": wall, "stages": report.stages, "pages": len(report.pages),
           "chars": sum(len(b.text) for p in report.issue.pages for b in p.blocks if hasattr(b, "text")
                        and type(b).__name__ == "StoryBlock")}
    if rebuild:
        t_rebuilds = time.perf_counter()
        from dataclasses import replace
        from layout.load import LoadCache
        from layout.build.memo import RebuildMemo
        times, cpu = [], []
        # as paiban watch keeps them: unchanged pages are not parsed again, unchanged paragraphs not
        # broken again, unchanged page files not hashed again
        again = replace(opts, pages=(rebuild,), jobs=1, load_cache=LoadCache(), memo=RebuildMemo())
        build(issue, again, book)
        for _ in range(REBUILDS):
            t, c = time.perf_counter(), time.process_time()
            r = build(issue, again, book)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        res["rebuild"] = {"best": min(times), "median": sorted(times)[REBUILDS // 2], "stages": r.stages,
                          "cpu_median": sorted(cpu)[REBUILDS // 2]}
        # and as after a save in watch: the first paragraph of a story on the page changed each time
        # (the page's bytes differ, so nothing of the page as a whole can be reused)
        res["rebuild_edit"] = edited_rebuilds(issue, again, book, rebuild)
        res["rebuilds_s"] = time.perf_counter() - t_rebuilds  # not part of the warm build's process time
    if trace:
        import tracemalloc
        res["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    res["maxrss_self"] = me.ru_maxrss * 1024
    res["maxrss_children"] = kids.ru_maxrss * 1024
    res["cpu"] = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime  # this process and its workers
    return res


_COMPILED = False


def compile_bytecode() -> None:
    """Write layout/'s .pyc files once, as an installed package has them.

    Without them every child compiles paiban's ~90 modules from source (≈ 0.3 s a process, found
    with cProfile) when PYTHONDONTWRITEBYTECODE is set, as it is on our CI machines: a cost no
    installed copy pays, which would be charged to paiban in every cold/warm figure.
    """
    global _COMPILED
    if not _COMPILED:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "layout")], check=True)
        _COMPILED = True


def edited_rebuilds(issue: Path, opts, book, number: str) -> dict:
    from layout.build import build
    from layout.load import load_issue
    page = next(p for p in load_issue(issue).pages if p.number == number.zfill(2))
    copy = next(Path(b.copy) for b in page.blocks if getattr(b, "copy", None))
    original = copy.read_bytes()
    times, cpu = [], []
    try:
        text = original.decode("utf-8")
        for i in range(REBUILDS):
            copy.write_text(f"第{i + 1}次修改：" + text, "utf-8")
            t, c = time.perf_counter(), time.process_time()
            build(issue, opts, book)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
    finally:
        copy.write_bytes(original)
    return {"median": sorted(times)[REBUILDS // 2], "cpu_median": sorted(cpu)[REBUILDS // 2],
            "file": copy.name}


def run_child(issue: Path, cache: Path, jobs: int = 0, trace: bool = False, rebuild: str | None = None,
              check: bool = False) -> dict:
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="paiban-bench-out-") as out:
        cmd = [sys.executable, str(Path(__file__)), "--child", str(issue), out, str(jobs)]
        cmd += ["--trace"] * trace + (["--rebuild", rebuild] if rebuild else []) + ["--check"] * check
        env = dict(os.environ, PAIBAN_CACHE=str(cache))
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        outer = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"bench child failed:\n{proc.stderr[-3000:]}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["process"] = outer - res.get("rebuilds_s", 0.0)  # interpreter start + imports + build (+ exit)
    return res


# --- the parent ---------------------------------------------------------------------------------

def fmt_row(label: str, r: dict) -> str:
    st = r["stages"]
    cells = " ".join(f"{st.get(s, 0.0):7.2f}" for s in STAGES)
    rss = max(r["maxrss_self"], r["maxrss_children"]) / 2**20
    return f"{label:<28} {r['process']:7.2f} {r['wall']:7.2f} {cells} {rss:7.0f}"


HEADER = (f"{'':<28} {'process':>7} {'build':>7} " + " ".join(f"{s:>7}" for s in STAGES) + f" {'RSS MB':>7}")


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines()
                if l.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {cpu}, {mem / 2**20:.1f} GiB RAM, " \
           f"Python {sys.version.split()[0]}"


def scenario(name: str, issue: Path, rebuild: str | None, results: dict, lines: list) -> None:
    with tempfile.TemporaryDirectory(prefix="paiban-bench-cache-") as cache:
        cold = run_child(issue, Path(cache))
        warm = run_child(issue, Path(cache), rebuild=rebuild)
    results[name] = {"cold": cold, "warm": warm}
    lines.append(fmt_row(f"{name} cold", cold))
    lines.append(fmt_row(f"{name} warm", warm))
    if rebuild:
        rb = warm["rebuild"]
        lines.append(f"{name} warm rebuild of page {rebuild}: best {rb['best']:.3f} s, median {rb['median']:.3f} s wall, {rb['cpu_median']:.3f} s CPU  "
                     + " ".join(f"{s} {rb['stages'].get(s, 0.0):.3f}" for s in STAGES))
        ed = warm["rebuild_edit"]
        lines.append(f"{name} warm rebuild of page {rebuild} after an edit of {ed['file']} each time: median "
                     f"{ed['median']:.3f} s wall, {ed['cpu_median']:.3f} s CPU")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--child", nargs=3, metavar=("ISSUE", "OUT", "JOBS"), help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--rebuild", help=argparse.SUPPRESS)
    ap.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="sample and 16 pages only")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args()
    if a.child:
        issue, out, jobs = a.child
        print(json.dumps(child(Path(issue), Path(out), int(jobs), a.trace, a.rebuild, a.check)))
        return

    from gen import generate
    results: dict = {"machine": machine()}
    lines = [f"machine: {results['machine']}", "", HEADER]
    work = Path(tempfile.mkdtemp(prefix="paiban-bench-"))
    try:
        scenario("sample (2 pages)", ROOT / "issues" / "2022-01-14", "04", results, lines)
        issue16 = generate(work / "p16", 16)
        scenario("16 pages", issue16, "05", results, lines)
        with tempfile.TemporaryDirectory(prefix="paiban-bench-cache-") as cache:
            mem = run_child(issue16, Path(cache), jobs=1, trace=True)
        results["memory_16_j1"] = mem
        lines.append(fmt_row("16 pages cold -j 1", mem) + "   (tracemalloc on: slower)")
        lines.append(f"16 pages -j 1: tracemalloc peak {mem['tracemalloc_peak'] / 2**20:.0f} MB, "
                     f"ru_maxrss {mem['maxrss_self'] / 2**20:.0f} MB")
        if not a.quick:
            lines += ["", "scaling with pages (1×, 2×, 4× the copy and photos):", HEADER]
            for n in (32, 64):
                issue = generate(work / f"p{n}", n)
                scenario(f"{n} pages", issue, None, results, lines)
            lines += ["", "scaling with copy per story (16 pages, check only, overset copy is broken too):", HEADER]
            for k in (1, 2, 4):
                issue = generate(work / f"c{k}", 16, copy_scale=k)
                with tempfile.TemporaryDirectory(prefix="paiban-bench-cache-") as cache:
                    run_child(issue, Path(cache), check=True)
                    r = run_child(issue, Path(cache), check=True, jobs=1)
                results[f"copy {k}x"] = r
                lines.append(fmt_row(f"copy {k}× ({r['chars']:,} chars) warm -j1", r))
    finally:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines))
    if a.json:
        a.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
