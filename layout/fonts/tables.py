"""Raw OpenType table facts read with struct: head, OS/2, post, and a minimal CFF (version 1) reader.

Input: a table's bytes (HarfBuzz's `face.reference_table(tag).data`, or `sfnt_table` for the big
CFF table). Output: a few numbers. This replaces fontTools for FaceInfo, which decompiled the whole
CFF table (charset of 65 535 glyphs) and post glyph names just to read them. Malformed or truncated
data raises ValueError, nothing else. Offsets follow the OpenType spec (head, OS/2, post) and
Adobe TN 5176 (CFF).
"""
from __future__ import annotations

import bisect
import math
import mmap
import struct
from dataclasses import dataclass


def _unpack(fmt: str, data: bytes, offset: int) -> tuple:
    if offset < 0:  # struct would count a negative offset from the end
        raise ValueError(f"negative offset {offset}")
    try:
        return struct.unpack_from(fmt, data, offset)
    except struct.error:
        raise ValueError(f"truncated data: {struct.calcsize(fmt)} bytes at {offset} of {len(data)}") from None


def sfnt_table(path: str, index: int, tag: str) -> memoryview:
    """Table `tag` of face `index` of a font file or collection, as a view of the mapped file
    (empty when absent). For Noto CJK's 16-23 MB CFF table: HarfBuzz's Blob.data copies the whole
    table (about 15 ms a face), the mapping only touches the pages the reader looks at."""
    with open(path, "rb") as f:
        m = memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
    base = 0
    if m[:4] == b"ttcf":
        (count,) = _unpack(">I", m, 8)
        if not 0 <= index < count:
            raise ValueError(f"{path}: no face {index} in a collection of {count}")
        (base,) = _unpack(">I", m, 12 + 4 * index)
    (n,) = _unpack(">H", m, base + 4)
    for i in range(n):
        t, _checksum, at, length = _unpack(">4sIII", m, base + 12 + 16 * i)
        if t == tag.encode("latin-1"):
            if at + length > len(m):
                raise ValueError(f"{path}: table {tag!r} runs past the end of the file")
            return m[at:at + length]
    return m[:0]


# --- head, OS/2, post ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Head:
    units_per_em: int
    x_min: int
    y_min: int
    x_max: int
    y_max: int


def read_head(data: bytes) -> Head:
    (upem,) = _unpack(">H", data, 18)
    return Head(upem, *_unpack(">4h", data, 36))  # xMin yMin xMax yMax after the two dates


@dataclass(frozen=True)
class OS2:
    version: int
    weight_class: int       # usWeightClass
    family_class: int       # sFamilyClass (signed: class in the high byte)
    family_type: int        # panose bFamilyType
    serif_style: int        # panose bSerifStyle
    typo_ascender: int
    typo_descender: int
    cap_height: int         # sCapHeight, 0 before version 2


def read_os2(data: bytes) -> OS2 | None:
    """None when the font has no OS/2 table (an empty blob)."""
    if not data:
        return None
    (version,) = _unpack(">H", data, 0)
    (weight,) = _unpack(">H", data, 4)
    family_class, family_type, serif_style = _unpack(">hBB", data, 30)  # panose starts at 32
    asc, desc = _unpack(">hh", data, 68)
    cap = _unpack(">h", data, 88)[0] if version >= 2 and len(data) >= 90 else 0
    return OS2(version, weight, family_class, family_type, serif_style, asc, desc, cap)


@dataclass(frozen=True)
class Post:
    italic_angle: float
    fixed_pitch: bool


def read_post(data: bytes) -> Post:
    angle, fixed = _unpack(">i4xI", data, 4)  # italicAngle (16.16), underline pos/thickness, isFixedPitch
    return Post(angle / 65536, bool(fixed))


# --- CFF ----------------------------------------------------------------------------------------
ROS, FD_ARRAY, FD_SELECT = 0x0C1E, 0x0C24, 0x0C25  # two-byte operators 12 30, 12 36, 12 37
CHARSET, CHARSTRINGS, PRIVATE, STD_VW = 15, 17, 18, 11  # one-byte (StdHW is 10, StdVW 11)
N_STD_STRINGS = 391


class _Index:
    """A CFF INDEX: count (uint16), offSize, count+1 offsets (1-based from the byte before the
    data), then the data. Items are sliced on demand: CharStrings has tens of thousands."""

    def __init__(self, data: bytes, pos: int):
        self.data = data
        (self.count,) = _unpack(">H", data, pos)
        if self.count == 0:
            self.end = pos + 2
            return
        (self.off_size,) = _unpack(">B", data, pos + 2)
        if not 1 <= self.off_size <= 4:
            raise ValueError(f"CFF INDEX at {pos}: offSize {self.off_size}")
        self.offsets = pos + 3
        self.base = self.offsets + (self.count + 1) * self.off_size - 1
        self.end = self.base + self._offset(self.count)
        if self._offset(0) != 1 or self.end > len(data):
            raise ValueError(f"CFF INDEX at {pos}: bad offsets")

    def _offset(self, i: int) -> int:
        at = self.offsets + i * self.off_size
        raw = self.data[at:at + self.off_size]
        if len(raw) != self.off_size:
            raise ValueError("truncated CFF INDEX")
        return int.from_bytes(raw, "big")

    def __getitem__(self, i: int) -> bytes:
        if not 0 <= i < self.count:
            raise ValueError(f"CFF INDEX item {i} of {self.count}")
        a, b = self._offset(i), self._offset(i + 1)
        if not 1 <= a <= b or self.base + b > self.end:
            raise ValueError(f"CFF INDEX item {i}: bad offsets")
        return bytes(self.data[self.base + a:self.base + b])


_NIBBLES = (*"0123456789", ".", "E", "E-", None, "-")  # nibbles 0-e of a real; d is reserved


def _real(d: bytes, i: int) -> tuple[float, int]:
    s = ""
    while True:
        if i >= len(d):
            raise ValueError("truncated CFF real")
        for nib in (d[i] >> 4, d[i] & 15):
            if nib == 15:
                v = float(s)  # raises ValueError for garbage such as "1.2.3"
                if not math.isfinite(v):
                    raise ValueError(f"CFF real {s}")
                return v, i + 1
            if _NIBBLES[nib] is None:
                raise ValueError("reserved nibble in CFF real")
            s += _NIBBLES[nib]
        i += 1


def parse_dict(d: bytes) -> dict[int, list]:
    """CFF DICT data -> {operator: operands}; escaped operators (12 x) are keyed 0x0C00 + x."""
    out: dict[int, list] = {}
    ops: list = []
    i, n = 0, len(d)

    def need(k: int) -> None:
        if i + k > n:
            raise ValueError("truncated CFF DICT")

    while i < n:
        b0 = d[i]
        i += 1
        if b0 <= 21:                      # operator
            if b0 == 12:
                need(1)
                b0, i = 0x0C00 + d[i], i + 1
            out[b0], ops = ops, []
        elif 32 <= b0 <= 246:
            ops.append(b0 - 139)
        elif 247 <= b0 <= 250:
            need(1)
            ops.append((b0 - 247) * 256 + d[i] + 108)
            i += 1
        elif 251 <= b0 <= 254:
            need(1)
            ops.append(-(b0 - 251) * 256 - d[i] - 108)
            i += 1
        elif b0 == 28:
            ops.append(_unpack(">h", d, i)[0])
            i += 2
        elif b0 == 29:
            ops.append(_unpack(">i", d, i)[0])
            i += 4
        elif b0 == 30:
            v, i = _real(d, i)
            ops.append(v)
        else:                             # 22-27, 31, 255: reserved
            raise ValueError(f"reserved byte {b0} in CFF DICT")
    return out


class Cff:
    """The first font of a CFF table: Top DICT facts, charset, FDSelect and StdVW."""

    def __init__(self, data: bytes):
        self.data = data
        major, _minor, hdr_size, _off_size = _unpack(">4B", data, 0)
        if major != 1 or hdr_size < 4:
            raise ValueError(f"CFF version {major}, header size {hdr_size}: not CFF 1")
        names = _Index(data, hdr_size)
        tops = _Index(data, names.end)
        self.strings = _Index(data, tops.end)
        self.top = parse_dict(tops[0])
        self.num_glyphs = _Index(data, self._int(self.top, CHARSTRINGS)).count

    @staticmethod
    def _int(d: dict[int, list], op: int, k: int = 0, default: int | None = None) -> int:
        """Operand k of operator op, which must be a non-negative integer (offsets, sizes, SIDs)."""
        ops = d.get(op)
        if ops is None and default is not None:
            return default
        if not ops or len(ops) <= k or not isinstance(ops[k], int) or ops[k] < 0:
            raise ValueError(f"CFF DICT operator {op}: bad operands {ops}")
        return ops[k]

    def string(self, sid: int) -> str:
        if sid < N_STD_STRINGS:
            from fontTools.cffLib import cffStandardStrings  # only fonts that use them pay the import
            return cffStandardStrings[sid]
        return self.strings[sid - N_STD_STRINGS].decode("latin-1")

    @property
    def ros(self) -> tuple[str, str, int] | None:
        """(Registry, Ordering, Supplement) of a CID-keyed font, None when name-keyed."""
        if ROS not in self.top:
            return None
        if len(self.top[ROS]) != 3:
            raise ValueError(f"CFF ROS operands {self.top[ROS]}")
        reg, order, sup = (self._int(self.top, ROS, k) for k in range(3))
        return self.string(reg), self.string(order), sup

    def charset(self) -> list[int] | None:
        """gid -> CID (or SID when name-keyed); None for the predefined charsets (offset 0, 1, 2)."""
        at = self._int(self.top, CHARSET, default=0)
        if at <= 2:
            return None
        (fmt,) = _unpack(">B", self.data, at)
        n = self.num_glyphs - 1  # .notdef (0) is not stored
        if fmt == 0:
            return [0, *_unpack(f">{n}H", self.data, at + 1)]
        if fmt not in (1, 2):
            raise ValueError(f"CFF charset format {fmt}")
        out, pos, rng = [0], at + 1, ">HB" if fmt == 1 else ">HH"
        while len(out) <= n:
            first, left = _unpack(rng, self.data, pos)
            out.extend(range(first, first + left + 1))
            pos += struct.calcsize(rng)
        return out[:self.num_glyphs]

    def fd_index(self, gid: int) -> int:
        """The Font DICT (FDArray index) of glyph gid; 0 without FDSelect or past the last glyph."""
        if FD_SELECT not in self.top or not 0 <= gid < self.num_glyphs:
            return 0
        at = self._int(self.top, FD_SELECT)
        (fmt,) = _unpack(">B", self.data, at)
        if fmt == 0:
            return _unpack(">B", self.data, at + 1 + gid)[0]
        if fmt != 3:
            raise ValueError(f"CFF FDSelect format {fmt}")
        (n,) = _unpack(">H", self.data, at + 1)
        ranges = _unpack(">" + "HB" * n + "H", self.data, at + 3)  # first, fd, ..., sentinel
        firsts = ranges[0::2]
        if not n or firsts[0] != 0 or any(a > b for a, b in zip(firsts, firsts[1:])) \
                or firsts[-1] < self.num_glyphs:
            raise ValueError("bad CFF FDSelect ranges")
        return ranges[2 * (bisect.bisect_right(firsts, gid) - 1) + 1]

    def font_dicts(self) -> list[dict[int, list]] | None:
        """The FDArray's Font DICTs (CID-keyed fonts), None when there is no FDArray."""
        if FD_ARRAY not in self.top:
            return None
        fds = _Index(self.data, self._int(self.top, FD_ARRAY))
        return [parse_dict(fds[i]) for i in range(fds.count)]

    def private(self, font_dict: dict[int, list]) -> dict[int, list]:
        """The Private DICT a Top or Font DICT points at (operator 18: size, offset)."""
        if PRIVATE not in font_dict:
            return {}
        size, at = self._int(font_dict, PRIVATE, 0), self._int(font_dict, PRIVATE, 1)
        if size < 0 or at < 0 or at + size > len(self.data):
            raise ValueError(f"CFF Private DICT {size} bytes at {at}")
        return parse_dict(self.data[at:at + size])

    def std_vw(self, gid: int) -> float | None:
        """StdVW of the Private DICT glyph gid uses: its FD's for CID-keyed fonts, else the top one."""
        fds = self.font_dicts()
        if fds is None:
            priv = self.private(self.top)
        else:
            fd = self.fd_index(gid)
            if fd >= len(fds):
                raise ValueError(f"CFF FDSelect names FD {fd} of {len(fds)}")
            priv = self.private(fds[fd])
        ops = priv.get(STD_VW)
        return ops[0] if ops else None
