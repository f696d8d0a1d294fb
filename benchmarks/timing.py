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
import os
import statistics
import subprocess
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


def time_call(fn: Callable[[], Any], repeats: int, cold: bool = False, memory: bool = True) -> Timing:
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


@dataclass
class ProcessRun:
    seconds: float
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_process(argv: list[str], env: dict[str, str] | None = None, timeout: float = 120) -> ProcessRun:
    """Run a child to its end; wall time from just before it starts, and its own peak RSS.

    The child is reaped with ``os.wait4`` so its resource usage is its own,
    not the running maximum over every child this process ever had.
    Output goes to temporary files so a chatty child cannot block on a pipe.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                os.wait4(child.pid, 0)
                raise RuntimeError(f"{Path(argv[0]).name} did not finish within {timeout:.0f} s")
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # keeps Popen from waiting again
        out.seek(0)
        err.seek(0)
        return ProcessRun(seconds, usage.ru_maxrss / 1024, child.returncode, out.read(), err.read())
