"""The bad-input corpus (tests/bad/*.yaml): build each case's issue folder and run the real CLI.

A case is a small YAML file describing a mutation of a scratch copy of the sample issue
(the photos and copy are copied at run time, never committed). The definitions themselves
(issue.yaml, 01.yaml, 04.yaml, publication.yaml) come from tests/bad/base/, a frozen copy, so
the sample can be retuned without moving the file:line the cases expect. Keys, applied in order:

    what:     one line saying what the case is about
    delete:   [path, …]                      files removed from the copy
    edit:     {path: [[old, new], …]}        exact text replacements (each `old` must occur)
    write:    {path: text}                   files (over)written as UTF-8 text
    generate: {path: kind}                   hostile binaries made here (see GENERATORS)
    symlink:  {path: target}                 symbolic links (target absolute or relative to the link)
    args:     [--page, "04"]                 extra CLI arguments
    expect:   {exit: 2, stderr: [fragment, …], seconds: 60}  # seconds: a hang guard, default 120; generous,
              # since a loaded CI machine is slow: the stderr fragments prove the limit fired, the
              # deadline only that nothing hangs (an unguarded bomb runs for hours)

Paths are relative to the issue folder; `../publication.yaml` is the publication beside it.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2022-01-14"
BAD = Path(__file__).resolve().parent / "bad"
BASE = BAD / "base"

CHINESE = "慈善事业是社会文明进步的重要标志，重庆市慈善总会联手腾讯公司助推乡村振兴走深走实。"


# ------------------------------------------------------------------ hostile files

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(side: int = 30_000) -> bytes:
    """A valid 1-bit PNG of side × side pixels (900 MP) that is only a few hundred kB on disk."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    comp = zlib.compressobj(9)
    block = row * 256
    parts = [comp.compress(block) for _ in range(side // 256)]
    parts.append(comp.compress(row * (side % 256)))
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", b"".join(parts))
            + _png_chunk(b"IEND", b""))


def jpeg_bytes(size=(400, 300)) -> bytes:
    from PIL import Image
    im = Image.new("RGB", size)
    for x in range(0, size[0], 8):  # some detail so the scan data is not trivially short
        for y in range(0, size[1], 8):
            im.putpixel((x, y), ((x * 7) % 256, (y * 5) % 256, (x + y) % 256))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _jpeg_of(w: int, h: int) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 10, 10)).save(buf, "JPEG")
    return buf.getvalue()


def truncated_jpeg() -> bytes:
    data = jpeg_bytes()
    return data[: len(data) * 2 // 3]


def jpeg_bad_icc() -> bytes:
    """A JPEG whose embedded sRGB profile opens but has its red colorant smashed: no colour transform
    can be built from it (it was an internal error)."""
    from PIL import Image, ImageCms
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack(">I", icc[128:132])[0]
    for i in range(count):
        sig, off, size = icc[132 + 12 * i:136 + 12 * i], *struct.unpack(">II", icc[136 + 12 * i:144 + 12 * i])
        if sig == b"rXYZ":
            icc[off:off + size] = b"\xff" * size
    im = Image.open(io.BytesIO(jpeg_bytes()))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90, icc_profile=bytes(icc))
    return buf.getvalue()


def jpeg_scrambled() -> bytes:
    """A JPEG with a few bytes of its scan data overwritten: Pillow decodes it as coloured blocks
    without a word (libjpeg-turbo warns: corrupt JPEG data)."""
    import random
    from PIL import Image
    w, h = 640, 480
    im = Image.new("RGB", (w, h))
    im.putdata([(x * 255 // w, y * 255 // h, 128) for y in range(h) for x in range(w)])
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    data = bytearray(buf.getvalue())
    start = data.find(b"\xff\xda") + 20
    rng = random.Random(24)  # a seed whose damage is visible (mean error 55 levels of 255)
    for _ in range(10):
        data[rng.randrange(start, len(data) - 2)] = rng.randrange(256)
    return bytes(data)


def gif_bytes() -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("P", (40, 30)).save(buf, "GIF")
    return buf.getvalue()


def copy_lines(n: int, line: str = CHINESE) -> str:
    return "".join(line + "\n" for _ in range(n))


def issue_pages(n: int) -> str:
    out = ["date: 2022-01-14", "number: 1098", "pages:"]
    for i in range(1, n + 1):
        out.append(f'  - {{page: "{i:03d}", file: p{i:03d}.yaml, section: 要闻}}')
    return "\n".join(out) + "\n"


GENERATORS = {
    "empty": lambda: b"",
    "truncated-jpeg": truncated_jpeg,
    "png-bomb": png_bomb,
    "gif": gif_bytes,
    "jpeg-bad-icc": jpeg_bad_icc,
    "jpeg-scrambled": jpeg_scrambled,
    "sliver-jpeg": lambda: _jpeg_of(1, 5000),
    "html": lambda: (b"<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head>"
                     b"<body><h1>Forbidden</h1></body></html>\n"),
    "copy-gbk": lambda: copy_lines(20).encode("gbk"),
    "copy-gb18030": lambda: ("古籍中的𠀀字与" + copy_lines(10)).encode("gb18030"),
    "copy-utf16": lambda: copy_lines(10).encode("utf-16"),
    "copy-bom": lambda: b"\xef\xbb\xbf" + copy_lines(12).encode("utf-8"),
    "copy-control": lambda: (copy_lines(3) + "会上，刘光磊\x07表示感谢。\n").encode("utf-8"),
    "copy-fffd": lambda: (copy_lines(2) + "会上，刘光\ufffd表示感谢。\n").encode("utf-8"),
    "copy-combining": lambda: (copy_lines(1) + "会上\u0301，刘光磊表示感谢。\n").encode("utf-8"),
    "copy-200k": lambda: copy_lines(200_000 // len(CHINESE) + 1).encode("utf-8"),
    "copy-huge-file": lambda: b"\xe5\xad\x97" * 3_000_000,  # 9 MB of 字 on one line
    "page-gbk": lambda: "template: inner  # 第04版 慈善\nblocks: []\n".encode("gbk"),
    "page-deep-nesting": lambda: ("blocks: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    "page-huge": lambda: ("template: inner\nblocks: []\n" + "# 注释 padding\n" * 300_000).encode(),
    "font-html": lambda: b"<html><body>404 Not Found</body></html>\n",
    "font-truncated": lambda: struct.pack(">IHHHH", 0x00010000, 12, 128, 3, 32) + b"glyf" + b"\0" * 12,
    "issue-1000-pages": lambda: issue_pages(1000).encode(),
}


# ------------------------------------------------------------------ cases

def cases() -> list[Path]:
    return sorted(BAD.glob("*.yaml"))


def load_case(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        case = yaml.safe_load(fh)  # the test's own trusted file
    case.setdefault("expect", {})
    case["expect"].setdefault("exit", 2)
    return case


def make_issue(case: dict, root: Path) -> Path:
    """A copy of the sample issue under root/issues/ with the case's mutations applied."""
    issue = root / "issues" / SAMPLE.name
    shutil.copytree(SAMPLE, issue)
    # story3.txt: the base page gives story3 two lines fewer than the sample, so it gets shorter copy
    # (an overset story is an error, and the base issue must build with exit 0)
    for name in ("issue.yaml", "01.yaml", "04.yaml", "story3.txt"):
        shutil.copy(BASE / name, issue / name)
    shutil.copy(BASE / "publication.yaml", issue.parent / "publication.yaml")
    for rel in case.get("delete", []):
        target = issue / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for rel, pairs in (case.get("edit") or {}).items():
        path = issue / rel
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"case edit: {old!r} not in {rel}"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    for rel, text in (case.get("write") or {}).items():
        path = issue / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, kind in (case.get("generate") or {}).items():
        path = issue / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "fifo":  # a named pipe: reading it would block forever
            path.unlink(missing_ok=True)
            os.mkfifo(path)
            continue
        path.write_bytes(GENERATORS[kind]())
    for rel, target in (case.get("symlink") or {}).items():
        path = issue / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.exists():
            path.unlink()
        os.symlink(target, path)
    return issue


def run_cli(*args, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=full_env)


def built_sample(root: Path, env: dict, out: str, *options: str) -> Path:
    """A scratch copy of the sample issue under root, built once into root/out (warms the cache in env)."""
    make_issue({}, root)
    proc = run_cli("build", "issues/2022-01-14", "--out", out, *options, cwd=root, env=env)
    assert proc.returncode == 0, proc.stderr
    return root


def snapshot(folder: Path) -> dict:
    """Everything in a folder tree (hidden files too): path → (kind, sha256, size, mtime_ns, mode)."""
    out = {}
    if not folder.exists():
        return out
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            rel = str(p.relative_to(folder))
            if p.is_file() and not p.is_symlink():
                out[rel] = ("file", hashlib.sha256(p.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns,
                            st.st_mode)
            else:
                out[rel] = ("dir" if p.is_dir() else "other", "", 0, st.st_mtime_ns, st.st_mode)
    return out
