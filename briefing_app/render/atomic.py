"""Write a file whole or not at all.

Renderers write into a temporary file beside the target and move it into place
only when it is complete, so a crash, a cancel or a full disk never leaves a
half-written briefing, and an earlier file at that path stays intact until the
new one is ready. A symbolic link at the path is replaced by the new file, never
followed (its target is left alone).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from briefing_app.errors import RenderError


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target``."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(f"folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=target.suffix + ".part", dir=folder
        )
    except OSError as exc:
        raise RenderError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
            _fsync(tmp)
        except OSError as exc:  # a full disk, a quota: the message names the file
            raise RenderError(
                f"cannot write {target}: {exc.strerror or exc}. The earlier file is unchanged."
            ) from exc
        _give_final_mode(tmp, target)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise RenderError(
                f"cannot replace {target}: {exc.strerror or exc}. "
                "Is it open in another program? The earlier file is unchanged."
            ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def write_stream(path: Path) -> Iterator[BinaryIO]:
    """An open binary file for writers that keep their own hold on it.

    ``zipfile.ZipFile`` (under python-docx's save) is left open when a write
    fails midway (a full disk); when it is collected later it tries to write
    its directory again and prints a stray ``Exception ignored in ZipFile.__del__``
    traceback. Given this stream instead of a path, the zip never owns the
    file: after the first failed write every later write, seek or flush is
    skipped quietly, the first error alone reaches the caller, and the file
    is closed here.
    """
    with open(path, "wb") as handle:
        stream = _StopAfterFailure(handle)
        yield stream  # type: ignore[misc]
        stream.flush()


class _StopAfterFailure:
    """A file that lets its first OSError through and ignores what follows
    (and whatever comes after the file was closed)."""

    def __init__(self, handle: BinaryIO):
        self._handle = handle
        self._failed = False
        self._position = 0

    def _run(self, name: str, *args):
        if self._failed or self._handle.closed:
            return self._position
        try:
            return getattr(self._handle, name)(*args)
        except OSError:
            self._failed = True
            raise

    def write(self, data) -> int:
        written = self._run("write", data)
        return len(data) if self._failed or self._handle.closed else written

    def flush(self) -> None:
        self._run("flush")

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._run("seek", offset, whence)

    def tell(self) -> int:
        if not (self._failed or self._handle.closed):
            self._position = self._handle.tell()
        return self._position

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        """Closing is the context manager's: a zip closing late finds nothing to do."""


def _give_final_mode(tmp: Path, target: Path) -> None:
    # mkstemp makes owner-only files; a briefing should get the mode an
    # ordinary new file would have, or keep the mode of the file it replaces.
    # A symbolic link at the target is replaced, not followed: its own target
    # is neither written nor asked for its mode.
    try:
        found = target.lstat()
        if stat.S_ISLNK(found.st_mode):
            raise FileNotFoundError
        mode = found.st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
