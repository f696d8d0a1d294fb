"""The ``briefing`` command's entry point: starts what a command needs early.

The ``briefing`` console script and ``python -m briefing_app`` come here.
Before anything heavy is imported, a ``build`` that writes a PDF forks its
PDF worker (:mod:`briefing_app.render_aside`), which gets ReportLab, the
fonts and the kept paragraphs ready while this process opens the knowledge
base and assembles the document. Then the command runs as ``cli.main``.
"""

from __future__ import annotations

import atexit
import sys


def main() -> None:
    from briefing_app import render_aside

    render_aside.start_for(sys.argv[1:])
    atexit.register(render_aside.stop)
    from briefing_app.cli import main as cli_main

    sys.exit(cli_main())
