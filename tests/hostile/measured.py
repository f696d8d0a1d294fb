"""Run a piece of the application in a child process and measure it.

Issue 19 asks that no hostile case take more than 5 s or 500 MB, measured
rather than assumed. A child process gives honest numbers for both: its
wall time, and its peak resident memory (``ru_maxrss``) minus what the same
child holds once the application is imported, so that the figure is what the
case itself took. The child also runs under an address-space ceiling, so a
lost guard fails the test instead of swapping the machine.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import textwrap
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

MAX_SECONDS = 5.0
MAX_MB = 500
ROOT = Path(__file__).resolve().parents[2]

_PRELUDE = textwrap.dedent(
    """
    import json, resource, sys, time
    ceiling = 2048 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    import briefing_app.assembly, briefing_app.export, briefing_app.cli  # noqa: F401
    import briefing_app.render.docx_backend, briefing_app.render.pdf_backend  # noqa: F401
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    outcome = {"error": None}
    try:
    {body}
    except MemoryError:
        outcome["error"] = "MemoryError"
    except Exception as exc:  # the case reports what it raised
        outcome["error"] = f"{type(exc).__name__}: {exc}"[:2000]
    outcome["seconds"] = time.monotonic() - started
    outcome["mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_kb) / 1024
    print("MEASURED " + json.dumps(outcome, default=str))
    """
)


def run_measured(body: str, *args: str, timeout: float = 120) -> dict:
    """Run ``body`` (Python; ``sys.argv[1:]`` are ``args``; it may set keys of
    the dict ``outcome``) in a child; the outcome with ``seconds`` and ``mb``."""
    code = _PRELUDE.replace("{body}", textwrap.indent(textwrap.dedent(body), "    "))
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(ROOT),
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("MEASURED "):
            return json.loads(line[len("MEASURED ") :])
    return {"error": f"child died ({done.returncode}): {done.stderr[-1500:]}", "seconds": None}


def assert_within_limits(outcome: dict) -> None:
    assert outcome.get("seconds") is not None, outcome
    assert outcome["seconds"] < MAX_SECONDS, outcome
    assert outcome["mb"] < MAX_MB, outcome


@contextlib.contextmanager
def measured_here(max_seconds: float = MAX_SECONDS, max_mb: float = MAX_MB) -> Iterator[None]:
    """Measure a case run in this process: wall time, and peak memory traced
    by Python's allocator (tracemalloc) while it runs. Fails past the limits."""
    started = time.monotonic()
    tracemalloc.start()
    try:
        yield
    finally:
        _size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    seconds = time.monotonic() - started
    assert seconds < max_seconds, f"took {seconds:.1f} s"
    assert peak / 2**20 < max_mb, f"took {peak / 2**20:.0f} MB"
