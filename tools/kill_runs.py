#!/usr/bin/env python3
"""kill -9 at random moments: `paiban build -j 2` or `paiban site`, each kill followed by a normal run
into the same folder (60 s timeout). Prints one line per run and a summary (docs/robustness.md).

    python3 tools/kill_runs.py build --runs 50
    python3 tools/kill_runs.py site --runs 50

Each run: the previous complete output is in place on even runs, absent on odd ones; the command is
started in its own session, SIGKILL goes to the parent only (a user's kill -9 of the pid), after a
delay drawn from 0 … the measured time of a whole run. Then it checks:
- orphans: processes of that session still alive 10 s after the kill (ps -s SID);
- partial output: every visible file is byte-identical to a reference run's (same input, same bytes),
  the site's index links only pages that exist;
- the next normal run finishes within 60 s (a held lock would make it wait for ever), after which no
  temporary (.part) or stage folder (.NAME.site-*) is left and the output equals the reference.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def digests(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def session_processes(sid: int) -> list[str]:
    out = subprocess.run(["ps", "-s", str(sid), "-o", "pid=,stat=,args="], capture_output=True, text=True).stdout
    return [line.strip() for line in out.splitlines() if line.strip() and " Z" not in line[:12]]


def leftovers(work: Path, out: Path) -> list[str]:
    found = []
    for parent in (work, out):
        if parent.exists():
            for p in parent.rglob(".*") if parent == out else parent.iterdir():
                if p.name.endswith(".part") or ".site-" in p.name:
                    found.append(str(p.relative_to(work)))
    return sorted(found)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["build", "site"])
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix=f"paiban-kill-{a.mode}-"))
    shutil.copytree(ROOT / "issues" / "2022-01-14", work / "issues" / "2022-01-14")
    shutil.copy(ROOT / "issues" / "publication.yaml", work / "issues" / "publication.yaml")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PAIBAN_CACHE=str(work / "cache"))
    if a.mode == "build":
        args = ["build", "issues/2022-01-14", "--out", "out", "--jobs", "2"]
        out = work / "out"
    else:
        args = ["site", "issues/2022-01-14", "--out", "site"]
        out = work / "site"
    cmd = [sys.executable, "-m", "layout", *args]

    def normal(timeout: float = 60) -> tuple[int | None, float]:
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, time.perf_counter() - t0
        return proc.returncode, time.perf_counter() - t0

    normal(600)  # warms the photo and font caches
    times = []
    for _ in range(3):
        code, seconds = normal(600)
        assert code == 0, f"reference run failed ({code})"
        times.append(seconds)
    measured = sorted(times)[1]
    reference = digests(out)
    print(f"{a.mode}: reference run {measured:.1f} s, {len(reference)} files; {a.runs} kills", flush=True)

    rng = random.Random(a.seed)
    tally = dict(killed=0, finished=0, orphans=0, partial=0, hangs=0, next_failed=0, leftovers_after=0,
                 dirty_after_kill=0)
    worst_next = 0.0
    for i in range(a.runs):
        if i % 2:
            shutil.rmtree(out, ignore_errors=True)
        before = digests(out)
        p = subprocess.Popen(cmd, cwd=work, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, measured))
        try:
            os.kill(p.pid, signal.SIGKILL)  # the parent only
        except ProcessLookupError:
            pass
        p.wait()
        killed = p.returncode == -signal.SIGKILL
        tally["killed" if killed else "finished"] += 1
        deadline = time.monotonic() + 10
        while session_processes(p.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        orphans = session_processes(p.pid)
        if orphans:
            tally["orphans"] += 1
            for line in orphans:
                try:
                    os.kill(int(line.split()[0]), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
        now = digests(out)
        bad = [k for k, v in now.items() if not k.split("/")[-1].startswith(".") and reference.get(k) != v
               and ".site-" not in k]
        # the previous complete output, the new complete one, or (for a first build) none/part of the
        # complete files; never a file that differs from the complete one
        if bad:
            tally["partial"] += 1
        visible = {k: v for k, v in now.items() if not any(part.startswith(".") for part in k.split("/"))}
        if before and visible != before:
            tally["dirty_after_kill"] += 1
        left = leftovers(work, out)
        code, seconds = normal(60)
        worst_next = max(worst_next, seconds)
        if code is None:
            tally["hangs"] += 1
        elif code != 0:
            tally["next_failed"] += 1
        after_left = leftovers(work, out)
        if after_left or digests(out) != reference:
            tally["leftovers_after"] += 1
        print(f"run {i + 1:2d}: {'killed' if killed else 'finished'}, orphans {len(orphans)}, "
              f"bad files {len(bad)}, temporaries after kill {len(left)}, next run {code} in {seconds:.1f} s, "
              f"leftovers after it {len(after_left)}", flush=True)
    print(f"{a.mode}: {a.runs} runs: " + ", ".join(f"{k} {v}" for k, v in tally.items())
          + f"; slowest next run {worst_next:.1f} s")
    shutil.rmtree(work, ignore_errors=True)
    bad_total = tally["orphans"] + tally["partial"] + tally["hangs"] + tally["next_failed"] + tally["leftovers_after"]
    return 1 if bad_total else 0


if __name__ == "__main__":
    sys.exit(main())
