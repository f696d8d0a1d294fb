"""A folder of files that can be thrown away: work kept between processes.

A user runs ``briefing build`` as a new process each time, so what a warm
process keeps in memory (compiled section templates, drawn chart pictures)
is lost between runs. This keeps such results as files under
``paths.user_cache_dir()``, one file per key, where the key is a hash of
everything the result depends on: an edited input gives a new key, never a
stale result.

Reading is best effort: a missing, unreadable or damaged file is a miss and
the caller does the work again. Writing goes through a temporary file and
``os.replace``, so a reader never sees half a file, and a failure to write
(read-only folder, full disk) is silent: the cache is an optimisation, not
data. Set ``BRIEFING_CACHE=off`` to disable it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from briefing_app import paths

_MAX_ENTRY = 32 * 1024 * 1024  # nothing we keep is this big; refuse rather than read it


def key_of(*parts: bytes | str) -> str:
    """A hex digest of ``parts``, each length-prefixed so that no two lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class DiskCache:
    """Files named by key in one subfolder of the user cache folder."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _folder(self) -> Path | None:
        root = os.environ.get("BRIEFING_CACHE")
        if root is not None and root.strip().lower() in ("off", "0", "none", ""):
            return None
        return paths.user_cache_dir() / self.name

    def get(self, key: str) -> bytes | None:
        folder = self._folder()
        if folder is None:
            return None
        try:
            path = folder / key[:2] / key
            if path.stat().st_size > _MAX_ENTRY:
                return None
            return path.read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        folder = self._folder()
        if folder is None or len(data) > _MAX_ENTRY:
            return
        target = folder / key[:2] / key
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return
