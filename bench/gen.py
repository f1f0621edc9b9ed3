"""Generate a full broadsheet issue from the sample publication, for benchmarks.

    python3 bench/gen.py DEST [--pages 16] [--copy 1]

DEST/issues/publication.yaml is the sample publication; DEST/issues/bench/ holds issue.yaml, one page
YAML per page, the copy and the photos. Every page is filled like a real inner page: 4–5 stories with
headline groups (引题 / 主题 / 副题), two photos with captions, about 7,000 characters of body copy
recombined from the sentences of the sample issue's copy files, so the text looks like Chinese news
copy and uses a realistic character repertoire. Each page gets its own two photos (crops and tints of
the sample photos, saved as JPEG), so the photo cache does not hide the conversion cost of an issue.

--corpus FILE takes the sentences from FILE (e.g. bench/copy/tech.txt, technical prose with much Latin,
digits, quotes and URLs) instead of the sample issue's copy.

--copy N multiplies the body copy of every story by N (N > 1 oversets: the composer breaks every line
and reports what does not fit; what scales is the breaking, not the page count). The generator is
deterministic: the same arguments give byte-identical files.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2022-01-14"
CHARS_PER_LINE = 12   # grid.column_chars of the sample publication
FILL = 0.90           # share of a story's grid lines the copy should fill (paragraph ends, indents)

# Two page plans on the sample grid (8 columns × 98 lines). Each story: its headline rect, its areas
# (col range, line range), and which of the page's photos (if any) belongs to it.
PLAN_A = [  # the seed page's shape: a five-column lead in an L around its photo
    dict(head=("1-5", "1-10"), kicker=True, sub=True, photo=("1-3", "11-33"),
         areas=[("1-3", "34-61"), ("4-5", "11-61")]),
    dict(head=("6-8", "1-9"), areas=[("6-8", "10-61")], size="小初"),
    "rule:62",
    dict(head=("1-4", "63-68"), areas=[("1-4", "69-98")]),
    dict(head=("5-8", "63-70"), kicker=True, photo=("7-8", "71-86"), areas=[("5-6", "71-98"), ("7-8", "87-98")]),
]
PLAN_B = [  # banner lead over eight columns, four stories below the fold
    dict(head=("1-8", "1-9"), kicker=True, sub=True, photo=("1-4", "10-31"),
         areas=[("1-4", "32-50"), ("5-8", "10-50")]),
    "rule:51",
    dict(head=("1-3", "52-57"), areas=[("1-3", "58-98")]),
    dict(head=("4-6", "52-57"), photo=("4-6", "58-73"), areas=[("4-6", "74-98")]),
    dict(head=("7-8", "52-57"), areas=[("7-8", "58-76")], size="小二"),
    dict(head=("7-8", "77-81"), areas=[("7-8", "82-98")], size="小二"),
]
PHOTOS = ["hubble_deep_field.jpg", "rocket.jpg", "astronaut.png", "coffee.png"]


def span(r: str) -> int:
    a, _, b = r.partition("-")
    return int(b or a) - int(a) + 1


def sentences(corpus: Path | None = None) -> list[str]:
    out = []
    for f in [corpus] if corpus else sorted(SAMPLE.glob("*.txt")):
        text = f.read_text("utf-8").replace("【示例占位稿】", "")
        # the sample's copy markup (小标题, 引语, tables, bold/楷体 spans) is not prose
        text = re.sub(r"^(#+ |> |\||---).*$", "", text, flags=re.M).replace("*", "")
        for s in re.findall(r"[^。！？\n]+[。！？]”?", text):
            s = s.strip()
            # a sentence cut after “？ or “！ starts with the closing mark: not a sentence (行首禁则)
            if 8 <= len(s) <= 120 and "占位" not in s and s[0] not in "”’）》」』，、；：！？":
                out.append(s)
    return sorted(set(out))


def copy_text(rng: random.Random, pool: list[str], chars: int) -> str:
    paras, n = [], 0
    while n < chars:
        para = "".join(rng.choice(pool) for _ in range(rng.randint(3, 7)))
        para = para[:max(24, chars - n)] if n + len(para) > chars + 40 else para
        if not para.endswith(("。", "！", "？", "”")):
            para = para.rstrip("，、；：") + "。"
        paras.append(para)
        n += len(para)
    return "\n".join(paras) + "\n"


STRIP = r"[，。、；：！？“”（）《》:;,.!?()\"'\[\]{}#]"


def headline(rng: random.Random, pool: list[str], n: int) -> str:
    """A headline-like string of at most n characters, as a double-quoted YAML scalar."""
    s = re.sub(STRIP, "", rng.choice(pool))
    s = s[:n] if len(s) >= n else (s + re.sub(STRIP, "", rng.choice(pool)))[:n]
    return json.dumps(s, ensure_ascii=False)


def make_photo(src: Path, dest: Path, seed: int) -> None:
    from PIL import Image, ImageOps
    rng = random.Random(seed)
    with Image.open(src) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        w, h = im.size
        # a crop of 80–95 % of the picture, somewhere in it, mirrored on odd seeds, slightly tinted
        f = rng.uniform(0.8, 0.95)
        cw, ch = int(w * f), int(h * f)
        x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
        im = im.crop((x, y, x + cw, y + ch))
        if seed % 2:
            im = ImageOps.mirror(im)
        tint = Image.new("RGB", im.size, (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
        im = Image.blend(im, tint, 0.08)
        # newsroom photos come from cameras: scale to a 3,000-pixel long side (the sample's are smaller)
        scale = 3000 / max(im.size)
        im = im.resize((round(im.width * scale), round(im.height * scale)), Image.Resampling.BICUBIC)
        im.save(dest, "JPEG", quality=90)


def page_yaml(number: int, plan: list, rng: random.Random, pool: list[str], photos: list[str],
              copy_scale: float, folder: Path) -> tuple[str, int]:
    lines = ["# generated by bench/gen.py", "template: inner", "blocks:"]
    total = 0
    photo_i = 0
    for si, story in enumerate(plan):
        if isinstance(story, str):
            lines += [f"  - type: rule", f"    id: rule{si}", "    col: 1-8", f"    line: {story.split(':')[1]}",
                      "    weight: 1pt"]
            continue
        sid = f"p{number:02d}s{si}"
        cols = span(story["head"][0])
        head = [f"  - type: headline", f"    id: {sid}-head", f"    story: {sid}"]
        if story.get("kicker"):
            head.append(f"    kicker: {headline(rng, pool, min(14, 3 * cols + 2))}")
        head.append(f"    main: {headline(rng, pool, min(13, 2 * cols + 2))}")
        if story.get("sub"):
            head.append(f"    subhead: \"——{json.loads(headline(rng, pool, min(20, 4 * cols)))}\"")
        if story.get("size"):
            head.append(f"    size: {story['size']}")
        head += [f"    col: {story['head'][0]}", f"    line: {story['head'][1]}"]
        lines += head
        if story.get("photo"):
            name = photos[photo_i]
            photo_i += 1
            lines += [f"  - type: photo", f"    id: {sid}-photo", f"    story: {sid}", f"    file: photos/{name}",
                      f"    caption: {headline(rng, pool, 16)}", "    credit: 示例替代图片",
                      f"    col: {story['photo'][0]}", f"    line: {story['photo'][1]}"]
        capacity = sum(span(c) * span(r) for c, r in story["areas"]) * CHARS_PER_LINE
        chars = int((capacity - 2 * CHARS_PER_LINE) * FILL * copy_scale)  # a line for the byline
        text = copy_text(rng, pool, chars)
        total += len(text.replace("\n", ""))
        (folder / f"{sid}.txt").write_text(text, "utf-8")
        lines += [f"  - type: story", f"    id: {sid}", f"    copy: {sid}.txt", f"    byline: （记者 示例）", "    area:"]
        lines += [f"      - {{col: {c}, line: {r}}}" for c, r in story["areas"]]
    return "\n".join(lines) + "\n", total


def generate(dest: Path, pages: int = 16, copy_scale: float = 1.0, seed: int = 2022,
             corpus: Path | None = None) -> Path:
    """Write DEST/issues/{publication.yaml, bench/…}; return the issue folder."""
    issues = Path(dest) / "issues"
    folder = issues / "bench"
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "photos").mkdir(parents=True)
    shutil.copy(ROOT / "issues" / "publication.yaml", issues / "publication.yaml")
    rng = random.Random(seed)
    pool = sentences(corpus)
    entries = []
    chars = 0
    for n in range(1, pages + 1):
        photos = []
        for k in range(2):
            src = SAMPLE / "photos" / PHOTOS[(2 * n + k) % len(PHOTOS)]
            name = f"p{n:02d}-{k}.jpg"
            make_photo(src, folder / "photos" / name, seed * 1000 + 2 * n + k)
            photos.append(name)
        plan = PLAN_A if n % 2 else PLAN_B
        text, c = page_yaml(n, plan, rng, pool, photos, copy_scale, folder)
        chars += c
        (folder / f"{n:02d}.yaml").write_text(text, "utf-8")
        entries.append(f'  - page: "{n:02d}"\n    file: {n:02d}.yaml\n    section: 第{n}版\n'
                       f"    editors: {{responsible: 示例, art: 示例, proof: 示例}}")
    (folder / "issue.yaml").write_text(
        "# generated by bench/gen.py\ndate: 2022-01-14\nnumber: 1098\nserial: 2315\npages:\n"
        + "\n".join(entries) + "\n", "utf-8")
    (folder / "CHARS").write_text(f"{chars}\n")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--pages", type=int, default=16)
    ap.add_argument("--copy", type=float, default=1.0)
    ap.add_argument("--corpus", type=Path, help="take the sentences from this text file instead of the sample copy")
    a = ap.parse_args()
    folder = generate(a.dest, a.pages, a.copy, corpus=a.corpus)
    print(folder, (folder / "CHARS").read_text().strip(), "characters of body copy")


def story_chunks(b) -> list[tuple[object, list[str]]]:
    """A story's copy as paiban sets it (normalised: full-width marks, quotes, spaces; one paragraph a line),
    split between its rectangles by capacity, the byline at the end: what every other engine is given
    (none of them threads text between boxes)."""
    from layout.text.normalize import normalize_copy
    paras = [p.strip() for p in normalize_copy(b.text)[0].split("\n") if p.strip()]
    total = sum(r.w * r.h for r in b.regions)
    chars = sum(len(p) for p in paras)
    out, i = [], 0
    for k, r in enumerate(b.regions):
        take = chars * r.w * r.h / total
        chunk, got = [], 0
        while i < len(paras) and (got < take or k == len(b.regions) - 1):
            chunk.append(paras[i])
            got += len(paras[i])
            i += 1
        if b.byline and k == len(b.regions) - 1:
            chunk.append(normalize_copy(b.byline)[0])
        out.append((r, chunk))
    return out


if __name__ == "__main__":
    main()
