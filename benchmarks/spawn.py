"""Launcher that reports a child's own peak memory: ``python spawn.py RESULT.json CMD...``.

On Linux a child's ``ru_maxrss`` starts from the memory of the process that
forked it, so a child forked straight from the benchmark (hundreds of MB
after building knowledge bases) would report at least that much. This small
launcher is forked instead; it starts the measured command, reaps it with
``os.wait4`` and writes the wall time, the peak RSS and the exit code to
RESULT.json. Run as a script, not as part of the package, so it starts fast
and small.
"""

import json
import os
import subprocess
import sys
import time


def main() -> int:
    result_path, argv = sys.argv[1], sys.argv[2:]
    launched = time.time()
    start = time.perf_counter()
    child = subprocess.Popen(argv)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "launched": launched,
                "seconds": seconds,
                "maxrss_kb": usage.ru_maxrss,
                "returncode": code,
            },
            handle,
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
