"""Opening a country pack: a folder, or a zip unpacked without risk; its manifest.

A zip is unpacked into a temporary folder, refusing anything that could
reach outside it (absolute names, ``..``, drive letters, links), encrypted
entries, and archives beyond the bounds below; sizes are counted as the
bytes come out, since an archive's headers may lie about them.
"""

from __future__ import annotations

import contextlib
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from briefing_app.errors import ImportProblem, PackValidationError, StoreError
from briefing_app.yaml_text import load_yaml

MANIFEST = "pack.yaml"
PACK_FORMAT = 1
MAX_ENTRIES = 2_000  # files and folders in a zip
MAX_FILE_BYTES = 256 * 1024 * 1024  # one file unpacked
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # everything unpacked
_CHUNK = 1 << 16


@contextlib.contextmanager
def opened_pack(path: Path) -> Iterator[Path]:
    """The folder of the pack at ``path`` (a folder, or a zip unpacked safely)."""
    path = Path(path)
    if path.is_dir():
        yield _pack_root(path)
        return
    if not path.is_file():
        raise StoreError(f"{path} does not exist (a pack is a folder or a .zip file)")
    with tempfile.TemporaryDirectory(prefix="briefing-pack-") as tmp:
        unzip_safely(path, Path(tmp))
        yield _pack_root(Path(tmp))


def _pack_root(folder: Path) -> Path:
    """The folder holding pack.yaml: ``folder`` itself or its only subfolder."""
    if (folder / MANIFEST).is_file():
        return folder
    inside = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(inside) == 1 and inside[0].is_dir() and (inside[0] / MANIFEST).is_file():
        return inside[0]
    raise StoreError(f"{folder.name} is not a country pack: it has no {MANIFEST} manifest")


def unzip_safely(archive: Path, target: Path) -> int:
    """Unpack ``archive`` into ``target``; StoreError for anything unsafe. Files written."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise StoreError(f"{archive.name} is not a readable zip file ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise StoreError(
                f"{archive.name} holds {len(infos)} entries; a pack may hold {MAX_ENTRIES}"
            )
        total, written = 0, 0
        for info in infos:
            relative = _safe_member(archive, info)
            if relative is None:
                continue
            destination = target.joinpath(*relative.parts)
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            if info.file_size > MAX_FILE_BYTES:
                raise StoreError(_too_big(archive, info.filename))
            destination.parent.mkdir(parents=True, exist_ok=True)
            total += _copy_bounded(zf, info, destination, archive, MAX_TOTAL_BYTES - total)
            written += 1
    return written


def _safe_member(archive: Path, info: zipfile.ZipInfo) -> PurePosixPath | None:
    """The member's path inside the pack, or StoreError when it could reach outside."""
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise StoreError(f"{archive.name}: {name!r} is a symbolic link; packs hold plain files")
    if info.flag_bits & 0x1:
        raise StoreError(f"{archive.name}: {name!r} is encrypted; packs are not")
    unsafe = (
        "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
        or ".." in PurePosixPath(name).parts
    )
    if unsafe:
        raise StoreError(
            f"{archive.name}: entry {name!r} points outside the pack; nothing was unpacked "
            "from an archive with such names"
        )
    relative = PurePosixPath(name)
    parts = [p for p in relative.parts if p not in ("", ".")]
    return PurePosixPath(*parts) if parts else None


def _copy_bounded(zf, info, destination: Path, archive: Path, allowance: int) -> int:
    """Copy one member, counting real bytes (a header may lie about sizes)."""
    copied = 0
    limit = min(MAX_FILE_BYTES, allowance)
    with zf.open(info) as source, open(destination, "xb") as out:
        while chunk := source.read(_CHUNK):
            copied += len(chunk)
            if copied > limit:
                raise StoreError(_too_big(archive, info.filename))
            out.write(chunk)
    return copied


def _too_big(archive: Path, name: str) -> str:
    return (
        f"{archive.name}: {name!r} unpacks to more than a pack may hold "
        f"({MAX_FILE_BYTES // 2**20} MB a file, {MAX_TOTAL_BYTES // 2**20} MB in all)"
    )


@dataclass(frozen=True)
class PackManifest:
    country: str
    name: str = ""
    version: str = ""
    date: str = ""
    licence: str = ""
    authors: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    sections: str = ""


def read_manifest(folder: Path) -> PackManifest:
    """The manifest of the pack in ``folder``; PackValidationError naming what is wrong."""
    try:
        data = load_yaml((folder / MANIFEST).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _manifest_error(0, f"cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or exc
        raise _manifest_error(line, f"not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise _manifest_error(0, "must be 'key: value' lines (country, files, ...)")
    problems = []
    fmt = data.get("format", PACK_FORMAT)
    if not isinstance(fmt, int) or fmt > PACK_FORMAT:
        problems.append(f"format {fmt!r}: this version reads pack format {PACK_FORMAT}")
    country = str(data.get("country") or "").strip()
    if not country:
        problems.append("'country' (the ISO code of the pack's country) is missing")
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
        problems.append("'files' must be a list of file names such as [regions.csv, ...]")
        files = []
    authors = data.get("authors") or ()
    authors = (authors,) if isinstance(authors, str) else tuple(str(a) for a in authors)
    if problems:
        raise PackValidationError([(MANIFEST, [ImportProblem(0, p) for p in problems])])
    return PackManifest(
        country=country,
        name=str(data.get("name") or ""),
        version=str(data.get("version") or ""),
        date=str(data.get("date") or ""),
        licence=str(data.get("licence") or data.get("license") or ""),
        authors=authors,
        files=tuple(files),
        sections=str(data.get("sections") or ""),
    )


def _manifest_error(line: int, message: str) -> PackValidationError:
    return PackValidationError([(MANIFEST, [ImportProblem(line, message)])])
