"""Measures that start a process, as a user's click or command does.

Wall time runs from just before the child is started; memory is the
child's own peak resident set size (``ru_maxrss``), interpreter and Qt
included.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.timing import Timing, run_process

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHILD_ENV = {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(PROJECT_ROOT)}


def compile_project() -> int:
    """Write the project's bytecode (``__pycache__``), as installing it does.

    ``pip install`` compiles every module it installs, so an installed
    ``briefing`` never compiles its own source at start. An editable checkout
    run with ``PYTHONDONTWRITEBYTECODE=1`` (as on the shared machine) would
    compile about a hundred modules from source in every process, a cost no
    user pays; compiling once here measures what a user runs. Returns how
    many source files were checked (the ``__pycache__`` folders are ignored
    by git; a changed file is simply compiled again).
    """
    import compileall

    package = PROJECT_ROOT / "briefing_app"
    compileall.compile_dir(package, quiet=1, workers=1)
    return sum(1 for _ in package.rglob("*.py"))


def _command(script: str, module: str) -> list[str]:
    """The console script installed beside this interpreter, else ``python -m``.

    That is what a user runs: the ``bin/briefing`` of the environment the
    project was installed into. It is looked up beside ``sys.executable``,
    not on the PATH: a version manager's shim found first on the PATH (pyenv
    on the shared machine) is a shell script that runs ``pyenv`` to pick the
    interpreter before starting it, about 55 ms per process that neither a
    virtual environment's script nor an installed one pays.
    """
    folder = Path(sys.executable).parent
    for found in (folder / script, folder / f"{script}.exe"):
        if found.is_file() and os.access(found, os.X_OK):
            return [str(found)]
    return [sys.executable, "-m", module]


def cli_list(db: Path, region: str, repeats: int) -> Timing:
    """``briefing list clusters --region REGION`` from process start to exit."""
    argv = _command("briefing", "briefing_app.cli") + [
        "list",
        "clusters",
        "--region",
        region,
        "--db",
        str(db),
    ]
    runs = []
    for _ in range(repeats):
        run = run_process(argv, timeout=300)
        if run.returncode != 0:
            raise RuntimeError(f"briefing list failed: {run.stderr.strip()[-300:]}")
        runs.append(run)
    timing = Timing(
        [r.seconds for r in runs], peak_mb=max(r.maxrss_mb for r in runs), memory_kind="ru_maxrss"
    )
    timing.extra["lines"] = runs[-1].stdout.count("\n")
    return timing


def gui_start(db: Path, repeats: int, changes: int) -> dict[str, Timing]:
    """Main window shown and first preview, from process start; then selection changes.

    Runs ``benchmarks.gui_probe`` (the application's own start-up code and
    MainWindow) ``repeats`` times. Selection changes are measured in the
    last run only, ``changes`` times each way (with and without debounce).
    """
    shown, preview, rss, change_runs = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-gui-") as scratch:
        for n in range(repeats):
            wanted = changes if n == repeats - 1 else 0
            ini = Path(scratch) / f"settings-{n}.ini"
            run = run_process(
                [sys.executable, "-m", "benchmarks.gui_probe", str(db), str(ini), str(wanted)],
                env=CHILD_ENV,
                timeout=600,
            )
            if run.returncode != 0:
                raise RuntimeError(f"GUI probe failed: {run.stderr.strip()[-400:]}")
            marks = json.loads(run.stdout.strip().splitlines()[-1])
            if not marks.get("first_preview_ok"):
                raise RuntimeError("the first preview did not finish")
            shown.append(marks["shown"] - run.launched)
            preview.append(marks["first_preview"] - run.launched)
            rss.append(run.maxrss_mb)
            change_runs += marks.get("changes", [])
    result = {
        "window_shown": Timing(shown, peak_mb=max(rss), memory_kind="ru_maxrss"),
        "first_preview": Timing(preview, peak_mb=max(rss), memory_kind="ru_maxrss"),
    }
    warmups = [c for c in change_runs if c.get("warmup")]
    if warmups:
        result["change_first"] = Timing([c["preview_ms"] / 1000 for c in warmups])
    fresh = [c for c in change_runs if c.get("new") and c["ok"]]
    if fresh:
        result["new_first_page"] = Timing([c["first_page_ms"] / 1000 for c in fresh])
        result["new_complete"] = Timing([c["preview_ms"] / 1000 for c in fresh])
    for debounced in (True, False):
        picked = [
            c
            for c in change_runs
            if not c.get("warmup") and not c.get("new") and c["debounced"] is debounced and c["ok"]
        ]
        if picked:
            key = "change_debounced" if debounced else "change_immediate"
            timing = Timing([c["preview_ms"] / 1000 for c in picked])
            timing.extra["outline_median_s"] = (
                statistics.median(c["outline_ms"] for c in picked) / 1000
            )
            result[key] = timing
    return result


def screenshot(db: Path, repeats: int) -> Timing:
    """The real entry point: ``briefing-app --screenshot`` start to exit (window, preview, PNG)."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-shot-") as scratch:
        for n in range(repeats):
            png = Path(scratch) / f"shot-{n}.png"
            argv = _command("briefing-app", "briefing_app.gui.app") + [
                "--db",
                str(db),
                "--screenshot",
                str(png),
                "--settings",
                str(Path(scratch) / "s.ini"),
            ]
            run = run_process(argv, env=CHILD_ENV, timeout=600)
            if run.returncode != 0 or not png.exists():
                raise RuntimeError(f"briefing-app --screenshot failed: {run.stderr.strip()[-300:]}")
            runs.append(run)
    return Timing(
        [r.seconds for r in runs], peak_mb=max(r.maxrss_mb for r in runs), memory_kind="ru_maxrss"
    )


CHINA_ARGS = [
    "build",
    "--blueprint",
    "eccp-preparatory",
    "--country",
    "CN",
    "--sector",
    "automotive",
    "--sector",
    "human-health",
    "--sector",
    "renewable-energy",
    "--sector",
    "ict",
]


def cli_build(db: Path, fmt: str, out_dir: Path, repeats: int, cache: str) -> Timing:
    """``briefing build`` of the full China briefing, process start to exit.

    ``cache`` is "cold": every run starts with an empty cache folder, as the
    first run after installing does (the operating system's file cache stays
    warm, as it would after an install); "warm": one run fills the cache
    first, then each run finds what the one before it kept.
    """
    argv = _command("briefing", "briefing_app.cli") + [
        *CHINA_ARGS,
        "--format",
        fmt,
        "--db",
        str(db),
        "--output",
        f"{out_dir}/",
    ]
    runs = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-cache-") as scratch:
        kept = Path(scratch) / "kept"

        def once(folder: Path):
            run = run_process(argv, env={**CHILD_ENV, "BRIEFING_CACHE": str(folder)}, timeout=300)
            if run.returncode != 0:
                raise RuntimeError(f"briefing build failed: {run.stderr.strip()[-300:]}")
            return run

        if cache == "warm":
            once(kept)
        for n in range(repeats):
            runs.append(once(kept if cache == "warm" else Path(scratch) / f"cold-{n}"))
    return Timing(
        [r.seconds for r in runs], peak_mb=max(r.maxrss_mb for r in runs), memory_kind="ru_maxrss"
    )
