"""Briefing -> files: the one place the CLI and the GUI write briefings from.

All requested formats are written into a scratch folder beside the target
and moved into place only when every one of them is complete, so a cancel or
an error in the PDF leaves no new Word file either, and earlier files at the
targets stay as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from briefing_app.document import Document
from briefing_app.errors import BriefingError, RenderError
from briefing_app.render_aside import take as take_worker

Progress = Callable[[float], None]
FORMATS = ("docx", "pdf")
BUILD_SHARE = 0.15  # of the progress bar, for assembling the document
SCRATCH_PREFIX = ".briefing-export-"
STALE_AFTER_S = 3600  # a scratch folder this old was left by a killed export


def output_paths(
    document: Document,
    output: Path | str | None,
    formats: Sequence[str],
    stem: str | None = None,
) -> list[Path]:
    """Where ``export_briefing`` will write each format.

    ``output`` is a folder (existing, or ending with a separator) in which
    the file is named ``stem`` (by default after the title), or a file path
    whose suffix is replaced per format. None means ``./out``.
    """
    formats = _checked(formats)
    target = Path(output) if output is not None else Path("out")
    if output is None or target.is_dir() or str(output).endswith(("/", os.sep)):
        stem = target / (stem or file_stem(document.metadata.title))
    else:
        stem = target.with_suffix("") if target.suffix.lower() in (".docx", ".pdf") else target
    return [stem.with_name(f"{stem.name}.{fmt}") for fmt in formats]


def file_stem(title: str) -> str:
    """A file name from a title ("Briefing on China" -> "briefing-on-china")."""
    from briefing_app.assembly.markdown_model import slugify

    return slugify(title)[:80].strip("-") or "briefing"


def selection_stem(title: str, selection: Any) -> str:
    """A file name that says what the briefing is: its title (blueprint and
    place) and the sectors and partnerships chosen, so two selections never
    share a file ("preparatory-briefing-on-zhejiang-automotive-ict")."""
    from briefing_app.assembly.markdown_model import slugify

    parts = [slugify(title) or "briefing"]
    parts += [slugify(s) for s in (*selection.sectors, *selection.partnerships)]
    whole = "-".join(p for p in parts if p)
    if len(whole) <= 100:
        return whole
    digest = hashlib.sha1(whole.encode()).hexdigest()[:8]  # noqa: S324 - a name, not security
    return f"{whole[:90].rstrip('-')}-{digest}"


def export_briefing(
    document: Document,
    output: Path | str | None = None,
    formats: Sequence[str] = FORMATS,
    progress: Progress | None = None,
    theme: Any = None,
    stem: str | None = None,
    replacing: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write ``document`` in each of ``formats``; the paths written.

    ``progress(fraction)`` runs from 0 to 1 over all formats and may raise
    ``errors.Cancelled``: then nothing new is left on disk. ``replacing(path)``
    is told of each existing file about to be replaced, before any is.
    """
    targets = output_paths(document, output, formats, stem)
    folder = targets[0].parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create folder {folder}: {exc.strerror or exc}") from exc
    for target in targets:
        if target.is_dir():
            raise RenderError(
                f"cannot replace {target}: it is a folder; the earlier folder is unchanged"
            )
    _remove_stale_scratch(folder)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=folder))
    except OSError as exc:
        raise RenderError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    aside: list = []  # (draft, worker): a PDF being written by the worker of render_aside
    try:
        drafts = [scratch / target.name for target in targets]
        for n, draft in enumerate(drafts):
            fmt = draft.suffix[1:]
            worker = take_worker(fmt) if theme is None and progress is None else None
            if worker is not None and worker.submit(document, draft):
                aside.append((draft, worker))
            else:
                _render(fmt, document, draft, theme, _share(progress, n, len(targets)))
        while aside:
            draft, worker = aside.pop(0)
            if not worker.wait():  # anything wrong there: written here, as without it
                _render(draft.suffix[1:], document, draft, theme, None)
        if replacing is not None:
            for target in targets:
                if target.exists():
                    replacing(target)
        _place_all(drafts, targets, scratch)
    finally:
        for _draft, worker in aside:  # left by an error here: its PDF is not wanted
            worker.abandon()
        with contextlib.suppress(OSError):
            shutil.rmtree(scratch)
    if progress is not None:
        progress(1.0)
    return targets


def export_selection(
    store: Any,
    selection: Any,
    output: Path | str | None = None,
    formats: Sequence[str] = FORMATS,
    progress: Progress | None = None,
    replacing: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Build the briefing for ``selection`` and write it (one progress bar for both);
    in a folder, the files are named after what the briefing is (:func:`selection_stem`)."""
    from briefing_app.assembly import build_document

    def building(fraction: float) -> None:
        if progress is not None:
            progress(BUILD_SHARE * fraction)

    def writing(fraction: float) -> None:
        if progress is not None:
            progress(BUILD_SHARE + (1 - BUILD_SHARE) * fraction)

    document = build_document(store, selection, progress=building)
    stem = selection_stem(document.metadata.title, selection)
    return export_briefing(
        document, output, formats, progress=writing, stem=stem, replacing=replacing
    )


def _place_all(drafts: list[Path], targets: list[Path], scratch: Path) -> None:
    """Move every draft onto its target, or none: earlier files come back on failure.

    Each earlier file is kept as a hard link (or copy) in the scratch folder
    before its replacement, so the files already placed can be put back when a
    later one cannot be (a PDF open in a viewer, say).
    """
    mode = _default_file_mode()
    placed: list[tuple[Path, Path | None]] = []
    current = targets[0]
    try:
        for draft, target in zip(drafts, targets, strict=True):
            current = target
            with contextlib.suppress(OSError):
                os.chmod(draft, mode)  # temp files are private; a briefing is an ordinary file
            keep = _keep_earlier(target, scratch)
            os.replace(draft, target)
            placed.append((target, keep))
    except OSError as exc:
        for target, keep in reversed(placed):
            with contextlib.suppress(OSError):
                if keep is not None:
                    os.replace(keep, target)
                else:
                    target.unlink()
        raise RenderError(
            f"cannot replace {current}: {exc.strerror or exc}. Is it open in another program? "
            "The earlier files are unchanged."
        ) from exc


def _remove_stale_scratch(folder: Path) -> None:
    """Remove scratch folders left by exports that were killed midway.

    Only old ones: a folder younger than STALE_AFTER_S may belong to an export
    running right now in another window or process.
    """
    now = time.time()
    for leftover in folder.glob(f"{SCRATCH_PREFIX}*"):
        with contextlib.suppress(OSError):
            if leftover.is_dir() and now - leftover.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(leftover)


def _keep_earlier(target: Path, scratch: Path) -> Path | None:
    if not target.is_file():
        return None
    keep = scratch / f"{target.name}.earlier"
    try:
        os.link(target, keep)
    except OSError:
        shutil.copy2(target, keep)
    return keep


def _default_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _render(
    fmt: str, document: Document, draft: Path, theme: Any, progress: Progress | None
) -> None:
    try:
        _renderer(fmt)(document, draft, theme=theme, progress=progress)
    except BriefingError:
        raise
    except Exception as exc:  # noqa: BLE001 - a renderer bug must still reach the user as a message
        raise RenderError(
            f"the {fmt.upper()} file could not be written: {type(exc).__name__}: {exc}"
        ) from exc


def _renderer(fmt: str) -> Callable[..., Any]:
    # Imported on demand: ReportLab and python-docx take a while to load and
    # the GUI may only ever need one of them.
    if fmt == "docx":
        from briefing_app.render.docx_backend import render_docx

        return render_docx
    from briefing_app.render.pdf_backend import render_pdf

    return render_pdf


def _share(progress: Progress | None, index: int, count: int) -> Progress | None:
    if progress is None:
        return None

    def report(fraction: float) -> None:
        progress((index + min(max(fraction, 0.0), 1.0)) / count)

    return report


def _checked(formats: Sequence[str]) -> list[str]:
    wanted: list[str] = []
    for fmt in formats:
        fmt = str(fmt).lower().lstrip(".")
        if fmt not in FORMATS:
            raise BriefingError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        if fmt not in wanted:
            wanted.append(fmt)
    if not wanted:
        raise BriefingError("choose at least one format")
    return wanted
