"""Faults while writing: killed builds, a full disk, a read-only or blocked output folder, two builds at once.

What must hold (docs/robustness.md): a PDF in the output folder is always a complete previous or a
complete new one (never partial); temporaries are hidden `.NAME.*.part` files, removed by the next
build; write failures are one message (exit 2, no traceback) and leave the previous build intact.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from badcases import ROOT, built_sample, run_cli

PAGE = "CQZXB-20220114-04.pdf"
BUILD_04 = ("build", "issues/2022-01-14", "--out", "out", "--page", "04", "--jobs", "1")
qpdf = shutil.which("qpdf")


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    return {"PAIBAN_CACHE": str(tmp_path_factory.mktemp("cache"))}


@pytest.fixture(scope="module")
def issue_root(tmp_path_factory, env) -> Path:
    """A scratch copy of the sample issue, built once (warms the photo cache)."""
    return built_sample(tmp_path_factory.mktemp("issue"), env, "ref", "--jobs", "1")


@pytest.fixture(scope="module")
def reference(issue_root) -> dict[str, bytes]:
    folder = issue_root / "ref" / "2022-01-14"
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def qpdf_ok(path: Path) -> bool:
    return subprocess.run([qpdf, "--check", str(path)], capture_output=True).returncode == 0


def check_folder(folder: Path, reference: dict[str, bytes], pdf_check: bool = True) -> list[str]:
    """Every visible file complete and identical to a good build; hidden .part files only as leftovers.
    Returns the names of leftover temporaries."""
    leftovers = []
    if not folder.exists():
        return leftovers
    for p in folder.iterdir():
        if p.name.endswith(".part"):
            assert p.name.startswith("."), f"visible temporary {p.name}"
            leftovers.append(p.name)
            continue
        assert not p.name.startswith("."), f"unexpected hidden file {p.name}"
        assert p.name in reference, f"unexpected file {p.name}"
        if p.suffix == ".pdf":
            if pdf_check and qpdf:
                assert qpdf_ok(p), f"{p.name} fails qpdf --check"
            assert p.read_bytes() == reference[p.name], f"{p.name} is not the complete PDF"
        elif p.name == "manifest.json":
            json.loads(p.read_text("utf-8"))
    return leftovers


def popen(args, cwd, env) -> subprocess.Popen:
    full = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **env)
    return subprocess.Popen([sys.executable, "-m", "layout", *args], cwd=cwd, env=full, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def one_message(proc_stderr: str) -> None:
    assert proc_stderr.startswith("paiban: error: "), proc_stderr
    assert proc_stderr.count("paiban: error") == 1, proc_stderr
    assert "Traceback" not in proc_stderr and "internal error" not in proc_stderr, proc_stderr
    assert "\n  hint: " in proc_stderr, proc_stderr


# ------------------------------------------------------------------ killed builds

@pytest.mark.skipif(qpdf is None, reason="qpdf not installed")
def test_build_killed_at_random_moments_50_times_leaves_no_partial_pdf(issue_root, reference, env):
    """SIGKILL a `--page 04` build 50 times after random delays (0 … the measured build time);
    half the runs start with the previous complete build in place, half with an empty folder.
    (test_killed_while_writing_a_large_file aims at the write itself.)"""
    out = issue_root / "out"
    folder = out / "2022-01-14"
    shutil.rmtree(out, ignore_errors=True)
    times = []
    for _ in range(3):  # the median of three: one build's time is noisy on a busy machine
        t0 = time.perf_counter()
        proc = run_cli(*BUILD_04, cwd=issue_root, env=env)
        times.append(time.perf_counter() - t0)
        assert proc.returncode == 0, proc.stderr
    measured = sorted(times)[1]
    rng = random.Random(20220114)
    killed = finished = partial_temps = 0
    for i in range(50):
        if i % 2:
            shutil.rmtree(out, ignore_errors=True)  # no previous PDF: the run must leave none or a complete one
        p = popen(BUILD_04, issue_root, env)
        time.sleep(rng.uniform(0.0, measured))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)
        p.wait(timeout=60)
        killed += p.returncode == -signal.SIGKILL
        finished += p.returncode == 0
        assert p.returncode in (0, -signal.SIGKILL), p.stderr.read()
        p.stderr.close()
        partial_temps += len(check_folder(folder, reference))
    assert killed >= 10, f"only {killed} of 50 builds were killed before finishing"
    # the next build completes, and removes whatever temporaries the killed ones left
    proc = run_cli(*BUILD_04, cwd=issue_root, env=env)
    assert proc.returncode == 0, proc.stderr
    assert check_folder(folder, reference) == []
    assert (folder / PAGE).read_bytes() == reference[PAGE]
    print(f"50 kills: {killed} killed, {finished} finished, {partial_temps} leftover temporaries seen")


def test_killed_while_writing_a_large_file(tmp_path):
    """Kill a process in the middle of atomic_write (a 64 MB file): the target is the old one or absent."""
    target = tmp_path / "big.pdf"
    old = b"%PDF-old\n" * 1000
    code = ("import sys; from pathlib import Path; from layout.build.outfiles import atomic_write;"
            "atomic_write(Path(sys.argv[1]), b'%PDF-new' * (8 << 20))")
    rng = random.Random(7)
    for i in range(10):
        target.write_bytes(old) if i % 2 == 0 else target.unlink(missing_ok=True)
        p = subprocess.Popen([sys.executable, "-c", code, str(target)], cwd=ROOT,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)))
        time.sleep(rng.uniform(0.05, 0.3))
        p.kill()
        p.wait()
        if target.exists():
            data = target.read_bytes()
            assert data == old or data == b"%PDF-new" * (8 << 20)
        assert not [q for q in tmp_path.iterdir() if q.name.endswith(".part") and not q.name.startswith(".")]


def children(pid: int) -> list[int]:
    """The live child processes of pid (from /proc)."""
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            kids += [int(k) for k in task.read_text().split()]
    return kids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_parent_once(args, cwd, env, delay: float) -> tuple[int, list[int]]:
    """Start args, wait until its pool is up (or `delay`), SIGKILL the parent only (not its group),
    and return its exit status and the workers seen."""
    p = popen(args, cwd, env)
    deadline = time.monotonic() + delay
    workers: list[int] = []
    while time.monotonic() < deadline and p.poll() is None:
        workers = [k for k in children(p.pid) if alive(k)] or workers
        time.sleep(0.02)
    workers = [k for k in children(p.pid) if alive(k)] or workers
    with contextlib.suppress(ProcessLookupError):
        os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=60)
    p.stderr.close()
    return p.returncode, workers


def wait_gone(pids: list[int], seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [k for k in pids if alive(k)]
        if not left:
            return []
        time.sleep(0.05)
    left = [k for k in pids if alive(k)]
    for k in left:  # leave no orphan behind the test itself
        with contextlib.suppress(ProcessLookupError):
            os.kill(k, signal.SIGKILL)
    return left


def test_killed_parallel_build_takes_its_workers_and_lock_with_it(issue_root, reference, env):
    """kill -9 of the parent of `build -j 2` while its pool is up: the workers end too (they do not
    keep the output folder's lock), and the next build into the folder completes within 60 s."""
    args = ("build", "issues/2022-01-14", "--out", "out-j2", "--jobs", "2")
    proc = run_cli(*args, cwd=issue_root, env=env)
    assert proc.returncode == 0, proc.stderr
    p = popen(args, issue_root, env)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and p.poll() is None:
        workers = [k for k in children(p.pid) if alive(k)]
        time.sleep(0.01)
    assert len(workers) == 2, "the pool did not start"
    os.kill(p.pid, signal.SIGKILL)  # the parent only, as a user's kill -9 would
    p.wait(timeout=60)
    p.stderr.close()
    assert wait_gone(workers) == [], "workers outlived their parent"
    proc = run_cli(*args, cwd=issue_root, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert check_folder(issue_root / "out-j2" / "2022-01-14", reference) == []


def test_next_build_removes_stale_temporaries(issue_root, reference, env):
    out = issue_root / "stale"
    folder = out / "2022-01-14"
    folder.mkdir(parents=True)
    stale = folder / f".{PAGE}.k3j_x9.part"
    stale.write_bytes(b"%PDF-1.3 partial")
    other = folder / "notes.part"  # not ours (visible): left alone
    other.write_text("x")
    proc = run_cli("build", "issues/2022-01-14", "--out", "stale", "--page", "04", "--jobs", "1",
                   cwd=issue_root, env=env)
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists() and other.exists()
    assert (folder / PAGE).read_bytes() == reference[PAGE]


# ------------------------------------------------------------------ full disk, read-only, blocked folder

@contextlib.contextmanager
def mounted(*args):
    """Run mount(8) with args (last one the mount point); skip the test when mounting is not allowed."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting needs root")
    proc = subprocess.run(["mount", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount here: {proc.stderr.strip()}")
    try:
        yield Path(args[-1])
    finally:
        subprocess.run(["umount", "-l", args[-1]], capture_output=True)


def test_full_disk_tmpfs(issue_root, reference, env, tmp_path):
    """A 2.6 MB tmpfs holds one build (2 MB) but not the temporaries of a second: ENOSPC, one
    message, exit 2, and the first build's files intact."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=2600k", "tmpfs", str(mnt)):
        proc = run_cli("build", "issues/2022-01-14", "--out", mnt, "--jobs", "1", cwd=issue_root, env=env)
        assert proc.returncode == 0, proc.stderr
        proc = run_cli("build", "issues/2022-01-14", "--out", mnt, "--jobs", "1", cwd=issue_root, env=env)
        assert proc.returncode == 2, proc.stderr
        one_message(proc.stderr)
        assert "No space left on device" in proc.stderr and "free some space" in proc.stderr
        assert check_folder(mnt / "2022-01-14", reference) == []
        assert sorted(p.name for p in (mnt / "2022-01-14").iterdir()) == sorted(reference)


def test_read_only_output_folder_bind_mount(issue_root, reference, env, tmp_path):
    """chmod 555 does not stop root: a read-only bind mount does."""
    src = tmp_path / "src"
    shutil.copytree(issue_root / "ref", src)
    ro = tmp_path / "ro"
    ro.mkdir()
    with mounted("--bind", "-o", "ro", str(src), str(ro)):
        if os.access(ro, os.W_OK) and subprocess.run(["touch", str(ro / "x")], capture_output=True).returncode == 0:
            pytest.skip("bind mount is not read-only here")
        proc = run_cli("build", "issues/2022-01-14", "--out", ro, "--jobs", "1", cwd=issue_root, env=env)
        assert proc.returncode == 2, proc.stderr
        one_message(proc.stderr)
        assert "Read-only file system" in proc.stderr and "--out" in proc.stderr
        assert check_folder(ro / "2022-01-14", reference) == []


def test_file_where_the_output_folder_should_be(issue_root, env, tmp_path):
    (tmp_path / "blocked").write_text("not a folder")
    proc = run_cli("build", "issues/2022-01-14", "--out", tmp_path / "blocked", "--page", "04", "--jobs", "1",
                   cwd=issue_root, env=env)
    assert proc.returncode == 2, proc.stderr
    one_message(proc.stderr)
    assert "blocked" in proc.stderr and "output folder" in proc.stderr
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "2022-01-14").write_text("a file, not the date folder")
    proc = run_cli("build", "issues/2022-01-14", "--out", tmp_path / "out", "--page", "04", "--jobs", "1",
                   cwd=issue_root, env=env)
    assert proc.returncode == 2, proc.stderr
    one_message(proc.stderr)
    assert "2022-01-14" in proc.stderr and "a file is in the way" in proc.stderr


@pytest.mark.parametrize("fault,message", [
    ("fsync", "No space left on device"),
    ("write", "No space left on device"),
    ("mkstemp", "Read-only file system"),
    ("replace", "Permission denied"),
])
def test_write_faults_in_process(fault, message, issue_root, reference, env, tmp_path, monkeypatch, capsys):
    """The same faults without mounts: the OS calls of layout.build.outfiles fail on the second file."""
    from layout import cli
    from layout.build import outfiles
    out = tmp_path / "out"
    shutil.copytree(issue_root / "ref", out)
    monkeypatch.setenv("PAIBAN_CACHE", env["PAIBAN_CACHE"])
    calls = {"n": 0}

    def failing(real, err):
        def f(*a, **k):
            calls["n"] += 1
            if calls["n"] >= 2:
                raise OSError(err, os.strerror(err))
            return real(*a, **k)
        return f

    if fault == "fsync":
        monkeypatch.setattr(outfiles.os, "fsync", failing(os.fsync, errno.ENOSPC))
    elif fault == "write":
        monkeypatch.setattr(outfiles.os, "fdopen", lambda fd, mode: _FullFile(fd, calls))
    elif fault == "mkstemp":
        monkeypatch.setattr(outfiles.tempfile, "mkstemp", failing(outfiles.tempfile.mkstemp, errno.EROFS))
    else:
        monkeypatch.setattr(outfiles.os, "replace", failing(os.replace, errno.EACCES))
    code = cli.main(["build", str(issue_root / "issues" / "2022-01-14"), "--out", str(out), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 2, err
    one_message(err)
    assert message in err and str(out) in err
    leftovers = check_folder(out / "2022-01-14", reference, pdf_check=False)
    assert leftovers == [], leftovers
    assert sorted(p.name for p in (out / "2022-01-14").iterdir()) == sorted(reference)


_REAL_FDOPEN = os.fdopen


class _FullFile:
    """A file object whose second write() runs out of space (the disk fills during the build)."""

    def __init__(self, fd, calls):
        self.fh = _REAL_FDOPEN(fd, "wb")
        self.calls = calls

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()

    def write(self, data):
        self.calls["n"] += 1
        if self.calls["n"] >= 2:
            self.fh.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.fh.write(data)

    def flush(self):
        self.fh.flush()

    def fileno(self):
        return self.fh.fileno()


# ------------------------------------------------------------------ two builds at once

def test_two_builds_at_once_into_the_same_folder(issue_root, reference, env):
    out = issue_root / "twice"
    for round_ in range(3):
        shutil.rmtree(out, ignore_errors=True)
        args = ("build", "issues/2022-01-14", "--out", "twice", "--jobs", "1")
        procs = [popen(args, issue_root, env) for _ in range(2)]
        for p in procs:
            p.wait(timeout=120)
            err = p.stderr.read().decode()
            p.stderr.close()
            assert p.returncode == 0, err
        folder = out / "2022-01-14"
        assert check_folder(folder, reference) == []
        assert sorted(p.name for p in folder.iterdir()) == sorted(reference)


def test_output_lock_is_not_held_by_forked_children(tmp_path):
    """A child forked while the lock is held (a -j N worker) does not keep the lock once the parent lets go."""
    import fcntl
    from layout.build.outfiles import output_lock
    ready, tell = os.pipe()
    with output_lock(tmp_path / "out"):
        child = os.fork()
        if child == 0:  # the child outlives the parent's lock
            os.write(tell, b"1")
            time.sleep(5)
            os._exit(0)
        os.read(ready, 1)  # the child runs (its fork hooks are done)
    try:
        fd = os.open(tmp_path / "out", os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if the child holds it
        finally:
            os.close(fd)
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
