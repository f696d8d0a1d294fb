"""The PDF worker of ``briefing build`` (``render_aside``): forked as the
command starts, it writes the same PDF the process would; anything wrong
with it leaves the PDF, or the error, to the process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing_app import aside, paths, render_aside
from briefing_app.errors import MissingGlyphError, RenderError
from briefing_app.export import export_briefing
from tests.render.test_pdf_backend import briefing

forking = pytest.mark.skipif(
    not (hasattr(os, "fork") and aside.cpus() >= 2), reason="needs fork and two CPUs"
)

JILIN = ["--blueprint", "delegation-brief", "--country", "CN", "--region", "jilin"]
JILIN += ["--sector", "human-health"]

# Runs `briefing` (launch.main) and records, in the file BRIEFING_TEST_RECORD,
# whether a worker answered that it wrote the PDF.
DRIVER = """
import atexit, os, sys
from briefing_app import render_aside
answers = []
real_wait = render_aside.Worker.wait
def wait(self):
    answers.append(real_wait(self))
    return answers[-1]
render_aside.Worker.wait = wait
def record():
    with open(os.environ["BRIEFING_TEST_RECORD"], "w") as out:
        out.write(repr(answers))
atexit.register(record)
sys.argv[0] = "briefing"
from briefing_app.launch import main
main()
"""


@pytest.mark.parametrize(
    ("argv", "pdf"),
    [
        (["build"], True),
        (["build", "--format", "pdf"], True),
        (["build", "--format=docx", "--format=pdf"], True),
        (["build", "--format", "docx"], False),
        (["build", "--output", "brief.docx"], False),
        (["build", "--output", "brief.PDF"], True),
        (["build", "--output", "out/"], True),
        (["build", "--help"], False),
        (["list", "clusters"], False),
        (["render-section", "x.md", "--format", "pdf"], False),
        ([], False),
    ],
)
def test_only_a_build_that_writes_a_pdf_starts_a_worker(argv, pdf):
    assert render_aside.writes_pdf(argv) is pdf


def _build(tmp_path: Path, db: Path, aside_setting: str, name: str, *extra: str):
    record = tmp_path / f"{name}.record"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(paths.project_root()) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(
        BRIEFING_RENDER_ASIDE=aside_setting, BRIEFING_TEST_RECORD=str(record), RL_invariant="1"
    )
    output = str(tmp_path / name) + "/"
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            DRIVER,
            "build",
            *JILIN,
            *extra,
            "--db",
            str(db),
            "--output",
            output,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    return run, eval(record.read_text())  # noqa: S307 - a list of booleans we wrote


@forking
def test_the_worker_writes_the_pdf_the_process_would(tmp_path, seeded_db_path):
    with_worker, answers = _build(tmp_path, seeded_db_path, "on", "worker")
    assert with_worker.returncode == 0, with_worker.stderr
    assert answers == [True]  # the worker wrote it
    alone, answers = _build(tmp_path, seeded_db_path, "off", "alone")
    assert alone.returncode == 0, alone.stderr
    assert answers == []
    pdfs = [next((tmp_path / name).glob("*.pdf")) for name in ("worker", "alone")]
    assert pdfs[0].read_bytes() == pdfs[1].read_bytes()  # RL_invariant: no dates, same bytes
    docx = [next((tmp_path / name).glob("*.docx")) for name in ("worker", "alone")]
    assert all(path.stat().st_size > 0 for path in docx)  # the process wrote Word meanwhile
    assert with_worker.stderr == alone.stderr  # the same warnings, in the same order
    assert [Path(p).name for p in with_worker.stdout.split()] == [
        Path(p).name for p in alone.stdout.split()
    ]
    assert not list(tmp_path.rglob(".briefing-export-*"))


def _worker_ready() -> render_aside.Worker:
    worker = render_aside.Worker.start()
    assert worker is not None
    return worker


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return True  # reaped already
        if done:
            return True
        time.sleep(0.02)
    return False


@forking
def test_a_killed_worker_leaves_the_pdf_to_the_process(tmp_path, monkeypatch):
    document = briefing()
    worker = _worker_ready()
    os.kill(worker.pid, signal.SIGKILL)
    monkeypatch.setattr(render_aside, "_worker", worker)
    (written,) = export_briefing(document, tmp_path / "brief.pdf", ["pdf"])
    assert len(PdfReader(str(written)).pages) >= 3
    assert render_aside._worker is None  # taken, used once
    assert not list(tmp_path.glob(".briefing-export-*"))


@forking
def test_a_document_the_worker_cannot_write_gives_the_process_error(tmp_path, monkeypatch):
    """The worker fails on a character no font draws; the process then tries
    itself and raises the error a user would get without a worker."""
    from dataclasses import replace

    document = briefing()
    document = replace(document, metadata=replace(document.metadata, title="Briefing \U00013000"))
    monkeypatch.setattr(render_aside, "_worker", _worker_ready())
    with pytest.raises(MissingGlyphError):
        export_briefing(document, tmp_path / "brief.pdf", ["pdf"])
    assert not (tmp_path / "brief.pdf").exists()
    assert not list(tmp_path.glob(".briefing-export-*"))


@forking
def test_an_error_in_the_process_ends_the_worker_and_writes_nothing(tmp_path, monkeypatch):
    from briefing_app import export

    worker = _worker_ready()
    monkeypatch.setattr(render_aside, "_worker", worker)
    real_renderer = export._renderer

    def failing_word(fmt):
        if fmt == "docx":

            def fail(*_args, **_kwargs):
                raise RenderError("the Word file could not be written: disk full")

            return fail
        return real_renderer(fmt)

    monkeypatch.setattr(export, "_renderer", failing_word)
    with pytest.raises(RenderError, match="disk full"):
        export_briefing(briefing(), tmp_path / "brief", ["pdf", "docx"])
    assert _gone(worker.pid, within=2.0)  # killed, not left to finish its PDF
    assert not list(tmp_path.iterdir())


@forking
def test_an_unused_worker_goes_away(monkeypatch):
    worker = _worker_ready()
    monkeypatch.setattr(render_aside, "_worker", worker)
    render_aside.stop()
    assert render_aside._worker is None
    assert _gone(worker.pid)


@forking
def test_the_worker_starts_whatever_the_load_and_not_when_turned_off(monkeypatch):
    monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0))
    monkeypatch.setattr(render_aside, "_worker", None)
    monkeypatch.setenv("BRIEFING_RENDER_ASIDE", "off")
    render_aside.start_for(["build", "--format", "pdf"])
    assert render_aside._worker is None
    monkeypatch.delenv("BRIEFING_RENDER_ASIDE")
    render_aside.start_for(["build", "--format", "pdf"])
    worker = render_aside._worker
    assert worker is not None
    render_aside.stop()
    assert _gone(worker.pid)
