"""FontCache: an explicit on-disk cache of per-face data (FaceInfo as JSON), keyed by file identity
(absolute path + size + mtime + face index). Nothing global: a FontBook holds one; tests make their own.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

SCHEMA = 1  # bump when FaceInfo changes so old entries are ignored


@dataclass
class CacheStats:
    hits: int = 0      # entries read from disk or memory
    misses: int = 0    # entries computed from the font file
    writes: int = 0
    errors: int = 0    # unreadable/unwritable cache entries (the cache then just does not help)


def default_cache_dir(project: Path | None, env: Mapping[str, str] | None = None) -> Path | None:
    env = os.environ if env is None else env
    if env.get("PAIBAN_CACHE"):
        return Path(env["PAIBAN_CACHE"])
    return Path(project) / ".cache" / "paiban" if project is not None else None


def file_identity(path: Path, index: int) -> str:
    st = os.stat(path)
    return f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|{index}|v{SCHEMA}"


@dataclass
class FontCache:
    directory: Path | None                      # None: memory only
    stats: CacheStats = field(default_factory=CacheStats)
    _memory: dict[str, dict] = field(default_factory=dict)

    def _file(self, identity: str) -> Path:
        digest = hashlib.sha256(identity.encode()).hexdigest()[:24]
        return Path(self.directory) / f"face-{digest}.json"

    def get(self, identity: str) -> dict | None:
        if identity in self._memory:
            self.stats.hits += 1
            return self._memory[identity]
        if self.directory is None:
            return None
        try:
            data = json.loads(self._file(identity).read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, ValueError):
            self.stats.errors += 1
            return None
        if data.get("identity") != identity:  # hash collision or stale file
            return None
        self.stats.hits += 1
        self._memory[identity] = data["value"]
        return data["value"]

    def put(self, identity: str, value: dict) -> None:
        self.stats.misses += 1
        self._memory[identity] = value
        if self.directory is None:
            return
        target = self._file(identity)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"identity": identity, "value": value}, sort_keys=True),
                           encoding="utf-8")
            os.replace(tmp, target)  # atomic: concurrent builds never read half a file
            self.stats.writes += 1
        except OSError:
            self.stats.errors += 1

    def clear(self) -> None:
        """Forget everything, on disk too."""
        self._memory.clear()
        if self.directory is not None and Path(self.directory).is_dir():
            for f in Path(self.directory).glob("face-*.json"):
                f.unlink(missing_ok=True)
