"""When work may go to a forked child beside the process: one policy for all.

Two parts of ``briefing build`` use a second CPU: the reader check
(``cli_check_aside``) and the PDF worker (``render_aside``). Each does so only
when forking is safe: ``os.fork`` exists, two or more CPUs are this
process's (``sched_getaffinity``) and no other thread is running (a fork
copies only the calling thread). The check also waits for the load average
to leave a core idle, unless its variable says ``on``. A variable set to
``off`` turns its child off.
"""

from __future__ import annotations

import os
import threading

_ON = ("on", "1", "yes")
_OFF = ("off", "0", "no")


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return 1


def setting(variable: str) -> str:
    """ "on", "off" or "" (decide by the load), from the environment."""
    value = os.environ.get(variable, "").strip().lower()
    return "on" if value in _ON else "off" if value in _OFF else ""


def can_fork(variable: str) -> bool:
    """Whether a forked child may work beside this process (load aside)."""
    if setting(variable) == "off" or not hasattr(os, "fork"):
        return False
    return cpus() >= 2 and threading.active_count() == 1


def core_free(variable: str) -> bool:
    """Whether the load average leaves one of our CPUs idle (or ``on`` says use it)."""
    if setting(variable) == "on":
        return True
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return False
    return load <= cpus() - 1
