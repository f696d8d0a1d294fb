"""Timing and memory helpers shared by every measure.

In-process measures report wall-clock time (``time.perf_counter``) and the
peak of Python allocations seen by ``tracemalloc`` during one extra run made
only for memory (tracing slows code down, so timed runs are not traced).
Subprocess measures report wall-clock time from just before the process is
started to its exit, and the child's peak resident set size (``ru_maxrss``
from ``os.wait4``), which includes the interpreter, Qt and C libraries.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Timing:
    """Seconds of each run; ``first`` is the cold run when it was kept apart."""

    runs: list[float]
    first: float | None = None
    peak_mb: float | None = None
    memory_kind: str = ""  # "tracemalloc" or "ru_maxrss"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "median_s": self.median,
            "runs_s": self.runs,
            "first_s": self.first,
            "peak_mb": self.peak_mb,
            "memory": self.memory_kind,
            **self.extra,
        }


def time_call(
    fn: Callable[[], Any], repeats: int, cold: bool = False, memory: bool = True
) -> Timing:
    """Run ``fn`` ``repeats`` times (plus a first, cold run when ``cold``).

    With ``cold`` the first call is reported on its own as ``first`` and left
    out of the median: it pays for imports, font loading and caches filled
    on first use. Memory is measured in one more traced call.
    """
    first = None
    if cold:
        gc.collect()
        start = time.perf_counter()
        fn()
        first = time.perf_counter() - start
    runs = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    result = Timing(runs, first)
    if memory:
        result.peak_mb = traced_peak_mb(fn)
        result.memory_kind = "tracemalloc"
    return result


def traced_peak_mb(fn: Callable[[], Any]) -> float:
    """Peak of Python allocations (MB) while ``fn`` runs."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


SPAWN = Path(__file__).resolve().parent / "spawn.py"


@dataclass
class ProcessRun:
    seconds: float  # from the launcher's start of the child to its exit
    launched: float  # time.time() when the child was started
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_process(
    argv: list[str], env: dict[str, str] | None = None, timeout: float = 120
) -> ProcessRun:
    """Run ``argv`` to its end through ``spawn.py``: its wall time and its own peak RSS.

    Output goes to temporary files so a chatty child cannot block on a pipe.
    """
    with tempfile.TemporaryDirectory(prefix="briefing-bench-run-") as scratch:
        result = Path(scratch) / "result.json"
        out_path, err_path = Path(scratch) / "out", Path(scratch) / "err"
        with open(out_path, "w") as out, open(err_path, "w") as err:
            try:
                subprocess.run(
                    [sys.executable, str(SPAWN), str(result), *argv],
                    stdout=out,
                    stderr=err,
                    env={**os.environ, **(env or {})},
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise RuntimeError(
                    f"{Path(argv[0]).name} did not finish within {timeout:.0f} s"
                ) from None
        stdout = out_path.read_text(errors="replace")
        stderr = err_path.read_text(errors="replace")
        if not result.exists():
            raise RuntimeError(f"the launcher failed: {stderr.strip()[-300:]}")
        data = json.loads(result.read_text())
    return ProcessRun(
        data["seconds"],
        data["launched"],
        data["maxrss_kb"] / 1024,
        data["returncode"],
        stdout,
        stderr,
    )
