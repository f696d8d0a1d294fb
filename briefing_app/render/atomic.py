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
