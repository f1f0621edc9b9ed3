"""How a cold `paiban build -j 2` uses the two cores: where a core waits, and for what.

    python3 bench/cores.py [--pages 16] [--rounds 3] [--issue DIR]

Each round builds the generated issue (bench/gen.py) cold — a new process, PAIBAN_CACHE an empty
folder — through `layout.cli.entry`, as `python3 -m layout build -j 2` does, and reports from the
kernel's own accounting (/proc/<pid>/schedstat: time on a CPU, time runnable but waiting for one):

  start    from the process's start to the first page begun in a worker (the parent alone: imports,
           the issue loaded and validated, the FontBook; the other core has nothing to do)
  pages    per worker: the span from its first page's start to its last page's end, its time on a CPU,
           waiting for a CPU (another process of the build or of the machine had it) and blocked (I/O)
  tail     between the first and the last worker finishing (one core idle)
  end      from the last page done to the process gone (staging, renames, manifest, the pool's
           shutdown, the interpreter's exit)
  others   CPU seconds the rest of the machine used meanwhile (/proc/stat less this build's):
           a round with others > 0.3 s is not a measurement of this build
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HZ = os.sysconf("SC_CLK_TCK")

# Run in the child: wrap the worker's page function to log the kernel's counters around each page.
CHILD = r"""
import json, os, sys, time
log = sys.argv[1]
def sched():
    a = open("/proc/self/schedstat").read().split()
    return int(a[0]) / 1e9, int(a[1]) / 1e9
import layout.build.workers as W
real = W._work
def _work(task):
    s = time.time(); c, q = sched()
    r = real(task)
    e = time.time(); c2, q2 = sched()
    with open(log, "a") as f:
        f.write(json.dumps(dict(pid=os.getpid(), s=s, e=e, cpu=c2 - c, wait=q2 - q)) + "\n")
    return r
W._work = _work
import layout.cli
m = layout.cli.main
def main(*a):
    r = m(*a)
    with open(log, "a") as f:
        f.write(json.dumps(dict(pid=os.getpid(), returned=time.time())) + "\n")
    return r
layout.cli.main = main
sys.argv = ["paiban", "build", *sys.argv[2:]]
layout.cli.entry()
"""


def busy() -> float:
    v = list(map(int, open("/proc/stat").readline().split()[1:]))
    return (sum(v) - v[3] - v[4]) / HZ


def one_round(issue: Path, work: Path) -> dict:
    cache, out, log = work / "cache", work / "out", work / "log.jsonl"
    for p in (cache, out):
        shutil.rmtree(p, ignore_errors=True)
    log.write_text("")
    env = dict(os.environ, PAIBAN_CACHE=str(cache), PYTHONPATH=str(ROOT))
    b0, r0, t0 = busy(), os.times(), time.time()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(log), str(issue), "--out", str(out), "-j", "2"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    t1, r1 = time.time(), os.times()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build failed:\n{proc.stderr[-3000:]}")
    cpu = (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    pages = [r for r in rows if "s" in r]
    returned = next(r["returned"] for r in rows if "returned" in r)
    workers = {}
    for r in pages:
        w = workers.setdefault(r["pid"], dict(first=r["s"], last=r["e"], cpu=0.0, wait=0.0, inpage=0.0))
        w["first"], w["last"] = min(w["first"], r["s"]), max(w["last"], r["e"])
        w["cpu"] += r["cpu"]
        w["wait"] += r["wait"]
        w["inpage"] += r["e"] - r["s"]
    ends = sorted(w["last"] for w in workers.values())
    return dict(wall=t1 - t0, cpu=cpu, others=busy() - b0 - cpu,
                start=min(w["first"] for w in workers.values()) - t0, tail=ends[-1] - ends[0],
                end=t1 - ends[-1], exit=t1 - returned,
                workers=[dict(span=w["last"] - w["first"], cpu=w["cpu"], wait=w["wait"],
                              blocked=w["inpage"] - w["cpu"] - w["wait"]) for w in workers.values()])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--issue", type=Path, help="an issue folder to build instead of a generated one")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="paiban-cores-"))
    try:
        issue = a.issue
        if issue is None:
            sys.path.insert(0, str(ROOT / "bench"))
            from gen import generate
            issue = generate(work / "src", a.pages)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "layout")], check=True)
        print("round  wall s  CPU s  others s | start s  tail s  end s (exit s) | per worker: span, on CPU, "
              "waiting for a CPU, blocked")
        results = []
        for i in range(a.rounds):
            r = one_round(issue, work)
            results.append(r)
            ws = "  ".join(f"{w['span']:.2f} {w['cpu']:.2f} {w['wait']:.2f} {w['blocked']:.2f}" for w in r["workers"])
            print(f"{i + 1:5d}  {r['wall']:6.2f}  {r['cpu']:5.2f}  {r['others']:8.2f} | {r['start']:7.2f}  "
                  f"{r['tail']:6.2f}  {r['end']:5.2f} ({r['exit']:.3f}) | {ws}")
        clean = [r for r in results if r["others"] < 0.3] or results
        med = {k: statistics.median(r[k] for r in clean) for k in ("wall", "cpu", "start", "tail", "end", "exit")}
        print(f"median of {len(clean)} round(s) with others < 0.3 s (else of all): " +
              ", ".join(f"{k} {v:.3f}" for k, v in med.items()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
