"""The reader check of ``briefing build``, run beside the writing of the files.

A build checks the reader text of the document it built (``cli_check``) and
then writes the files; the two are independent once the document exists.
On a machine with two or more CPUs for this process, the check runs in a
forked child while the parent lays out and writes the files, and its
findings come back through a pipe (pickled ``Finding`` values). The child
never touches the store: what the data rules need from it is read first
(``reader_figures.DataFacts``), since a SQLite connection must not be used
across ``fork``.

It pays only where a core is idle: with every core busy the child takes
turns with the parent and costs more than the check (fork, pickling; about
50 ms more CPU on the China PDF). So, unless asked for, it is used only
when the load average leaves a core free (at most one less than the CPUs
this process may use). ``BRIEFING_CHECK_ASIDE=off`` turns it off, ``=on``
uses it whatever the load.

Whatever goes wrong with the child (no fork, one CPU, another thread alive,
the child killed or failing, a damaged answer) the check runs in this
process instead: the findings, and so the warnings and the exit status,
are the same either way.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any

from briefing_app import aside as policy

_CHILD_FAILED = 70  # the child's exit status when its check raised
_VARIABLE = "BRIEFING_CHECK_ASIDE"


def can_fork() -> bool:
    """Whether a child can check beside this process (``aside.can_fork``)."""
    return policy.can_fork(_VARIABLE)


def core_free() -> bool:
    """Whether a core is idle for it (``aside.core_free``)."""
    return policy.core_free(_VARIABLE)


def start_check(
    document: Any, store: Any, country: str | None, aside: bool | None = None
) -> Callable[[], list]:
    """Start checking ``document``; call the result for the findings (once).

    The findings are those of ``reader_check.check_document(document, store,
    country)``, computed in a forked child when :func:`can_fork` and (unless
    ``aside`` is True) :func:`core_free`, else here.
    """
    from briefing_app.assembly.reader_check import check_document
    from briefing_app.assembly.reader_figures import DataFacts

    def here() -> list:
        return check_document(document, store, country)

    if not can_fork() or (aside is None and not core_free()) or aside is False:
        findings = here()
        return lambda: findings
    facts = DataFacts.read(store, country)
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        findings = here()
        return lambda: findings
    if pid == 0:  # the child: check, answer, and leave without any clean-up of the parent's
        status = _CHILD_FAILED
        try:
            os.close(read_end)
            data = pickle.dumps(check_document(document, None, country, facts=facts), protocol=5)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return lambda: _collect(pid, read_end, here)


def _collect(pid: int, read_end: int, here: Callable[[], list]) -> list:
    """The child's findings, or the check done here when it gave none."""
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()  # until the child closes its end (or dies)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = -1
    if status == 0:
        try:
            findings = pickle.loads(data)  # noqa: S301 - our own child, through our own pipe
        except Exception:  # noqa: BLE001 - a cut or damaged answer: check here
            findings = None
        if isinstance(findings, list):
            return findings
    return here()
