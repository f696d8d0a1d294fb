"""The ``briefing`` command ends its process without the interpreter's teardown
(issue 16: about a fifth of a second after a long PDF). Nothing a user sees
may change: the whole output, the exit status, exit handlers, the files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing_app import cli, paths
from tests.cli_process import briefing

_PROBE = """
import atexit, sys
from pathlib import Path
marker = Path(sys.argv.pop(1))
atexit.register(lambda: marker.write_text("ran"))


class Late:  # freed only by a teardown
    def __del__(self):
        marker.with_name("teardown-ran").write_text("ran")


late = Late()
from briefing_app.cli import main
sys.exit(main())
"""


def _probe(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, Path]:
    marker = tmp_path / "exit-handler-ran"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(paths.project_root()) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(marker), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return done, marker


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    from briefing_app.store import open_store

    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    open_store(path).close()
    return path


def test_the_whole_output_reaches_a_pipe(db: Path, tmp_path: Path, capsys) -> None:
    """Every line the command prints in-process also leaves the process
    (buffered output is flushed before the process ends)."""
    assert cli.main(["list", "clusters", "--db", str(db)]) == 0
    expected = capsys.readouterr().out
    done = briefing("list", "clusters", db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected
    assert expected.count("\n") > 100


def test_exit_status_and_exit_handlers_are_kept(db: Path, tmp_path: Path) -> None:
    done, marker = _probe(tmp_path, "list", "regions", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "ran"
    assert not marker.with_name("teardown-ran").exists()  # the teardown was skipped
    assert done.stdout.count("\n") > 10

    marker.unlink()
    done, marker = _probe(tmp_path, "list", "clusters", "--region", "nowhere", "--db", str(db))
    assert done.returncode == 1
    assert "no region 'nowhere'" in done.stderr
    assert marker.read_text() == "ran"


def test_a_built_file_is_complete_when_the_process_ends(db: Path, tmp_path: Path) -> None:
    import pypdf

    out = tmp_path / "out"
    args = ["build", "--blueprint", "eccp-preparatory", "--country", "CN"]
    done = briefing(
        *args, "--sector", "ict", "--format", "pdf", "--output", f"{out}/", db=db, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    (pdf,) = out.glob("*.pdf")
    assert done.stdout.strip() == str(pdf)
    reader = pypdf.PdfReader(str(pdf))
    assert len(reader.pages) > 5
    assert "China" in reader.pages[0].extract_text()


def test_an_in_process_caller_gets_the_status_back(db: Path) -> None:
    """With ``argv`` given (tests, the GUI, scripts) ``main`` returns as before."""
    assert cli.main(["list", "clusters", "--region", "nowhere", "--db", str(db)]) == 1
