"""Launcher that reports a child's own peak memory: ``python spawn.py RESULT.json CMD...``.

On Linux a child's ``ru_maxrss`` starts from the memory of the process that
forked it, so a child forked straight from the benchmark (hundreds of MB
after building knowledge bases) would report at least that much. This small
launcher is forked instead; it starts the measured command, reaps it with
``os.wait4`` and writes the wall time, the peak RSS and the exit code to
RESULT.json. Run as a script, not as part of the package, so it starts fast
and small.

A command may leave helpers running that it does not wait for (the PDF
worker of ``briefing build`` answers, then exits on its own). On Linux the
launcher makes itself their "subreaper": such a helper, orphaned, becomes
its child, and is reaped after the command ends (the time stops when the
command ends, as the user sees it). ``maxrss_kb`` is then the sum of the
command's peak and each such helper's: an upper bound of what they held at
once (pages shared after a fork count twice), never an undercount.
"""

import ctypes
import json
import os
import subprocess
import sys
import time

_PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _reap_helpers() -> tuple[int, int]:
    """(count, summed peak RSS in KB) of the orphaned helpers, once they end."""
    count = total = 0
    while True:
        try:
            _, _, usage = os.wait4(-1, 0)
        except ChildProcessError:
            return count, total
        count += 1
        total += usage.ru_maxrss


def main() -> int:
    result_path, argv = sys.argv[1], sys.argv[2:]
    _become_subreaper()
    launched = time.time()
    start = time.perf_counter()
    child = subprocess.Popen(argv)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    helpers, helpers_kb = _reap_helpers()
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "launched": launched,
                "seconds": seconds,
                "maxrss_kb": usage.ru_maxrss + helpers_kb,
                "helpers": helpers,
                "returncode": code,
            },
            handle,
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
