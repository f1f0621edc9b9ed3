"""Build time of the sample issue: two checkouts of paiban, paired rounds.

    python3 bench/build_compare.py BEFORE_DIR [AFTER_DIR] [--rounds 5] [--issue issues/2022-01-14] [-j N]

Each checkout builds its own copy of the issue (the sample changes with the code) in a child process
with its own code first on PYTHONPATH. A round builds BEFORE then AFTER (order alternates between
rounds, so neither always runs on a warmer disk cache): cold (empty PAIBAN_CACHE) and warm (the same
cache again). Reported per round and as medians: wall seconds and CPU seconds (user + system of the
child and its workers, from getrusage), and the ratio AFTER / BEFORE.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def build(checkout: Path, issue: str, cache: Path, out: Path, jobs: int) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout), PAIBAN_CACHE=str(cache))
    shutil.rmtree(out, ignore_errors=True)
    c0, t0 = cpu_children(), time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "layout", "build", str(checkout / issue), "--out", str(out),
                        "-j", str(jobs)],
                       env=env, cwd=checkout, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, cpu_children() - c0
    if p.returncode not in (0,):
        sys.exit(f"{checkout}: build exited {p.returncode}\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path, nargs="?", default=ROOT)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--issue", default="issues/2022-01-14")
    ap.add_argument("-j", "--jobs", type=int, default=0, help="paiban build -j (0: one process per core)")
    a = ap.parse_args()
    names = {"before": a.before.resolve(), "after": a.after.resolve()}
    for checkout in names.values():  # .pyc files, as an installed copy has them (see run.compile_bytecode)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "layout")], check=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="paiban-bc-") as tmp:
        for r in range(a.rounds):
            order = ["before", "after"] if r % 2 == 0 else ["after", "before"]
            got = {}
            for name in order:
                cache = Path(tmp) / f"cache-{name}-{r}"
                out = Path(tmp) / f"out-{name}"
                got[name] = build(names[name], a.issue, cache, out, a.jobs) + build(names[name], a.issue, cache, out, a.jobs)
            rows.append(got)
            b, f = got["before"], got["after"]
            print(f"round {r + 1}: cold wall {b[0]:.2f} → {f[0]:.2f} s (cpu {b[1]:.2f} → {f[1]:.2f}); "
                  f"warm wall {b[2]:.2f} → {f[2]:.2f} s (cpu {b[3]:.2f} → {f[3]:.2f})", flush=True)
    labels = ["cold wall", "cold cpu", "warm wall", "warm cpu"]
    print(f"load average at the end: {os.getloadavg()[0]:.2f}; {a.rounds} rounds; medians:")
    for i, label in enumerate(labels):
        b = statistics.median(g["before"][i] for g in rows)
        f = statistics.median(g["after"][i] for g in rows)
        ratios = [g["after"][i] / g["before"][i] for g in rows]
        print(f"  {label:9}  before {b:6.3f} s  after {f:6.3f} s  after/before median {statistics.median(ratios):.3f}"
              f" (range {min(ratios):.3f}–{max(ratios):.3f})")


if __name__ == "__main__":
    main()
