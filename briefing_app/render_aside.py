"""The PDF of ``briefing build`` made by a worker that starts with the process.

A build spends its first quarter second reading the knowledge base and
assembling the document, with the second CPU idle; the PDF then needs
ReportLab and its fonts loaded, its styles made and the kept paragraphs of
the last build (``pdf_parsed_cache``) read back. So ``briefing`` forks a
worker at once, before the store is even imported (``launch.py``), when the
command will write a PDF: the worker gets all that ready (and rebuilds kept
paragraphs ahead until the document arrives), then receives the document
(pickled, through a pipe), writes the PDF where the export asks and answers
"done"; only then does it write what it parsed to the cache, while the
command ends. The parent meanwhile reads the store, assembles, checks and
writes the Word file.

The worker never touches the database (it is forked before the store is
opened) and writes nothing but the draft file and the cache. Whatever goes
wrong with it (no fork, one CPU, a theme it cannot load, a document it
cannot lay out, the worker killed, a cut answer) the parent writes the PDF
itself, as without a worker: the same file, or the same error message.
``BRIEFING_RENDER_ASIDE=off`` turns it off.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import threading
from pathlib import Path
from typing import Any

from briefing_app import aside as policy

VARIABLE = "BRIEFING_RENDER_ASIDE"
_DONE = b"1"
_LENGTH = 8  # bytes of the length before a pickled job

_worker: Worker | None = None


def start_for(argv: list[str]) -> None:
    """Start the PDF worker if ``argv`` is a ``build`` that writes a PDF and forking is safe."""
    global _worker
    if _worker is not None or not writes_pdf(argv):
        return
    # Not only when a core is idle, unlike the check: the worker costs a fork
    # and a pickled document (some 30 ms of CPU) against the third of a second
    # it hides, and it measured no slower with one or both cores kept busy
    # by other processes.
    if not policy.can_fork(VARIABLE):
        return
    _worker = Worker.start()


def writes_pdf(argv: list[str]) -> bool:
    """Whether these ``briefing`` arguments build a PDF (as ``cli_build`` reads them)."""
    if not argv or argv[0] != "build" or "-h" in argv or "--help" in argv:
        return False
    formats = _values(argv, "--format")
    if formats:
        return "pdf" in formats
    outputs = _values(argv, "--output")
    return not outputs or not outputs[-1].lower().endswith(".docx")


def _values(argv: list[str], option: str) -> list[str]:
    found = []
    for index, word in enumerate(argv):
        if word == option and index + 1 < len(argv):
            found.append(argv[index + 1])
        elif word.startswith(option + "="):
            found.append(word.split("=", 1)[1])
    return found


def take(fmt: str) -> Worker | None:
    """The worker, for the one PDF it may write; None for anything else."""
    global _worker
    if fmt != "pdf" or _worker is None:
        return None
    worker, _worker = _worker, None
    return worker


def stop() -> None:
    """Let an unused worker go (the command wrote no PDF)."""
    global _worker
    worker, _worker = _worker, None
    if worker is not None:
        worker.close()


class Worker:
    """The parent's side of one forked PDF worker: one job, then it exits."""

    def __init__(self, pid: int, job: int, answer: int) -> None:
        self.pid = pid
        self._job = job
        self._answer = answer
        self._sender: threading.Thread | None = None
        self._sent = False

    @classmethod
    def start(cls) -> Worker | None:
        try:
            job_read, job_write = os.pipe()
            answer_read, answer_write = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            for end in (job_read, job_write, answer_read, answer_write):
                os.close(end)
            return None
        if pid == 0:  # pragma: no cover - the child ends in os._exit, never returns
            os.close(job_write)
            os.close(answer_read)
            _serve(job_read, answer_write)
        os.close(job_read)
        os.close(answer_write)
        return cls(pid, job_write, answer_read)

    def submit(self, document: Any, path: Path) -> bool:
        """Send the job; False if it cannot be sent (render here then).

        The bytes go from a thread: the pipe holds less than a document and
        the worker reads only once it is ready, while this process goes on
        (the Word file). :meth:`wait` joins it.
        """
        try:
            data = pickle.dumps((document, str(path)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - anything pickle refuses: render here
            self.close()
            return False
        message = len(data).to_bytes(_LENGTH, "little") + data

        def send() -> None:
            with contextlib.suppress(OSError):  # the worker gone: wait() says so
                view = memoryview(message)
                while view:
                    view = view[os.write(self._job, view) :]

        self._sender = threading.Thread(target=send, name="pdf-job", daemon=True)
        self._sender.start()
        self._sent = True
        return True

    def wait(self) -> bool:
        """Whether the worker wrote the PDF. Either way it is done with."""
        done = False
        if self._sent:
            with contextlib.suppress(OSError):
                done = os.read(self._answer, 1) == _DONE  # b"" when it died
        self.close()
        return done

    def abandon(self) -> None:
        """End the worker now: its PDF is not wanted (the export failed here)."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)
        self.close()

    def close(self) -> None:
        if self._sender is not None:
            self._sender.join()
            self._sender = None
        for end in (self._job, self._answer):
            with contextlib.suppress(OSError):
                os.close(end)
        self._job = self._answer = -1
        # Reaped if it has ended; else it ends on its own (a closed job pipe
        # ends a worker still getting ready, and the system reaps it after us).
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, os.WNOHANG)


def _serve(job: int, answer: int) -> None:  # pragma: no cover - runs in the forked child
    """The worker: get ready, wait for the document, write the PDF, say so, exit."""
    status = 1
    try:
        gc.disable()  # as a build does: reading kept entries makes many objects
        from briefing_app.render.pdf_backend import prepare_pdf, render_pdf

        prepared = prepare_pdf()
        prepared.keep_later = True
        prepared.styles.prefetch(lambda: _readable(job))
        request = _read_job(job)
        if request is not None:
            document, path = request
            render_pdf(document, path, prepared=prepared)
            os.write(answer, _DONE)
            status = 0
            # The PDF is handed over: what this build parsed is kept for the
            # next one now, while the command ends.
            prepared.styles.keep_parsed()
    except BaseException:  # noqa: BLE001, S110 - any failure: the parent writes the PDF itself
        pass
    finally:
        os._exit(status)


def _readable(fd: int) -> bool:
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def _read_job(fd: int) -> tuple[Any, str] | None:
    head = _read_exactly(fd, _LENGTH)
    if head is None:
        return None
    data = _read_exactly(fd, int.from_bytes(head, "little"))
    if data is None:
        return None
    return pickle.loads(data)  # noqa: S301 - our own parent, through our own pipe


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, missing = [], size
    while missing:
        part = os.read(fd, min(missing, 1 << 20))
        if not part:
            return None
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)
